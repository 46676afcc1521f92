import Foundation
import PalimpsestHTML

/// A user's rules for one site, for markup the built-in selectors read wrong: XPath for the article body and
/// for the comment thread. Loaded from a JSON rules file without recompiling:
///
///     {"sites": [{"host": "news.example.org",
///                 "body": "//div[@class='story']",
///                 "comment": "//div[@class='reaction']",
///                 "id": "@data-id", "author": ".//span[@class='who']", "time": ".//span[@class='when']",
///                 "text": ".//div[@class='said']", "parent": "@data-reply-to"}]}
public struct SiteRule: Sendable, Hashable, Codable {
    /// The host it applies to ("example.org" also covers "www.example.org").
    public var host: String
    public var bodyXPath: String?
    public var commentXPath: String?
    /// Relative to a comment: an attribute (`@data-id`) or an element whose text is the value.
    public var idXPath: String?
    public var authorXPath: String?
    public var timeXPath: String?
    public var textXPath: String?
    public var parentXPath: String?

    enum CodingKeys: String, CodingKey {
        case host, bodyXPath = "body", commentXPath = "comment", idXPath = "id", authorXPath = "author",
             timeXPath = "time", textXPath = "text", parentXPath = "parent"
    }

    public init(host: String, bodyXPath: String? = nil, commentXPath: String? = nil, idXPath: String? = nil,
                authorXPath: String? = nil, timeXPath: String? = nil, textXPath: String? = nil, parentXPath: String? = nil) {
        self.host = host
        self.bodyXPath = bodyXPath
        self.commentXPath = commentXPath
        self.idXPath = idXPath
        self.authorXPath = authorXPath
        self.timeXPath = timeXPath
        self.textXPath = textXPath
        self.parentXPath = parentXPath
    }
}

/// All of a user's site rules.
public struct SiteRules: Sendable, Hashable, Codable {
    public var sites: [SiteRule]

    public init(sites: [SiteRule] = []) {
        self.sites = sites
    }

    /// The rule for a page's host, if any.
    public func rule(forURL url: String?) -> SiteRule? {
        guard !sites.isEmpty, let url, let host = URL(string: url)?.host?.lowercased() else { return nil }
        return sites.first { host == $0.host.lowercased() || host.hasSuffix("." + $0.host.lowercased()) }
    }

    /// Reads a rules file, checking every XPath with libxml2.
    public static func load(contentsOf url: URL) throws -> SiteRules {
        try load(path: url.path, isValidXPath: HTMLDocument.isValidXPath)
    }

    /// Reads a rules file; every XPath is checked, and an error names the file, the site and the rule.
    public static func load(path: String, isValidXPath: (String) -> Bool) throws -> SiteRules {
        guard let data = FileManager.default.contents(atPath: path) else { throw SiteRulesError("\(path): cannot read the rules file") }
        return try parse(data, path: path, isValidXPath: isValidXPath)
    }

    /// Parses a rules file's bytes (`path` only names it in errors); every XPath is checked.
    public static func parse(_ data: Data, path: String, isValidXPath: (String) -> Bool = HTMLDocument.isValidXPath) throws -> SiteRules {
        let rules: SiteRules
        do {
            rules = try JSONDecoder().decode(SiteRules.self, from: data)
        } catch {
            throw SiteRulesError("\(path): not a rules file: \(error)")
        }
        for (i, site) in rules.sites.enumerated() {
            let named: [(String, String?)] = [("body", site.bodyXPath), ("comment", site.commentXPath), ("id", site.idXPath),
                                              ("author", site.authorXPath), ("time", site.timeXPath), ("text", site.textXPath),
                                              ("parent", site.parentXPath)]
            for case let (name, xpath?) in named where !isValidXPath(xpath) {
                throw SiteRulesError("\(path): site \(i + 1) (\(site.host)): the \"\(name)\" XPath '\(xpath)' is not valid XPath 1.0")
            }
        }
        return rules
    }
}

public struct SiteRulesError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
