import Foundation
import PalimpsestCore

/// Which capture: a number from history, a time (the last complete capture at or before it), or the latest complete.
public enum CaptureRef: Sendable, Hashable, CustomStringConvertible {
    case number(Int)
    case time(Date)
    case latestComplete

    public var description: String {
        switch self {
        case .number(let n): return "capture number \(n)"
        case .time(let d): return "a complete capture at or before \(ISO8601DateFormatter().string(from: d))"
        case .latestComplete: return "the latest complete capture"
        }
    }
}

/// One capture to record: what was fetched (or why nothing was) and what the extractor read from it.
public struct CaptureInput: Sendable {
    /// The page's URL as the user named it: the page's key in the store.
    public var url: String
    public var capturedAt: Date
    /// The main page first, then the thread's other comment pages. Empty when the fetch failed.
    public var responses: [HTTPResponse]
    /// Why there is no usable response.
    public var failure: FetchFailure?
    /// The extraction (comment pages merged in); nil for 304, failures, 404 and 5xx.
    public var extraction: Extraction?
    /// Problems of the capture itself (a comment page that could not be fetched...).
    public var extraProblems: [Problem]
    public var duration: Double

    public init(url: String, capturedAt: Date, responses: [HTTPResponse] = [], failure: FetchFailure? = nil,
                extraction: Extraction? = nil, extraProblems: [Problem] = [], duration: Double = 0) {
        self.url = url
        self.capturedAt = capturedAt
        self.responses = responses
        self.failure = failure
        self.extraction = extraction
        self.extraProblems = extraProblems
        self.duration = duration
    }
}

/// A recorded capture and what it changed.
public struct CaptureRecord: Sendable, Hashable {
    public var info: CaptureInfo
    public var changes: CaptureChanges
}

/// A stored response, its body restored byte for byte (`response.text` is empty: decode `body` with its
/// `charset` or Content-Type when text is needed).
public struct StoredResponse: Sendable {
    public var captureNumber: Int
    public var ordinal: Int
    public var capturedAt: Date
    /// SHA-256 of the body, lowercase hex.
    public var sha256: String
    public var response: HTTPResponse
}

/// One version of a comment and the captures around it, for export.
public struct CommentVersionRow: Sendable, Hashable {
    public var commentID: String
    public var version: Int
    public var parent: String?
    public var author: String?
    public var posted: String?
    public var kind: String
    public var text: String
    public var firstSeenCapture: Int
    public var firstSeenAt: Date
    /// The last complete capture that showed this version.
    public var lastSeenCapture: Int
    public var lastSeenAt: Date
    /// When the comment is gone: the first complete capture that lacked it (after this version).
    public var disappearedCapture: Int?
    public var disappearedAt: Date?
    /// The latest version of a comment present now whose parent the store knows and is not present now.
    public var orphan: Bool
}

/// A page of the store, for `palimpsest pages`.
public struct PageSummary: Sendable, Hashable {
    /// The page's URL as the user named it (its key).
    public var url: String
    public var captures: Int
    public var lastCapturedAt: Date?
    public var completeCaptures: Int
    public var lastCompleteAt: Date?
    /// Comments present after the last capture.
    public var present: Int
}
