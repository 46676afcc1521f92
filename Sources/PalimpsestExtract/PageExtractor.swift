import Foundation
import PalimpsestCore
import PalimpsestHTML

/// From a page (its HTML and URL) to the article, the comment thread and whether both were read whole.
public struct PageExtractor: Sendable {
    public var rules: SiteRules

    public init(rules: SiteRules = SiteRules()) {
        self.rules = rules
    }

    /// Extracts from decoded HTML.
    public func extract(html: String, url: String? = nil) -> Extraction {
        let document: HTMLDocument
        do {
            document = try HTMLDocument(html: html, url: url)
        } catch {
            return Extraction(url: url, problems: [Problem("unreadable", "\(error)")])
        }
        let thread = ThreadExtractor(rules: rules).extract(document, url: url)
        let article = ArticleExtractor(rules: rules).extract(document, url: url, exclude: thread.containers)
        var problems = article.problems + thread.problems
        problems += Completeness.check(html: html, document: document, article: article, thread: thread)
        return Extraction(url: url, article: article.article, thread: thread.thread, problems: problems)
    }

    /// Extracts from raw bytes, decoding them first (Content-Type charset, meta charset, BOM, UTF-8).
    public func extract(data: Data, url: String? = nil, contentType: String? = nil) -> Extraction {
        let decoded = Charset.decode(data, contentType: contentType)
        return extract(html: decoded.text, url: url)
    }
}
