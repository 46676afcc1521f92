import Foundation

/// The comment thread of one article as read from its page (and its other comment pages).
public struct CommentThread: Sendable, Hashable, Codable {
    /// Every item in document order, pingbacks and placeholders included (see `Comment.kind`).
    public var items: [Comment]
    /// The count the page prints ("34 Commentaires"), nil where it prints none.
    public var declaredCount: Int?
    /// False when the thread is loaded by a script (Disqus, Facebook...) and is not in the markup.
    public var inMarkup: Bool
    /// The script widget that loads the thread, when `inMarkup` is false ("disqus", "facebook", ...).
    public var scriptWidget: String?
    /// Absolute URLs of the thread's other comment pages (WordPress /comment-page-N/, ?cpage=N).
    public var pages: [String]
    /// The comment system recognised ("wordpress", "drupal", "blogger", "spip", "wpdiscuz", "generic", "rules").
    public var system: String?

    public init(items: [Comment] = [], declaredCount: Int? = nil, inMarkup: Bool = true,
                scriptWidget: String? = nil, pages: [String] = [], system: String? = nil) {
        self.items = items
        self.declaredCount = declaredCount
        self.inMarkup = inMarkup
        self.scriptWidget = scriptWidget
        self.pages = pages
        self.system = system
    }

    /// The comments proper: no pingbacks or trackbacks.
    public var comments: [Comment] { items.filter { $0.kind == .comment || $0.kind == .placeholder } }
}
