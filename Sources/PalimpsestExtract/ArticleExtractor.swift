import Foundation
import PalimpsestCore
import PalimpsestHTML

struct ArticleResult {
    var article: Article
    var bodyFound: Bool
    var problems: [Problem]
}

/// The article half: title, byline, dates, body blocks; nothing of the page around it.
struct ArticleExtractor {
    var rules: SiteRules

    func extract(_ document: HTMLDocument, url: String?, exclude: [HTMLNode]) -> ArticleResult {
        ArticleResult(article: Article(), bodyFound: false, problems: [])
    }
}
