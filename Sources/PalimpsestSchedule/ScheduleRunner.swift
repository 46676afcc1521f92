import Foundation
import PalimpsestCore

/// How the runner works.
public struct RunnerOptions: Sendable {
    /// Captures in flight at once, across all hosts (one at a time per host).
    public var concurrency: Int
    /// Retries of a failed capture before the regular schedule continues.
    public var maxRetries: Int
    /// The long-lived runner wakes at least this often to read changed schedule files.
    public var reloadEvery: TimeInterval
    /// Item URLs remembered per feed (at least twice the feed's length is kept).
    public var maxFeedItems: Int
    /// Seeds the jitter that spreads watches of one host; nil: seeded from the time.
    public var seed: UInt64?

    public init(concurrency: Int = 4, maxRetries: Int = 3, reloadEvery: TimeInterval = 60, maxFeedItems: Int = 500,
                seed: UInt64? = nil) {
        self.concurrency = max(1, concurrency)
        self.maxRetries = max(0, maxRetries)
        self.reloadEvery = reloadEvery
        self.maxFeedItems = max(1, maxFeedItems)
        self.seed = seed
    }
}

/// What one pass did.
public struct PassReport: Sendable, Hashable {
    /// Captures made (failed ones included), and of them the failed ones.
    public var captures = 0
    public var failures = 0
    /// Runs that started more than one interval late, and the runs they stood for.
    public var lateRuns = 0
    public var missedRuns = 0
    public var feedsRead = 0
    public var feedFailures = 0
    /// New feed items that became watches.
    public var newItems = 0
    /// Watches that ended in this pass.
    public var finished = 0
    /// Due watches left for later because the runner is stopping.
    public var deferred = 0
    /// What is wrong with the schedule files now.
    public var errors: [ScheduleError] = []

    public init() {}
}

/// The long-lived runner: reads the schedule files, captures due watches (bounded concurrency, one capture
/// at a time per host, jitter between watches of one host), reads feeds, follows the adaptive cadence,
/// retries failures, records late and missed runs, and keeps its state in a file across restarts.
///
/// Time comes from the injected clock; captures from the injected backend. `pass()` is one pass at the
/// clock's now; `run()` repeats passes, sleeping on the clock in between, until `stop()`. Stopping lets
/// the captures in flight finish (each is one store transaction) and starts no new one.
public actor ScheduleRunner {
    public nonisolated let statePath: String
    private let backend: any ScheduleBackend
    private let clock: any WallClock
    private let options: RunnerOptions
    private let log: @Sendable (String) -> Void
    private var files: ScheduleSet
    private var state: ScheduleState
    private var random: SplitMix64
    private var stopping = false
    private var passing = false
    private var reportedErrors: [ScheduleError] = []
    // The long-lived loop's sleep: a continuation resumed by the clock or by stop().
    private var wake: CheckedContinuation<Void, Never>?
    private var sleeper: Task<Void, Never>?
    private var sleepGeneration = 0
    private var lastSave: TimeInterval = 0

    /// A runner over the schedule files of `directory`, its state in `statePath` (read now: an unreadable
    /// state file is an error, never silently replaced).
    public init(directory: String, statePath: String, backend: any ScheduleBackend, clock: any WallClock,
                options: RunnerOptions = RunnerOptions(), log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.statePath = statePath
        self.backend = backend
        self.clock = clock
        self.options = options
        self.log = log
        files = ScheduleSet(directory: directory)
        state = try ScheduleState.load(path: statePath)
        random = SplitMix64(seed: options.seed ?? UInt64(Date().timeIntervalSince1970 * 1000))
    }

    /// The state as it stands (what `schedule list` shows).
    public var currentState: ScheduleState { state }

    /// True once `stop()` was called.
    public var isStopping: Bool { stopping }

    /// Asks the runner to stop: no new capture starts, those in flight finish, `run()` returns.
    public func stop() {
        stopping = true
        sleeper?.cancel()
        sleeper = nil
        wakeUp(generation: sleepGeneration)
    }

    /// Runs passes until `stop()`; between passes, sleeps until the next watch or feed is due (or the next
    /// look at the schedule files).
    public func run() async {
        while !stopping {
            _ = await pass()
            guard !stopping else { break }
            await sleep(until: nextWake())
        }
    }

    /// One pass at the clock's now: reload changed files, read due feeds, capture due watches, save.
    /// A pass already under way makes this one return at once with an empty report.
    public func pass() async -> PassReport {
        var report = PassReport()
        guard !passing else { return report }
        passing = true
        defer { passing = false }
        let now = clock.now()
        reload()
        synchronize(now: now)
        await readFeeds(now: now, report: &report)
        synchronize(now: now)
        await captureDue(now: now, report: &report)
        report.errors = files.allErrors
        save()
        return report
    }

    // MARK: - Files and state

    /// Reads changed schedule files; logs each new set of errors once.
    private func reload() {
        let changed = files.reload()
        for path in changed where !files.hasErrors(path) {
            log("schedule \(path): \(files.files[path].map { "\($0.watches.count) watches, \($0.feeds.count) feeds" } ?? "removed")")
        }
        let errors = files.allErrors
        if errors != reportedErrors {
            for e in errors where !reportedErrors.contains(e) {
                let keeping = files.files[e.file] != nil ? " (its previous version keeps running)" : ""
                log("schedule error: \(e)\(keeping)")
            }
            reportedErrors = errors
        }
    }

    /// Brings the state in line with the files: new watches and feeds get a state, changed bounds clamp the
    /// interval, watches gone from good files are forgotten (those of a bad file are kept).
    private func synchronize(now: Date) {
        let explicit = files.watches
        let feeds = files.feeds
        let hosts = hostCounts(explicit.values.map(\.host) + state.watches.values.filter { $0.feed != nil }.map {
            URL(string: $0.url)?.host?.lowercased() ?? "" })
        for (url, w) in explicit {
            if var s = state.watches[url] {
                if s.feed != nil {  // an item of a feed that a file now watches itself
                    s.feed = nil
                    s.title = nil
                }
                s.file = w.source.file
                state.watches[url] = adjusted(s, to: w, now: now)
            } else {
                let begin = w.start ?? now
                state.watches[url] = WatchState(url: url, file: w.source.file, began: begin,
                                                nextDue: max(begin, now).addingTimeInterval(jitter(w, hosts)),
                                                interval: w.cadence.every)
            }
        }
        for (url, f) in feeds where state.feeds[url] == nil {
            state.feeds[url] = FeedState(url: url, file: f.source.file, nextCheck: max(f.start ?? now, now))
        }
        for (url, f) in feeds {
            state.feeds[url]?.file = f.source.file
        }
        for (url, s) in state.watches where explicit[url] == nil {
            if let feedURL = s.feed, let feed = feeds[feedURL] {
                let rolledOut = s.finished != nil && state.feeds[feedURL]?.seen.contains(url) == false
                if rolledOut { state.watches[url] = nil } else {
                    state.watches[url] = adjusted(s, to: feed.itemWatch(url: url, title: s.title), now: now)
                }
            } else if !files.hasErrors(s.file) {
                state.watches[url] = nil
            }
        }
        for (url, f) in state.feeds where feeds[url] == nil && !files.hasErrors(f.file) {
            state.feeds[url] = nil
        }
    }

    /// The state after its watch's definition changed: the interval clamped into the new bounds (a lower
    /// ceiling brings the next run no later than one new interval after the last), and not before a new start.
    private func adjusted(_ s: WatchState, to w: Watch, now: Date) -> WatchState {
        var s = s
        let clamped = Cadence.clamp(s.interval, w.cadence)
        if clamped < s.interval, s.retries == 0, let last = s.lastResult?.startedAt {
            s.nextDue = min(s.nextDue, last.addingTimeInterval(clamped))
        }
        s.interval = clamped
        if let start = w.start, s.captures == 0 {
            s.began = start
            s.nextDue = max(s.nextDue, start)
        }
        return s
    }

    private func save() {
        do {
            try state.save(path: statePath)
            lastSave = ProcessInfo.processInfo.systemUptime
        } catch {
            log("error: \(error)")
        }
    }

    /// Saves unless the state was saved less than `seconds` ago (machine time): with thousands of watches
    /// the file is not rewritten after every capture, and a crash costs at most a few seconds of state
    /// (the captures themselves are in the store).
    private func saveEvery(seconds: TimeInterval) {
        if ProcessInfo.processInfo.systemUptime - lastSave >= seconds { save() }
    }

    // MARK: - Feeds

    private func readFeeds(now: Date, report: inout PassReport) async {
        for (url, feed) in files.feeds.sorted(by: { $0.key < $1.key }) {
            guard !stopping, var fs = state.feeds[url], fs.nextCheck <= now else { continue }
            let items: [FeedItem]
            do {
                let data = try await backend.fetchFeed(url: url, cookies: feed.cookies)
                items = try FeedParser.parse(data, base: url)
            } catch {
                fs.failures += 1
                fs.lastError = "\(error)"
                fs.lastCheck = now
                fs.nextCheck = now.addingTimeInterval(feed.checkEvery)
                state.feeds[url] = fs
                report.feedFailures += 1
                log("feed \(url): \(error)")
                continue
            }
            report.feedsRead += 1
            fs.lastError = nil
            fs.lastCheck = now
            fs.nextCheck = now.addingTimeInterval(feed.checkEvery)
            let seen = Set(fs.seen)
            let explicit = files.watches
            var hosts = hostCounts(files.allWatches(state: state).values.map(\.host))
            for item in items.reversed() where !seen.contains(item.url) {
                fs.seen.append(item.url)
                guard explicit[item.url] == nil, state.watches[item.url] == nil, young(item, feed, now: now) else {
                    continue
                }
                let w = feed.itemWatch(url: item.url, title: item.title)
                hosts[w.host, default: 0] += 1
                var s = WatchState(url: item.url, file: feed.source.file, feed: url, title: item.title, began: now,
                                   nextDue: now, interval: feed.cadence.every)
                s.nextDue = now.addingTimeInterval(jitter(w, hosts))
                state.watches[item.url] = s
                fs.itemWatches += 1
                report.newItems += 1
                log("feed \(url): new item \(item.url)")
            }
            let keep = max(options.maxFeedItems, items.count * 2)
            if fs.seen.count > keep { fs.seen.removeFirst(fs.seen.count - keep) }
            state.feeds[url] = fs
        }
    }

    /// An item is worth watching unless its feed dates it so long ago that a "for N days" stop has passed.
    private func young(_ item: FeedItem, _ feed: FeedWatch, now: Date) -> Bool {
        guard let published = item.published else { return true }
        return feed.stop.allSatisfy { stop in
            if case .after(let d) = stop { return published.addingTimeInterval(d) > now }
            return true
        }
    }

    // MARK: - Captures

    /// A capture done, back from its task.
    private struct Done: Sendable {
        var watch: Watch
        var request: CaptureRequest
        var result: Result<CaptureResult, CaptureFault>
    }

    /// A capture that threw (nothing recorded).
    private struct CaptureFault: Error, Sendable {
        var message: String
    }

    private func captureDue(now: Date, report: inout PassReport) async {
        let watches = files.allWatches(state: state)
        let hosts = hostCounts(watches.values.map(\.host))
        var due: [Watch] = []
        for w in watches.values.sorted(by: { $0.url < $1.url }) {
            guard var s = state.watches[w.url] else { continue }
            if let reason = stopReason(w, s, now: now) {
                if s.finished == nil {
                    s.finished = reason
                    report.finished += 1
                    log("finished \(w.url): \(reason)")
                }
                state.watches[w.url] = s
                continue
            }
            if s.finished != nil {  // its stop conditions changed: it runs again
                s.finished = nil
                s.nextDue = max(s.nextDue, now)
            }
            state.watches[w.url] = s
            if s.nextDue <= now { due.append(w) }
        }
        due.sort { (state.watches[$0.url]!.nextDue, $0.url) < (state.watches[$1.url]!.nextDue, $1.url) }
        let backend = self.backend
        await withTaskGroup(of: Done.self) { group in
            var pending = due
            var busyHosts = Set<String>()
            var running = 0
            while true {
                while running < options.concurrency, !stopping,
                      let i = pending.firstIndex(where: { !busyHosts.contains($0.host) }) {
                    let w = pending.remove(at: i)
                    let request = begin(w, report: &report)
                    busyHosts.insert(w.host)
                    running += 1
                    group.addTask {
                        do {
                            return Done(watch: w, request: request, result: .success(try await backend.capture(request)))
                        } catch {
                            return Done(watch: w, request: request, result: .failure(CaptureFault(message: "\(error)")))
                        }
                    }
                }
                guard let done = await group.next() else { break }
                running -= 1
                busyHosts.remove(done.watch.host)
                finish(done, hosts: hosts, report: &report)
                saveEvery(seconds: 2)
            }
            report.deferred = pending.count
        }
    }

    /// Starts a run: notes a late run (more than one interval after it was due) and the runs it stands for.
    private func begin(_ w: Watch, report: inout PassReport) -> CaptureRequest {
        var s = state.watches[w.url]!
        let now = clock.now()
        let lateness = now.timeIntervalSince(s.nextDue)
        var request = CaptureRequest(url: w.url, rules: w.rules, cookies: w.cookies, scheduledFor: s.nextDue,
                                     startedAt: now)
        if lateness > s.interval {
            request.late = true
            request.missed = Int(lateness / s.interval)
            s.lateRuns += 1
            s.missedRuns += request.missed
            s.lastLate = LateRun(scheduledFor: s.nextDue, ranAt: now, missed: request.missed)
            report.lateRuns += 1
            report.missedRuns += request.missed
            log("late \(w.url): due \(ScheduleDate.format(s.nextDue)), runs now; \(request.missed) run(s) missed")
            state.watches[w.url] = s
        }
        return request
    }

    /// Ends a run: the adaptive cadence, retries, the last result, the stop conditions.
    private func finish(_ done: Done, hosts: [String: Int], report: inout PassReport) {
        guard var s = state.watches[done.watch.url] else { return }
        let w = done.watch, request = done.request
        let now = clock.now()
        report.captures += 1
        var result: RunResult
        switch done.result {
        case .success(let r) where r.outcome != .failed:
            result = RunResult(scheduledFor: request.scheduledFor, startedAt: request.startedAt,
                               outcome: r.outcome.rawValue, changed: r.changed, summary: r.summary,
                               captureNumber: r.captureNumber)
            s.captures += 1
            s.retries = 0
            if r.changed {
                s.quietCaptures = 0
                s.lastChangeAt = request.startedAt
            } else {
                s.quietCaptures += 1
            }
            s.interval = Cadence.next(interval: s.interval, changed: r.changed, bounds: w.cadence)
            s.nextDue = request.startedAt.addingTimeInterval(s.interval + jitter(w, hosts))
            log("captured \(w.url): \(r.summary); next in \(DurationText.format(s.interval))")
        case .success(let r):
            result = RunResult(scheduledFor: request.scheduledFor, startedAt: request.startedAt,
                               outcome: r.outcome.rawValue, changed: false, summary: r.summary,
                               captureNumber: r.captureNumber)
            s.captures += 1
            retry(&s, w, request, hosts: hosts, now: now, report: &report, why: r.summary)
        case .failure(let fault):
            result = RunResult(scheduledFor: request.scheduledFor, startedAt: request.startedAt, outcome: "error",
                               changed: false, summary: fault.message)
            retry(&s, w, request, hosts: hosts, now: now, report: &report, why: fault.message)
        }
        result.late = request.late
        result.missed = request.missed
        s.lastResult = result
        if let reason = stopReason(w, s, now: now) {
            s.finished = reason
            report.finished += 1
            log("finished \(w.url): \(reason)")
        }
        state.watches[w.url] = s
    }

    /// A failed run: retried after a backoff, a bounded number of times, then the regular schedule.
    private func retry(_ s: inout WatchState, _ w: Watch, _ request: CaptureRequest, hosts: [String: Int], now: Date,
                       report: inout PassReport, why: String) {
        s.failures += 1
        report.failures += 1
        if s.retries < options.maxRetries {
            s.retries += 1
            let wait = Cadence.retryDelay(attempt: s.retries, bounds: w.cadence)
            s.nextDue = now.addingTimeInterval(wait)
            log("failed \(w.url): \(why); retry \(s.retries) of \(options.maxRetries) in \(DurationText.format(wait))")
        } else {
            s.retries = 0
            s.nextDue = request.startedAt.addingTimeInterval(s.interval + jitter(w, hosts))
            log("failed \(w.url): \(why); no retry left, next in \(DurationText.format(s.interval))")
        }
    }

    private func stopReason(_ w: Watch, _ s: WatchState, now: Date) -> String? {
        w.stop.lazy.compactMap { $0.reason(now: now, began: s.began, lastChange: s.lastChangeAt) }.first
    }

    // MARK: - Jitter and sleep

    private func hostCounts(_ hosts: [String]) -> [String: Int] {
        hosts.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    /// Watches of a host shared with other watches are spread: up to a tenth of the interval (at most five
    /// minutes) later, whole seconds. A watch alone on its host keeps its exact time.
    private func jitter(_ w: Watch, _ hosts: [String: Int]) -> TimeInterval {
        guard hosts[w.host, default: 0] > 1 else { return 0 }
        let spread = Int(min(w.cadence.every * 0.1, 300))
        guard spread > 0 else { return 0 }
        return TimeInterval(Int.random(in: 0...spread, using: &random))
    }

    /// When the next pass is needed: the next watch or feed due, or the next look at the files.
    private func nextWake() -> Date {
        var next = clock.now().addingTimeInterval(options.reloadEvery)
        let watches = files.allWatches(state: state)
        for (url, s) in state.watches where s.finished == nil && watches[url] != nil {
            next = min(next, s.nextDue)
        }
        for (url, f) in state.feeds where files.feeds[url] != nil {
            next = min(next, f.nextCheck)
        }
        return next
    }

    private func sleep(until deadline: Date) async {
        sleepGeneration += 1
        let generation = sleepGeneration
        let clock = self.clock
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            wake = c
            sleeper = Task { [weak self] in
                try? await clock.sleep(until: deadline)
                await self?.wakeUp(generation: generation)
            }
        }
    }

    private func wakeUp(generation: Int) {
        guard generation == sleepGeneration, let c = wake else { return }
        wake = nil
        sleeper = nil
        c.resume()
    }
}
