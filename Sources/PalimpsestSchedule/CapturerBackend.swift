import Foundation
import PalimpsestCapture
import PalimpsestCore
import PalimpsestExtract
import PalimpsestFetch
import PalimpsestStore

/// The real backend: every watch captured through one shared `Fetcher` (so the per-host delay and the
/// robots.txt cache hold across all watches) into one `Store`, with each watch's site rules.
///
/// A watch with its own cookie file needs a fetcher reading that file: one fetcher per cookie file, made
/// once and shared by every watch naming that file. The runner never captures two watches of one host at
/// the same time, so the host is still visited one capture at a time.
public final class CapturerBackend: ScheduleBackend, @unchecked Sendable {
    public let store: Store
    public let fetchOptions: FetchOptions
    private let clock: any WallClock
    private let shared: Fetcher
    // Guarded by `lock`.
    private let lock = NSLock()
    private var cookieFetchers: [String: Fetcher] = [:]
    private var extractors: [String: (modified: Date?, extractor: PageExtractor)] = [:]

    public init(store: Store, fetchOptions: FetchOptions = FetchOptions(), clock: any WallClock = SystemClock()) {
        self.store = store
        self.fetchOptions = fetchOptions
        self.clock = clock
        shared = Fetcher(options: fetchOptions, clock: clock)
    }

    public func capture(_ request: CaptureRequest) async throws -> CaptureResult {
        let capturer = Capturer(fetcher: fetcher(cookies: request.cookies), store: store,
                                extractor: try extractor(rules: request.rules), clock: clock)
        var notes: [Problem] = []
        if request.late {
            notes.append(Problem("late-run", "due \(ScheduleDate.format(request.scheduledFor)), ran \(ScheduleDate.format(request.startedAt)); "
                + "\(request.missed) run\(request.missed == 1 ? "" : "s") missed", severity: .warning))
        }
        return CaptureResult(try await capturer.capture(request.url, notes: notes))
    }

    public func fetchFeed(url: String, cookies: String?) async throws -> Data {
        let response = try await fetcher(cookies: cookies).fetch(url)
        guard (200..<300).contains(response.status) else {
            throw FeedError(url: url, message: "answered HTTP \(response.status)")
        }
        return response.body
    }

    /// The shared fetcher, or the one for this cookie file.
    func fetcher(cookies: String?) -> Fetcher {
        guard let cookies else { return shared }
        return lock.withLock {
            if let f = cookieFetchers[cookies] { return f }
            var options = fetchOptions
            options.cookieFile = cookies
            options.writeCookies = false
            let f = Fetcher(options: options, clock: clock)
            cookieFetchers[cookies] = f
            return f
        }
    }

    /// The extractor with this rules file, read again when the file changes.
    func extractor(rules: String?) throws -> PageExtractor {
        guard let rules else { return PageExtractor() }
        let modified = (try? FileManager.default.attributesOfItem(atPath: rules))?[.modificationDate] as? Date
        if let cached = lock.withLock({ extractors[rules] }), cached.modified == modified { return cached.extractor }
        let extractor = PageExtractor(rules: try SiteRules.load(contentsOf: URL(fileURLWithPath: rules)))
        lock.withLock { extractors[rules] = (modified, extractor) }
        return extractor
    }
}

extension CaptureResult {
    /// The schedule's view of a recorded capture.
    public init(_ record: CaptureRecord) {
        let c = record.changes, i = record.info
        let changed = i.outcome == .fetched
            && (!c.appeared.isEmpty || !c.disappeared.isEmpty || !c.reappeared.isEmpty || !c.edited.isEmpty
                || c.articleChanged)
        var parts = ["capture \(i.number)", i.outcome.rawValue]
        if let status = i.httpStatus { parts.append("HTTP \(status)") }
        if i.outcome == .fetched {
            parts.append(i.complete ? "complete" : "incomplete")
            parts.append(c.present == 1 ? "1 comment" : "\(c.present) comments")
            for (n, word) in [(c.appeared.count, "appeared"), (c.disappeared.count, "disappeared"),
                              (c.reappeared.count, "reappeared"), (c.edited.count, "edited")] where n > 0 {
                parts.append("\(n) \(word)")
            }
            if c.articleChanged { parts.append("article changed") }
        }
        if let problem = i.problems.first { parts.append(problem.description) }
        self.init(outcome: i.outcome, changed: changed, summary: parts.joined(separator: ", "),
                  captureNumber: i.number)
    }
}
