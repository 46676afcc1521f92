import Foundation
import PalimpsestHTML

/// An article's metadata as the page declares it.
struct ArticleMetadata: Equatable {
    var title: String?
    var byline: String?
    var published: String?
    var modified: String?
    var language: String?
    var siteName: String?
    var canonicalURL: String?
    /// The author named in the markup (itemprop=author, rel=author): the last resort for the byline.
    var markupAuthor: String?
}

/// Reads the metadata from JSON-LD, `<meta>` tags (Open Graph, Dublin Core, Twitter, Parse.ly, article:*),
/// `<link rel=canonical>`, `<html lang>`, `<time datetime>` and `<title>`, in one walk of the document.
/// The order of preference follows Mozilla Readability's, so results agree with its test corpus.
enum MetadataReader {
    /// What the walk collects.
    private struct Found {
        var values: [String: String] = [:]
        var itemprops: [String: String] = [:]
        var canonical: String?
        var documentTitle: String?
        var headings: [String] = []
        var h1s: [String] = []
        var jsonLD: [String] = []
        var time: String?
        var publishedTime: String?
        var contentLanguage: String?
        /// The first author named in the markup (itemprop=author, rel=author), outside comments.
        var author: String?
    }

    /// `exclude`: the comment thread's nodes, where no author of the article is looked for.
    static func read(_ document: HTMLDocument, url: String?, exclude: Set<HTMLNode> = []) -> ArticleMetadata {
        guard let root = document.root else { return ArticleMetadata() }
        var found = Found()
        var current: HTMLNode? = root
        while let node = current {
            var descend = node.isElement
            if node.isElement { descend = (exclude.isEmpty || !exclude.contains(node)) && visit(node, &found) }
            if descend, let child = node.firstChild {
                current = child
                continue
            }
            current = nil
            var n = node
            while n != root {
                if let next = n.nextSibling {
                    current = next
                    break
                }
                guard let up = n.parent else { break }
                n = up
            }
        }

        let ld = found.jsonLD.lazy.compactMap { JSONLDArticle(parsing: $0) }.first
        let v = found.values
        var m = ArticleMetadata()
        let documentTitle = articleTitle(found)
        m.title = first(ld?.title(documentTitle: documentTitle), v["dc:title"], v["dcterm:title"], v["og:title"],
                        v["weibo:article:title"], v["weibo:webpage:title"], v["title"], v["twitter:title"],
                        v["parsely-title"], documentTitle)
        let articleAuthor = v["article:author"].flatMap { $0.hasPrefix("http://") || $0.hasPrefix("https://") ? nil : $0 }
        m.byline = first(ld?.byline, v["dc:creator"], v["dcterm:creator"], v["author"], v["parsely-author"], articleAuthor)
        m.markupAuthor = found.author
        m.siteName = first(ld?.siteName, v["og:site_name"])
        m.published = first(ld?.published, v["article:published_time"], v["parsely-pub-date"], v["og:published_time"],
                            found.itemprops["datepublished"], v["article:published"], v["pubdate"], v["publishdate"],
                            v["dc:date"], v["dcterms:date"], v["date"], found.publishedTime, found.time)
        m.modified = first(ld?.modified, v["article:modified_time"], v["og:updated_time"], found.itemprops["datemodified"],
                           v["dcterms:modified"], v["last-modified"])
        m.language = first(root.attribute("lang"), root.attribute("xml:lang"), found.contentLanguage)
        if let canonical = first(found.canonical, v["og:url"]) {
            m.canonicalURL = resolve(canonical, against: url)
        }
        return m
    }

    /// Records what one element says; returns whether to look inside it.
    private static func visit(_ node: HTMLNode, _ found: inout Found) -> Bool {
        // One lookup of the element's name, then only the attributes that element can carry.
        let tag = ArticleTag(node)
        switch tag {
        case .meta:
            guard let content = node.attribute("content").map(TextWalk.fold) else { return false }
            if let property = node.attribute("property") {
                for key in property.lowercased().split(separator: " ") { found.values[String(key)] = content }
            }
            if let name = node.attribute("name") {
                let key = name.lowercased().filter { !$0.isWhitespace }.replacingOccurrences(of: ".", with: ":")
                found.values[key] = content
            }
            if let itemprop = node.attribute("itemprop") {
                found.itemprops[itemprop.lowercased()] = found.itemprops[itemprop.lowercased()] ?? content
            }
            if let equiv = node.attribute("http-equiv"), equiv.lowercased() == "content-language" {
                found.contentLanguage = content
            }
            return false
        case .link:
            if let rel = node.attribute("rel"), rel.lowercased().split(separator: " ").contains("canonical"),
               found.canonical == nil
            {
                found.canonical = node.attribute("href").map(TextWalk.fold)
            }
            return false
        case .script:
            if node.withAttributeBytes("type", { TextWalk.containsIgnoringCase($0, "ld+json") }) == true {
                found.jsonLD.append(node.textContent)
            }
            return false
        case .style, .svg, .noscript:
            return false
        case .title:
            if found.documentTitle == nil { found.documentTitle = TextWalk.fold(node.textContent) }
            return false
        case .h1, .h2:
            let text = TextWalk.fold(node.textContent)
            found.headings.append(text)
            if tag == .h1 { found.h1s.append(text) }
            return false
        case .a:
            readItemprop(node, &found)
            if found.author == nil, node.withAttributeBytes("rel", { TextWalk.containsIgnoringCase($0, "author") }) == true {
                found.author = authorName(node)
            }
            return true
        case .other where node.hasName("time"):
            readItemprop(node, &found)
            if let datetime = node.attribute("datetime") {
                let isPublished = node.hasAttribute("pubdate")
                    || node.attribute("itemprop")?.lowercased() == "datepublished"
                if isPublished && found.publishedTime == nil { found.publishedTime = datetime }
                if found.time == nil { found.time = datetime }
            }
            return true
        default:
            readItemprop(node, &found)
            return true
        }
    }

    /// An itemprop naming the author, or the published or modified time.
    private static func readItemprop(_ node: HTMLNode, _ found: inout Found) {
        if node.hasAttribute("itemprop"), let itemprop = node.attribute("itemprop")?.lowercased() {
            if found.author == nil, itemprop.split(separator: " ").contains("author") { found.author = authorName(node) }
            if itemprop == "datepublished" || itemprop == "datemodified", found.itemprops[itemprop] == nil {
                found.itemprops[itemprop] = node.attribute("content") ?? node.attribute("datetime")
                    ?? (node.hasName("abbr") ? node.attribute("title") : nil)
            }
        }
    }

    /// The name in an author element: its itemprop=name part when it has one; nil when empty or too long.
    private static func authorName(_ node: HTMLNode) -> String? {
        let named = node.withAttributeBytes("itemprop", { TextWalk.containsIgnoringCase($0, "name") }) == true
            ? node : ArticleTree.itempropName(in: node)
        let text = TextWalk.fold((named ?? node).textContent)
        return text.isEmpty || text.count >= 100 ? nil : text
    }

    /// The `<title>` less the site name (Readability's `_getArticleTitle`).
    private static func articleTitle(_ found: Found) -> String? {
        guard let original = found.documentTitle, !original.isEmpty else {
            return found.h1s.count == 1 ? found.h1s[0] : nil
        }
        let separators: Set<Character> = ["|", "-", "\\", "/", ">", "»", "–", "—"]
        let hierarchical: Set<Character> = ["\\", "/", ">", "»"]
        func wordCount(_ s: String) -> Int { s.split(whereSeparator: \.isWhitespace).count }
        let chars = Array(original)
        // Separators with a space on both sides.
        let spaced = chars.indices.filter { i in
            i > 0 && i + 1 < chars.count && chars[i - 1] == " " && chars[i + 1] == " " && separators.contains(chars[i])
        }
        var title = original
        var hadHierarchical = false
        if let last = spaced.last {
            hadHierarchical = spaced.contains { hierarchical.contains(chars[$0]) }
            let segments = (0...spaced.count).map { k -> String in
                let from = k == 0 ? 0 : spaced[k - 1] + 2
                let to = k < spaced.count ? spaced[k] - 1 : chars.count
                return from < to ? String(chars[from..<to]) : ""
            }
            if let heading = segments.first(where: { found.headings.contains($0) }) {
                // The segment the page also shows as its heading.
                title = heading
            } else if segments.count > 2, wordCount(segments[0]) >= 3,
                      segments.dropFirst().allSatisfy({ $0.count < segments[0].count })
            {
                // "Headline | Site | Tagline": the headline is the first and longest part.
                title = segments[0]
            } else {
                title = String(chars[..<(last - 1)])
                if wordCount(title) < 3, let first = chars.firstIndex(where: { separators.contains($0) }) {
                    title = String(chars[(first + 1)...])
                }
            }
        } else if original.contains(": ") {
            if !found.headings.contains(original) {
                let lastColon = chars.lastIndex(of: ":")!
                let firstColon = chars.firstIndex(of: ":")!
                title = String(chars[(lastColon + 1)...])
                if wordCount(title) < 3 {
                    title = String(chars[(firstColon + 1)...])
                } else if wordCount(String(chars[..<firstColon])) > 5 {
                    title = original
                }
            }
        } else if chars.count > 150 || chars.count < 15, found.h1s.count == 1 {
            title = found.h1s[0]
        }
        title = TextWalk.fold(title)
        let words = wordCount(title)
        let originalWords = wordCount(String(original.filter { !separators.contains($0) }))
        if words <= 4 && (!hadHierarchical || words != originalWords - 1) { title = original }
        return title
    }

    /// The first candidate that is not empty once whitespace is folded.
    private static func first(_ candidates: String?...) -> String? {
        for case let s? in candidates {
            let t = TextWalk.fold(s)
            if !t.isEmpty { return t }
        }
        return nil
    }

    private static func resolve(_ href: String, against base: String?) -> String {
        guard let base, let baseURL = URL(string: base), let resolved = URL(string: href, relativeTo: baseURL) else {
            return href
        }
        return resolved.absoluteString
    }
}

/// The article object of a page's JSON-LD (schema.org Article, NewsArticle, BlogPosting and kin).
struct JSONLDArticle {
    var name: String?
    var headline: String?
    var byline: String?
    var siteName: String?
    var published: String?
    var modified: String?

    /// Words one of which an article's `@type` contains (see `isArticleType`), ASCII case ignored: a blob
    /// that says none of them (breadcrumbs, organisation, website) is not parsed at all.
    static let typeWords = ByteWords(["article", "posting", "report", "apireference"])

    init?(parsing text: String) {
        var text = text
        guard text.withUTF8({ JSONLDArticle.typeWords.occurs(in: $0) }) else { return nil }
        var body = text[...]
        while let c = body.first, c.isWhitespace { body.removeFirst() }
        while let c = body.last, c.isWhitespace { body.removeLast() }
        for (open, close) in [("<![CDATA[", "]]>"), ("<!--", "-->")] where body.hasPrefix(open) && body.hasSuffix(close) {
            body = body.dropFirst(open.count).dropLast(close.count)
        }
        guard let data = body.data(using: .utf8),
              let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              let article = Self.find(parsed, depth: 0)
        else { return nil }
        name = article["name"] as? String
        headline = article["headline"] as? String
        byline = Self.names(article["author"])
        siteName = (article["publisher"] as? [String: Any])?["name"] as? String
        published = article["datePublished"] as? String
        modified = article["dateModified"] as? String
    }

    /// name or headline; when they differ, the one that matches the document's title (Readability's rule).
    func title(documentTitle: String?) -> String? {
        if let name, let headline, name != headline {
            let doc = documentTitle ?? ""
            let nameMatches = TextWalk.similarity(name, doc) > 0.75
            let headlineMatches = TextWalk.similarity(headline, doc) > 0.75
            return headlineMatches && !nameMatches ? headline : name
        }
        return name ?? headline
    }

    private static func find(_ value: Any, depth: Int) -> [String: Any]? {
        guard depth < 4 else { return nil }
        if let array = value as? [Any] {
            for item in array { if let found = find(item, depth: depth + 1) { return found } }
            return nil
        }
        guard let object = value as? [String: Any] else { return nil }
        if isArticleType(object["@type"]) { return object }
        if let graph = object["@graph"] { return find(graph, depth: depth + 1) }
        return nil
    }

    private static func isArticleType(_ type: Any?) -> Bool {
        if let list = type as? [Any] { return list.contains { isArticleType($0) } }
        guard let t = type as? String else { return false }
        return t.contains("Article") || t.hasSuffix("Posting") || t == "Report" || t == "APIReference"
    }

    private static func names(_ author: Any?) -> String? {
        if let s = author as? String { return s }
        if let object = author as? [String: Any] { return object["name"] as? String }
        if let list = author as? [Any] {
            let all = list.compactMap { names($0) }
            return all.isEmpty ? nil : all.joined(separator: ", ")
        }
        return nil
    }
}
