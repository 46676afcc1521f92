import Foundation
import PalimpsestCore

/// `palimpsest extract --json`: {"url", "article": {...}, "comments": {...}, "complete", "problems"}.
public struct ExtractionJSON: Encodable {
    struct ArticleJSON: Encodable {
        var title, byline, published, modified, language, site_name, canonical_url: String?
        var paragraphs: [String]
        var blocks: [BlockJSON]
    }
    struct BlockJSON: Encodable {
        var kind: String
        var text: String
    }
    struct CommentsJSON: Encodable {
        var declared_count: Int?
        var in_markup: Bool
        var script_widget: String?
        var system: String?
        var count: Int
        var pages: [String]
        var items: [CommentJSON]
        /// Pingbacks and trackbacks: kept apart, never counted as comments.
        var pingbacks: [CommentJSON]
    }

    var url: String?
    var article: ArticleJSON
    var comments: CommentsJSON
    var complete: Bool
    var problems: [ProblemJSON]

    public init(_ e: Extraction) {
        url = e.url
        let a = e.article
        article = ArticleJSON(title: a.title, byline: a.byline, published: a.published, modified: a.modified,
                              language: a.language, site_name: a.siteName, canonical_url: a.canonicalURL,
                              paragraphs: a.paragraphs,
                              blocks: a.blocks.map { BlockJSON(kind: $0.kind.rawValue, text: $0.text) })
        comments = CommentsJSON(declared_count: e.thread.declaredCount, in_markup: e.thread.inMarkup,
                                script_widget: e.thread.scriptWidget, system: e.thread.system,
                                count: e.thread.comments.count, pages: e.thread.pages,
                                items: e.thread.comments.map(CommentJSON.init),
                                pingbacks: e.thread.items.filter { $0.kind == .pingback || $0.kind == .trackback }
                                    .map(CommentJSON.init))
        complete = e.complete
        problems = e.problems.map(ProblemJSON.init)
    }
}

/// A comment as every JSON output shows it: {"id", "parent", "depth", "author", "posted", "text", "kind", ...}.
public struct CommentJSON: Encodable, Hashable {
    public var id: String
    public var parent: String?
    public var depth: Int
    public var author: String?
    public var author_url: String?
    public var posted: String?
    public var posted_text: String?
    public var text: String
    public var kind: String
    public var permalink: String?

    public init(_ c: Comment) {
        id = c.id
        parent = c.parent
        depth = c.depth
        author = c.author
        author_url = c.authorURL
        posted = c.posted
        posted_text = c.postedText
        text = c.text
        kind = c.kind.rawValue
        permalink = c.permalink
    }

    public func encode(to encoder: Encoder) throws {
        // Explicit nulls, so that scripts can rely on every field being there.
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(parent, forKey: .parent)
        try c.encode(depth, forKey: .depth)
        try c.encode(author, forKey: .author)
        try c.encode(author_url, forKey: .author_url)
        try c.encode(posted, forKey: .posted)
        try c.encode(posted_text, forKey: .posted_text)
        try c.encode(text, forKey: .text)
        try c.encode(kind, forKey: .kind)
        try c.encode(permalink, forKey: .permalink)
    }

    enum CodingKeys: String, CodingKey {
        case id, parent, depth, author, author_url, posted, posted_text, text, kind, permalink
    }
}

public struct ProblemJSON: Encodable, Hashable {
    public var code: String
    public var message: String
    public var severity: String
    public init(_ p: Problem) {
        code = p.code
        message = p.message
        severity = p.severity.rawValue
    }
}
