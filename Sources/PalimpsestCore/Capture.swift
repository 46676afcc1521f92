import Foundation

/// One capture of a page as the store records it.
public struct CaptureInfo: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// A page was received and extracted (complete or not: see `complete`).
        case fetched
        /// 304 Not Modified: the page is as it was; nothing extracted, nothing changes.
        case unchanged
        /// 404 or 410: an event of the page, not a disappearance of each comment.
        case gone
        /// No usable response (network failure, 5xx, refused): recorded, changes nothing.
        case failed
    }

    /// 1, 2, 3... per page, in the order captured.
    public var number: Int
    public var capturedAt: Date
    public var httpStatus: Int?
    public var outcome: Outcome
    /// Only a complete capture can make a comment disappear or end an article version.
    public var complete: Bool
    public var problems: [Problem]
    public var declaredCount: Int?
    public var finalURL: String?

    public init(number: Int, capturedAt: Date, httpStatus: Int?, outcome: Outcome, complete: Bool,
                problems: [Problem] = [], declaredCount: Int? = nil, finalURL: String? = nil) {
        self.number = number
        self.capturedAt = capturedAt
        self.httpStatus = httpStatus
        self.outcome = outcome
        self.complete = complete
        self.problems = problems
        self.declaredCount = declaredCount
        self.finalURL = finalURL
    }
}

/// What a capture changed, against the state before it.
public struct CaptureChanges: Sendable, Hashable, Codable {
    public var appeared: [String] = []
    public var disappeared: [String] = []
    /// Comments that were gone and are back.
    public var reappeared: [String] = []
    public var edited: [String] = []
    public var articleChanged = false
    /// How many comments are present after this capture.
    public var present = 0

    public init(appeared: [String] = [], disappeared: [String] = [], reappeared: [String] = [],
                edited: [String] = [], articleChanged: Bool = false, present: Int = 0) {
        self.appeared = appeared
        self.disappeared = disappeared
        self.reappeared = reappeared
        self.edited = edited
        self.articleChanged = articleChanged
        self.present = present
    }
}

/// A comment as the store knows it at some capture: its version then, and its life around it.
public struct CommentState: Sendable, Hashable, Codable {
    public var comment: Comment
    /// Present at that capture.
    public var present: Bool
    /// The capture where the comment was first seen.
    public var appearedAt: Int
    /// When the comment is not present: the first complete capture that lacked it.
    public var disappearedAt: CaptureInfo?
    /// Its parent is known and not present at that capture: a reply left orphaned.
    public var orphan: Bool

    public init(comment: Comment, present: Bool, appearedAt: Int, disappearedAt: CaptureInfo? = nil,
                orphan: Bool = false) {
        self.comment = comment
        self.present = present
        self.appearedAt = appearedAt
        self.disappearedAt = disappearedAt
        self.orphan = orphan
    }
}

/// A page as it stood at one capture: the article version and the thread, as the store rebuilds it.
public struct Snapshot: Sendable, Hashable, Codable {
    public var url: String
    public var capture: CaptureInfo
    public var article: Article
    /// In thread order. Comments gone by then are included only when asked for (`present == false`).
    public var comments: [CommentState]

    public init(url: String, capture: CaptureInfo, article: Article, comments: [CommentState]) {
        self.url = url
        self.capture = capture
        self.article = article
        self.comments = comments
    }
}
