import Foundation

/// One block of an article body, in reading order.
public struct Block: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case paragraph, heading, listItem = "list_item", quote, preformatted
    }
    public var kind: Kind
    /// The text exactly as published: entities decoded, non-breaking spaces and typographic quotes kept,
    /// whitespace folded inside the block.
    public var text: String

    public init(_ kind: Kind = .paragraph, _ text: String) {
        self.kind = kind
        self.text = text
    }
}

/// An article as extracted from one page.
public struct Article: Sendable, Hashable, Codable {
    public var title: String?
    public var byline: String?
    /// Machine-readable times where the page gives them (ISO 8601, as published).
    public var published: String?
    public var modified: String?
    public var language: String?
    public var siteName: String?
    public var canonicalURL: String?
    public var blocks: [Block]

    public init(title: String? = nil, byline: String? = nil, published: String? = nil, modified: String? = nil,
                language: String? = nil, siteName: String? = nil, canonicalURL: String? = nil,
                blocks: [Block] = []) {
        self.title = title
        self.byline = byline
        self.published = published
        self.modified = modified
        self.language = language
        self.siteName = siteName
        self.canonicalURL = canonicalURL
        self.blocks = blocks
    }

    /// The body as a list of texts, one per block.
    public var paragraphs: [String] { blocks.map(\.text) }

    /// The body as plain text, blocks separated by blank lines.
    public var plainText: String { paragraphs.joined(separator: "\n\n") }

    /// What decides whether a capture holds a new version of the article: title, byline and body.
    public var versionKey: ArticleVersionKey { ArticleVersionKey(title: title, byline: byline, blocks: blocks) }
}

public struct ArticleVersionKey: Sendable, Hashable {
    public var title: String?
    public var byline: String?
    public var blocks: [Block]
}
