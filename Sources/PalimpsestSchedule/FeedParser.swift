import Foundation
import PalimpsestCore
#if canImport(FoundationXML)
import FoundationXML
#endif

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
        let delegate = FeedDelegate()
        let parser = XMLParser(data: wellFormedUTF8(data))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        guard parser.parse() || delegate.sawFeed && !delegate.items.isEmpty else {
            let error = parser.parserError.map { "\($0.localizedDescription)" } ?? "unreadable XML"
            throw FeedError(url: base, message: "not a readable feed: \(error) at line \(parser.lineNumber)")
        }
        guard delegate.sawFeed else {
            throw FeedError(url: base, message: "not an RSS or Atom feed (no <rss>, <rdf:RDF> or <feed> root)")
        }
        let baseURL = URL(string: base)
        var seen = Set<String>()
        return delegate.items.compactMap { raw -> FeedItem? in
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

    /// The feed as valid UTF-8, whatever it was: FoundationXML's XMLParser traps on an element or attribute
    /// name that is not valid UTF-8 (found by fuzzing), and a declared encoding libxml2 does not know lets
    /// such bytes through. So the feed is decoded here (byte-order mark, else the XML declaration's
    /// encoding, else UTF-8, invalid bytes replaced by U+FFFD) and handed over as UTF-8 without its
    /// declaration.
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

/// Collects items as XMLParser reads the feed.
private final class FeedDelegate: NSObject, XMLParserDelegate {
    struct RawItem {
        var link: String?
        /// An RSS guid that is a URL: the link when there is no <link>.
        var guid: String?
        var title: String?
        var date: String?
    }

    var items: [RawItem] = []
    var sawFeed = false
    private var current: RawItem?
    private var text = ""
    private var depthInItem = 0

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        let name = elementName.lowercased()
        if !sawFeed, name == "rss" || name == "rdf" || name == "feed" { sawFeed = true }
        if name == "item" || name == "entry" {
            current = RawItem()
            depthInItem = 0
            return
        }
        guard current != nil else { return }
        depthInItem += 1
        text = ""
        // Atom: <link href="..." rel="alternate"/> (no rel means alternate); the first alternate wins.
        if name == "link", let href = attributes["href"] {
            let rel = attributes["rel"] ?? "alternate"
            if rel == "alternate", current?.link == nil { current?.link = href }
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if current != nil { text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if current != nil { text += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        let name = elementName.lowercased()
        if name == "item" || name == "entry", let item = current {
            items.append(item)
            current = nil
            return
        }
        guard current != nil else { return }
        defer { depthInItem -= 1 }
        // Only the item's own children (depth 1), not an element nested deeper (an Atom <source>...).
        guard depthInItem == 1 else { return }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch name {
        case "link" where current?.link == nil && !value.isEmpty:
            current?.link = value
        case "guid" where value.hasPrefix("http"):
            current?.guid = value
        case "title" where current?.title == nil:
            current?.title = value
        case "pubdate", "published", "date":
            if current?.date == nil || name != "date" { current?.date = value }
        case "updated" where current?.date == nil:
            current?.date = value
        default:
            break
        }
    }
}
