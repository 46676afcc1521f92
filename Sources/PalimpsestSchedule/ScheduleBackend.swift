import Foundation
import PalimpsestCore

/// What the runner needs from the world: capture a page, read a feed. The runner is tested with a fake;
/// `CapturerBackend` is the real one (one shared fetcher, the store).
public protocol ScheduleBackend: Sendable {
    /// Captures one page. Throws only when nothing could be recorded (the store failed); what the web does
    /// (network failure, 5xx...) comes back as a `.failed` result.
    func capture(_ request: CaptureRequest) async throws -> CaptureResult
    /// The feed's bytes. Throws when there is no usable response (including a non-2xx status).
    func fetchFeed(url: String, cookies: String?) async throws -> Data
}

/// One capture the runner asks for.
public struct CaptureRequest: Sendable, Hashable {
    public var url: String
    /// The site rules file (JSON) and cookie file of the watch, absolute paths.
    public var rules: String?
    public var cookies: String?
    /// When the run was due, and when it started.
    public var scheduledFor: Date
    public var startedAt: Date
    /// Started more than one interval after it was due; `missed` runs were skipped.
    public var late: Bool
    public var missed: Int

    public init(url: String, rules: String? = nil, cookies: String? = nil, scheduledFor: Date, startedAt: Date,
                late: Bool = false, missed: Int = 0) {
        self.url = url
        self.rules = rules
        self.cookies = cookies
        self.scheduledFor = scheduledFor
        self.startedAt = startedAt
        self.late = late
        self.missed = missed
    }
}

/// How a capture went, as far as the schedule cares.
public struct CaptureResult: Sendable, Hashable {
    public var outcome: CaptureInfo.Outcome
    /// A comment appeared, disappeared, reappeared or was edited, or the article changed.
    public var changed: Bool
    /// One line for the log and `schedule list`.
    public var summary: String
    /// The capture's number in the page's history.
    public var captureNumber: Int?

    public init(outcome: CaptureInfo.Outcome, changed: Bool, summary: String, captureNumber: Int? = nil) {
        self.outcome = outcome
        self.changed = changed
        self.summary = summary
        self.captureNumber = captureNumber
    }
}
