import Foundation
import PalimpsestCore
import PalimpsestHTML

/// One item of a feed.
public struct FeedItem: Sendable, Hashable {
    /// The item's page, absolute.
    public var url: String
    public var title: String?
    /// When it was published (RSS pubDate, Atom published, else updated), when the feed says.
    public var published: Date?

    public init(url: String, title: String? = nil, published: Date? = nil) {
        self.url = url
        self.title = title
        self.published = published
    }
}

/// Reads the items of an RSS 2.0 (also RSS 1.0/RDF) or Atom feed: each item's link, title and date.
public enum FeedParser {
    /// The items in the feed's order. Relative links are resolved against `base` (the feed's URL); items
    /// without an http or https link are left out. Throws when the data is not an RSS or Atom feed.
    public static func parse(_ data: Data, base: String) throws -> [FeedItem] {
        // libxml2 directly: FoundationXML's XMLParser trapped or crashed on fuzzed feeds (invalid UTF-8 in
        // names, a null pointer in its SAX callbacks).
        let document: HTMLDocument
        do {
            document = try HTMLDocument(xml: wellFormedUTF8(data), url: base)
        } catch {
            throw FeedError(url: base, message: "not a readable feed: \(error)")
        }
        guard let root = document.root, ["rss", "rdf", "feed"].contains(root.name.lowercased()) else {
            throw FeedError(url: base, message: "not an RSS or Atom feed (no <rss>, <rdf:RDF> or <feed> root)")
        }
        let raws = document.select("//*[local-name()='item' or local-name()='entry']").map(RawItem.init)
        let baseURL = URL(string: base)
        var seen = Set<String>()
        return raws.compactMap { raw -> FeedItem? in
            guard let link = (raw.link ?? raw.guid)?.trimmingCharacters(in: .whitespacesAndNewlines), !link.isEmpty,
                  let url = URL(string: link, relativeTo: baseURL)?.absoluteURL,
                  let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  url.host?.isEmpty == false
            else { return nil }
            let absolute = url.absoluteString
            guard seen.insert(absolute).inserted else { return nil }
            let title = raw.title?.trimmingCharacters(in: .whitespacesAndNewlines)
            return FeedItem(url: absolute, title: title?.isEmpty == false ? title : nil,
                            published: raw.date.flatMap(FeedParser.date))
        }
    }

    /// The feed as valid UTF-8, whatever it was: decoded here (byte-order mark, else the XML declaration's
    /// encoding, else UTF-8, invalid bytes replaced by U+FFFD) and handed to libxml2 as UTF-8 without its
    /// declaration, so that one decoder, the same as for pages, reads every feed.
    static func wellFormedUTF8(_ data: Data) -> Data {
        // Latin-1 keeps one character per byte: the declaration is read without tripping over anything.
        let head = String(String.UnicodeScalarView(data.prefix(256).map { Unicode.Scalar($0) }))
        var label = "utf-8"
        if let open = head.range(of: "<?xml"), let close = head.range(of: "?>", range: open.upperBound..<head.endIndex),
           let key = head.range(of: "encoding", range: open.upperBound..<close.lowerBound) {
            let value = head[key.upperBound..<close.lowerBound].drop { " =\"'".contains($0) }.prefix { !" \"'?".contains($0) }
            if !value.isEmpty { label = value.lowercased() }
        }
        var text = Charset.decode(data, contentType: "application/xml; charset=\(label)").text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.hasPrefix("<?xml"), let close = trimmed.range(of: "?>") {
            text = String(trimmed[close.upperBound...])
        }
        return Data(text.utf8)
    }

    /// RFC 822 dates (RSS) and ISO 8601 (Atom, Dublin Core).
    static func date(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let d = ScheduleDate.parse(s) { return d }
        guard DateText.isSafeToParse(s) else { return nil }
        for format in ["EEE, dd MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm:ss Z", "dd MMM yyyy HH:mm:ss Z",
                       "EEE, dd MMM yyyy HH:mm:ss zzz", "EEE, dd MMM yyyy HH:mm Z"] {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.dateFormat = format
            if let d = f.date(from: s) { return d }
        }
        return nil
    }
}

/// A feed could not be read.
public struct FeedError: Error, Sendable, CustomStringConvertible {
    public var url: String
    public var message: String

    public init(url: String, message: String) {
        self.url = url
        self.message = message
    }

    public var description: String { "feed \(url): \(message)" }
}

/// What a feed says of one item, before checking.
private struct RawItem {
    var link: String?
    /// An RSS guid that is a URL: the link when there is no <link>.
    var guid: String?
    var title: String?
    var date: String?

    /// Reads the item's own children (not elements nested deeper, such as an Atom <source>).
    init(_ item: HTMLNode) {
        for child in item.elementChildren {
            let name = child.name.lowercased()
            // Atom: <link href="..." rel="alternate"/> (no rel means alternate); the first alternate wins.
            if name == "link", let href = child.attribute("href") {
                if (child.attribute("rel") ?? "alternate") == "alternate", link == nil { link = href }
                continue
            }
            let value = RawItem.text(child).trimmingCharacters(in: .whitespacesAndNewlines)
            switch name {
            case "link" where link == nil && !value.isEmpty:
                link = value
            case "guid" where value.hasPrefix("http"):
                guid = value
            case "title" where title == nil:
                title = value
            case "pubdate", "published", "date":
                if date == nil || name != "date" { date = value }
            case "updated" where date == nil:
                date = value
            default:
                break
            }
        }
    }

    /// The text and CDATA below a node (entity references are not expanded).
    static func text(_ node: HTMLNode, depth: Int = 0) -> String {
        guard depth < 64 else { return "" }
        var out = ""
        for child in node.children {
            if let t = child.ownText { out += t } else if child.isElement { out += text(child, depth: depth + 1) }
        }
        return out
    }
}
