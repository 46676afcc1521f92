import Foundation

/// What the extractor read from one page: the article, the thread and whether it can be trusted whole.
public struct Extraction: Sendable, Hashable, Codable {
    public var url: String?
    public var article: Article
    public var thread: CommentThread
    public var problems: [Problem]

    public init(url: String? = nil, article: Article = Article(), thread: CommentThread = CommentThread(),
                problems: [Problem] = []) {
        self.url = url
        self.article = article
        self.thread = thread
        self.problems = problems
    }

    /// Complete when no problem makes it incomplete. Only a complete extraction can make a comment disappear.
    public var complete: Bool { problems.allowsComplete }
}
