import Foundation
import PalimpsestCore
import PalimpsestHTML

/// The article half of a page's extraction.
struct ArticleResult {
    var article: Article
    /// False when no body text was found (the page is then incomplete: `problems` says "no-article-body").
    var bodyFound: Bool
    var problems: [Problem]
}

/// The article half: title, byline, dates, body blocks; nothing of the page around it.
///
/// Metadata comes from JSON-LD and meta tags (`MetadataReader`). The body is found the way Mozilla
/// Readability finds it (`ArticleTree`: score containers by their paragraphs, discount links, widen to
/// agreeing candidates and content siblings, clean out boilerplate), in one walk and one bottom-up pass
/// instead of repeated DOM queries; when the result is shorter than 500 characters the passes are retried
/// with fewer filters and the longest result is kept. A site rule's body XPath, when one applies to the URL,
/// replaces the search. The comment thread (`exclude`) is never body.
struct ArticleExtractor {
    var rules: SiteRules

    /// Below this many characters the extractor retries with fewer filters (Readability's threshold).
    static let shortArticle = 500

    /// The passes tried in turn until the article is long enough.
    static let attempts = [
        ArticlePasses(),
        ArticlePasses(stripUnlikely: false),
        ArticlePasses(stripUnlikely: false, weightClasses: false),
        ArticlePasses(stripUnlikely: false, weightClasses: false, cleanConditionally: false),
    ]

    /// The article of a parsed page. `url` resolves the canonical link and picks the site rule; `exclude`
    /// holds the comment thread's nodes, never read as body.
    func extract(_ document: HTMLDocument, url: String?, exclude: [HTMLNode]) -> ArticleResult {
        let excluded = Set(exclude)
        let metadata = MetadataReader.read(document, url: url, exclude: excluded)
        let body: (walk: TextWalk, byline: String?)
        var problems: [Problem] = []
        if let rule = rules.rule(forURL: url), let xpath = rule.bodyXPath {
            body = Self.ruleBody(document, xpath: xpath, exclude: excluded, title: metadata.title)
            if body.walk.blocks.isEmpty {
                problems.append(Problem("no-article-body", "the site rule for \(rule.host) found no text at \(xpath)"))
            }
        } else {
            body = Self.searchBody(document, exclude: excluded, title: metadata.title)
            if body.walk.blocks.isEmpty {
                problems.append(Problem("no-article-body", "no article text was found in the page"))
            }
        }
        let article = Article(
            title: metadata.title, byline: metadata.byline ?? body.byline ?? metadata.markupAuthor,
            published: metadata.published, modified: metadata.modified, language: metadata.language,
            siteName: metadata.siteName, canonicalURL: metadata.canonicalURL, blocks: body.walk.blocks)
        return ArticleResult(article: article, bodyFound: !article.blocks.isEmpty, problems: problems)
    }

    /// Readability's search, retried with fewer filters while the article is short; the longest wins.
    /// Also returns the author line the first pass found in the markup.
    static func searchBody(_ document: HTMLDocument, exclude: Set<HTMLNode>, title: String?)
        -> (walk: TextWalk, byline: String?)
    {
        var longest: TextWalk?
        var byline: String?
        for passes in attempts {
            var tree = ArticleTree(document: document, passes: passes, exclude: exclude, title: title)
            byline = byline ?? tree.byline
            let roots = tree.selectArticle()
            tree.clean(roots: roots, passes: passes)
            let walk = TextWalk(tree: tree, roots: roots)
            if walk.characters >= shortArticle { return (walk, byline) }
            if walk.characters > longest?.characters ?? -1 { longest = walk }
        }
        return (longest ?? TextWalk(tree: ArticleTree(), roots: []), byline)
    }

    /// The body a site rule names: no scoring and no class-name guesses; hidden and never-text elements,
    /// navigation, asides, footers, share bars and the comment thread still come out.
    static func ruleBody(_ document: HTMLDocument, xpath: String, exclude: Set<HTMLNode>, title: String?)
        -> (walk: TextWalk, byline: String?)
    {
        let passes = ArticlePasses(stripUnlikely: false, cleanConditionally: false)
        var tree = ArticleTree(document: document, passes: passes, exclude: exclude, title: title)
        let roots = tree.indexes(of: document.select(xpath))
        tree.clean(roots: roots, passes: passes)
        return (TextWalk(tree: tree, roots: roots), tree.byline)
    }
}
