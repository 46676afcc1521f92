import Foundation

/// What the runner knows of one watch between runs (kept in the state file).
public struct WatchState: Sendable, Hashable, Codable {
    public var url: String
    /// The schedule file that defines the watch (for a feed's item: the feed's file).
    public var file: String
    /// For a feed's item: the feed's URL, and the item's title.
    public var feed: String?
    public var title: String?
    /// When the watch began: its `start`, else when the runner first knew it (a feed's item: first seen).
    public var began: Date
    /// When the next capture is due.
    public var nextDue: Date
    /// The current interval of the adaptive cadence, between the watch's floor and ceiling.
    public var interval: TimeInterval
    /// Captures in a row that changed nothing.
    public var quietCaptures: Int = 0
    /// When a capture last changed the thread.
    public var lastChangeAt: Date?
    public var lastResult: RunResult?
    public var captures: Int = 0
    public var failures: Int = 0
    /// Retries made since the last success (bounded by the runner's `maxRetries`).
    public var retries: Int = 0
    /// Runs that started more than one interval after they were due, and the runs skipped because of it
    /// (the runner makes one late run, not a burst of catch-up captures).
    public var lateRuns: Int = 0
    public var missedRuns: Int = 0
    public var lastLate: LateRun?
    /// Why the watch has ended, once it has.
    public var finished: String?

    public init(url: String, file: String, feed: String? = nil, title: String? = nil, began: Date, nextDue: Date,
                interval: TimeInterval) {
        self.url = url
        self.file = file
        self.feed = feed
        self.title = title
        self.began = began
        self.nextDue = nextDue
        self.interval = interval
    }
}

/// One run of a watch: when it was due, when it ran, how it went.
public struct RunResult: Sendable, Hashable, Codable {
    public var scheduledFor: Date
    public var startedAt: Date
    /// "fetched", "unchanged", "gone", "failed" (what the capture recorded), or "error" (nothing recorded).
    public var outcome: String
    /// The capture changed the thread or the article.
    public var changed: Bool
    /// One line: what changed, or what went wrong.
    public var summary: String
    /// The capture's number in the store's history, when one was recorded.
    public var captureNumber: Int?
    /// More than one interval after it was due.
    public var late: Bool
    /// Runs skipped because this one was late.
    public var missed: Int

    public init(scheduledFor: Date, startedAt: Date, outcome: String, changed: Bool, summary: String,
                captureNumber: Int? = nil, late: Bool = false, missed: Int = 0) {
        self.scheduledFor = scheduledFor
        self.startedAt = startedAt
        self.outcome = outcome
        self.changed = changed
        self.summary = summary
        self.captureNumber = captureNumber
        self.late = late
        self.missed = missed
    }
}

/// A late run: due then, ran then, and how many runs it stood for.
public struct LateRun: Sendable, Hashable, Codable {
    public var scheduledFor: Date
    public var ranAt: Date
    public var missed: Int
}

/// What the runner knows of one feed.
public struct FeedState: Sendable, Hashable, Codable {
    public var url: String
    public var file: String
    public var nextCheck: Date
    public var lastCheck: Date?
    /// Why the last read failed (nil after a good read).
    public var lastError: String?
    /// The item URLs seen, oldest first, at most the runner's `maxFeedItems`.
    public var seen: [String] = []
    /// Watches made from its items.
    public var itemWatches: Int = 0
    public var failures: Int = 0

    public init(url: String, file: String, nextCheck: Date) {
        self.url = url
        self.file = file
        self.nextCheck = nextCheck
    }
}

/// Everything the runner keeps between runs: one JSON file next to the store
/// (`<store>.schedule-state.json`), written whole each time (temporary file, then rename). Dates are kept to
/// the second.
public struct ScheduleState: Sendable, Hashable, Codable {
    public var version = 1
    /// By URL.
    public var watches: [String: WatchState] = [:]
    /// By URL.
    public var feeds: [String: FeedState] = [:]

    public init() {}

    /// The state file that goes with a store file.
    public static func path(forStore store: String) -> String { store + ".schedule-state.json" }

    /// Reads the state file; a missing file is an empty state.
    public static func load(path: String) throws -> ScheduleState {
        guard FileManager.default.fileExists(atPath: path) else { return ScheduleState() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScheduleStateError(path: path, message: "cannot read the file")
        }
        do {
            return try decoder.decode(ScheduleState.self, from: data)
        } catch {
            throw ScheduleStateError(path: path, message: "not a schedule state file: \(error)")
        }
    }

    /// Writes the state file atomically: a temporary file in the same folder, then a rename.
    public func save(path: String) throws {
        let data: Data
        do {
            data = try ScheduleState.encoder.encode(self)
        } catch {
            throw ScheduleStateError(path: path, message: "cannot encode: \(error)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ScheduleStateError(path: path, message: "cannot create \(folder.path): \(error)")
        }
        let temp = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temp, contents: data) else {
            throw ScheduleStateError(path: path, message: "cannot write \(temp): \(String(cString: strerror(errno)))")
        }
        guard rename(temp, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temp)
            throw ScheduleStateError(path: path, message: "cannot rename \(temp): \(message)")
        }
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys]
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}

/// The state file could not be read or written.
public struct ScheduleStateError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "schedule state \(path): \(message)" }
}
