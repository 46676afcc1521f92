import Foundation
import PalimpsestHTML

/// The data the thread extractor reads comment markup with: which ids and classes mark a comment, where its
/// text, author and time are, what is not part of its text. A new site is usually a new hint here (or a user
/// rule, see `SiteRules`), not new code.
enum CommentSelectors {
    /// Candidate comment elements: an id with a digit, a named anchor (without id) with a digit, a class that
    /// says "comment" with a number of five digits or more. Tested on every element in one walk.
    static let candidates = [
        CandidateMark(attribute: .id, digits: 1),
        CandidateMark(attribute: .name, element: "a", unlessAttribute: "id", digits: 1),
        CandidateMark(attribute: .class, word: "comment", digits: 5),
    ]

    /// The thread's places, never article body: ids and class tokens (exact, case kept).
    static let threadPlaceIDs = ["comments", "respond", "disqus_thread"].map { Array($0.utf8) }
    static let threadPlaceClasses = ["comments-area", "comment-respond"].map { Array($0.utf8) }
    /// Where the thread would be when no comment is on the page.
    static let emptyThreadIDs = ["comments", "commentsList"].map { Array($0.utf8) }
    static let emptyThreadClasses = ["comments-area"].map { Array($0.utf8) }
    /// Class parts that say the thread is WordPress's comment list.
    static let wordPressListClasses = ["comment-list", "commentlist"].map { Array($0.utf8) }
    /// The class token of Drupal's reply containers.
    static let drupalIndented = [Array("indented".utf8)]

    /// Words in an id that mark a comment (lower case). Blogger's `c1234567...` is matched apart.
    static let idWords = ["comment", "kommentar", "reaction", "forum", "reply", "respuesta", "wc-comm-"]

    /// Ids that carry a comment number but are not comments.
    static let idStopWords = ["form", "nav", "pagination", "pager", "section", "wrap", "list", "area", "title", "respond", "anchor", "readmore", "abusif", "count", "vote", "rating", "like",
                              "share", "edit", "toggle", "-rt", "-ra", "reply-title", "avatar", "ad-"]

    /// wpDiscuz: `wc-comm-{id}_{parent}` (parent 0 = top level).
    static let wpDiscuzID = try! NSRegularExpression(pattern: "^wc-comm-(\\d+)_(\\d+)$")

    /// Class tokens or ids (lower case, substring) of places whose comment-like markup is not this article's
    /// thread: "recent comments" widgets, lists of most-commented stories. Checked on ancestors below <body>.
    static let foreignContainers = ["recentcomments", "recent-comments", "recent_comments", "widget_recent",
                                    "most-commented", "mostcommented", "popular-posts", "latest-comments",
                                    "derniers-commentaires", "letzte-kommentare"]
    /// Whole class tokens or ids that mark a sidebar.
    static let sidebarTokens: Set<String> = ["sidebar", "secondary", "widget-area", "sidebar-primary", "sidebar-secondary"]

    /// Where the comment's own text is, most specific first (class tokens, ids, property or itemprop values).
    static let textHints = ["schema:text", "comment-content", "comment-text", "comment_text", "commentaire-text",
                            "comment_content", "comment-texte", "wc-comment-text", "fig-comment-msg",
                            "mtbnewsCommentMessage", "format_text", "kommentar-text", "commentaire-texte", "reaction-text", "comment-message", "comment_message",
                            "comment-entry", "commentbody", "comment-body", "text", "message", "content", "body"]

    /// Where the author's name is, most specific first.
    static let authorHints = ["fn", "comment-author-name", "comment_author_name", "wc-comment-author", "fig-comment-user",
                              "mtbnewsCommentAuthorName", "comment-author", "comment_author", "username", "user-name",
                              "author-name", "autor-name", "autor", "auteur", "author", "user", "reviewer", "nickname", "pseudo", "name"]

    /// Where the posted time is shown.
    static let timeHints = ["comment-date", "comment_date", "comment-time", "comment_time", "comment-metadata",
                            "wc-comment-date", "datetime", "datum", "fecha", "date", "time", "published", "timestamp"]

    /// Parts of a comment that are not its text: actions, meta lines, titles, quotes of other comments.
    static let notTextHints = ["reply", "comment-reply", "comment-reply-link", "edit-link", "says", "comment-meta",
                               "comment-metadata", "comment-author", "comment_author", "comment-actions",
                               "comment_title", "comment-title", "xfBb-quote", "wpdiscuz-readmore", "wc-comment-footer",
                               "wc-comment-header", "links", "abusif", "signaler", "comment-footer", "vcard", "avatar",
                               "schema:name"]
    static let notTextTags: Set<String> = ["script", "style", "noscript", "button", "form", "footer", "header",
                                           "time", "img", "svg", "iframe", "select", "textarea", "input", "cite"]

    /// Words in the id or class of a container of comments, for the generic reader (lower case).
    static let containerWords = ["comment", "kommentar", "commentaire", "reaction", "réaction", "reactie", "discussion",
                                 "تعليق", "comentario", "komentar"]

    /// Attributes that carry a comment's id in custom markup.
    static let idAttributes = ["data-id", "data-comment-id", "data-commentid", "data-cid", "data-comment"]

    /// Depth classes: `depth-3`, `wc_comment_level-2`, `comment-level-2`, `level-2`.
    static let depthClass = try! NSRegularExpression(pattern: "(?:^|\\s)(?:depth|wc_comment_level|comment-level|level|thread-depth)-(\\d+)(?:\\s|$)")

    /// Placeholders shown where a removed comment stood.
    static let placeholder = try! NSRegularExpression(
        pattern: "^(?:this comment (?:has been|was) (?:removed|deleted)|comment (?:removed|deleted)|ce commentaire a été (?:supprimé|modéré|retiré)|ce commentaire a été supprimé par|commentaire supprimé|dieser kommentar wurde (?:vom (?:autor|administrator|blog-administrator) )?(?:gelöscht|entfernt)|kommentar gelöscht|este comentario (?:ha sido|fue) eliminado|تم حذف (?:هذا )?التعليق)",
        options: [.caseInsensitive])

    /// Declared counts: "34 Commentaires", "91 comments", "Kommentare (45)", "1.977 commentaires", "Un commentaire".
    static let declaredCount = try! NSRegularExpression(
        pattern: "(\\d{1,3}(?:[.,\\u00A0\\u202F ]\\d{3})+|\\d+)\\s*(?:comments?|commentaires?|(?:[a-zäöü]+-)?kommentare?|réactions?|reactions?|responses?|réponses?|antworten|replies|comentarios?|comentários?|thoughts? on|تعليقا?ت?|komentar)(?:\\b|\\s|$)|(?:comments?|commentaires?|kommentare?|réactions?|reactions?|comentarios?|تعليقات)\\s*[(\\[:]\\s*(\\d{1,3}(?:[.,\\u00A0 ]\\d{3})+|\\d+)\\s*[)\\]]?",
        options: [.caseInsensitive])
    static let noComment = try! NSRegularExpression(
        pattern: "^(?:no comments?|aucun commentaire|pas de commentaire|keine kommentare|0 comments?|sin comentarios|لا توجد تعليقات)\\b",
        options: [.caseInsensitive])
    /// How a count written without a digit may start (`noComment`, `oneComment`): text with no digit that
    /// starts otherwise is no count. Keep in step with those two expressions.
    static let countWithoutDigitStarts = ["no", "aucun", "pas", "keine", "sin", "لا", "one", "un", "ein", "تعليق"]
    static let oneComment = try! NSRegularExpression(
        pattern: "^(?:one|un|une|ein|eine|1)\\s+(?:comment|commentaire|kommentar|réaction|reaction|response|réponse)\\b|^تعليق واحد",
        options: [.caseInsensitive])

    /// Script widgets that load the thread: (name, substring of a script src / element id or class).
    static let scriptWidgets: [(String, String)] = [
        ("disqus", "disqus_thread"), ("disqus", "disqus.com"), ("disqus", "disqus_shortname"), ("facebook", "fb-comments"),
        ("facebook", "facebook.com/plugins/comments"), ("commento", "commento"), ("coral", "coral-talk"),
        ("coral", "coralproject"), ("viafoura", "viafoura"), ("openweb", "spot.im"), ("openweb", "openweb"),
        ("hyvor", "hyvor-talk"), ("livefyre", "livefyre"), ("intensedebate", "intensedebate"),
        ("utterances", "utteranc.es"), ("giscus", "giscus.app"), ("remark42", "remark42"), ("vuukle", "vuukle"),
    ]

    /// Links to the thread's other comment pages.
    static let commentPageLink = try! NSRegularExpression(pattern: "(?:/comment-page-\\d+/?|[?&;]cpage=\\d+|[?&]comments?_?page=\\d+|/comments?/page/\\d+)", options: [.caseInsensitive])
}

/// A mark of a candidate comment element: `attribute` holds a run of at least `digits` ASCII digits (and
/// `word`, case kept, when given), on `element` only when given, and not when `unlessAttribute` is present.
struct CandidateMark {
    enum Attribute { case id, name, `class` }
    var attribute: Attribute
    var element: StaticString?
    var unlessAttribute: StaticString?
    var word: StaticString?
    var digits: Int

    init(attribute: Attribute, element: StaticString? = nil, unlessAttribute: StaticString? = nil,
         word: StaticString? = nil, digits: Int) {
        self.attribute = attribute
        self.element = element
        self.unlessAttribute = unlessAttribute
        self.word = word
        self.digits = digits
    }

    func marks(_ node: HTMLNode) -> Bool {
        node.withIDAndClass { marks(node, id: $0, class: $1) }
    }

    /// The test with the element's id and class already read (a page scan reads them once for every test).
    func marks(_ node: HTMLNode, id: UnsafeBufferPointer<UInt8>?, class cls: UnsafeBufferPointer<UInt8>?) -> Bool {
        if let element, !node.hasName(element) { return false }
        if let unlessAttribute, node.hasAttribute(unlessAttribute) { return false }
        switch attribute {
        case .id: if let id { return holds(id) } else { return false }
        case .class: if let cls { return holds(cls) } else { return false }
        case .name: return node.withAttributeBytes("name", { holds($0) }) ?? false
        }
    }

    private func holds(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var run = 0, longest = 0
        for b in bytes {
            if b >= 0x30 && b <= 0x39 { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        guard longest >= digits else { return false }
        guard let word else { return true }
        return word.withUTF8Buffer { cMemmem(bytes.baseAddress, bytes.count, $0.baseAddress, $0.count) } != nil
    }
}
