import Foundation

/// One comment of a thread, as read from one page.
public struct Comment: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// An ordinary comment.
        case comment
        /// A pingback or trackback: kept apart, never counted as a comment.
        case pingback
        case trackback
        /// "This comment has been removed": the slot is shown, the text is not the commenter's.
        case placeholder
    }

    /// The site's own id where there is one (`comment-48101` gives "48101"); otherwise a stable
    /// fingerprint of author, posted time and text (see `Comment.fingerprint`), prefixed "fp-".
    public var id: String
    /// True when `id` is the site's own id, false when it is a fingerprint.
    public var hasSiteID: Bool
    /// The id of the comment replied to, nil at top level.
    public var parent: String?
    /// 0 at top level, 1 for a reply, and so on.
    public var depth: Int
    public var author: String?
    public var authorURL: String?
    /// Machine-readable posted time where the page gives one (ISO 8601).
    public var posted: String?
    /// The posted time as the page shows it ("5 novembre 2025 à 9 h 00 min").
    public var postedText: String?
    /// The comment's own text, one entry per paragraph, exactly as published.
    public var paragraphs: [String]
    public var permalink: String?
    public var kind: Kind

    public init(id: String, hasSiteID: Bool = true, parent: String? = nil, depth: Int = 0,
                author: String? = nil, authorURL: String? = nil, posted: String? = nil,
                postedText: String? = nil, paragraphs: [String] = [], permalink: String? = nil,
                kind: Kind = .comment) {
        self.id = id
        self.hasSiteID = hasSiteID
        self.parent = parent
        self.depth = depth
        self.author = author
        self.authorURL = authorURL
        self.posted = posted
        self.postedText = postedText
        self.paragraphs = paragraphs
        self.permalink = permalink
        self.kind = kind
    }

    /// The text, paragraphs separated by blank lines.
    public var text: String { paragraphs.joined(separator: "\n\n") }

    /// A stable identity for a comment whose site gives no id: author, posted time and text.
    public static func fingerprint(author: String?, posted: String?, text: String) -> String {
        var h = StableHash()
        h.add(author ?? "")
        h.add(posted ?? "")
        h.add(text)
        return "fp-" + h.hex
    }
}

/// FNV-1a, 64 bits: stable across runs and platforms (Swift's Hasher is seeded per process).
public struct StableHash: Sendable {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ string: String) {
        for byte in string.utf8 { mix(byte) }
        mix(0x1f)  // field separator
    }

    private mutating func mix(_ byte: UInt8) {
        state ^= UInt64(byte)
        state = state &* 0x0000_0100_0000_01b3
    }

    public var value: UInt64 { state }
    public var hex: String {
        let s = String(state, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
