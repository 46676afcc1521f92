import ArgumentParser
import Dispatch
import Foundation
import PalimpsestCore
import PalimpsestRender
import PalimpsestSchedule
import PalimpsestStore

/// `palimpsest schedule`: watch pages and feeds over days (schedules/*.toml; see schedules/README.md).
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Watch pages and feeds on an adaptive schedule (schedules/*.toml): list, add, check, run.",
        subcommands: [ScheduleListCommand.self, ScheduleAddCommand.self, ScheduleCheckCommand.self,
                      ScheduleRunCommand.self])
}

/// Where the schedule files are.
struct ScheduleFolderOption: ParsableArguments {
    @Option(help: ArgumentHelp("The schedule folder (default: $PALIMPSEST_SCHEDULES, else schedules/).",
                               valueName: "folder"))
    var dir: String?

    /// --dir, then PALIMPSEST_SCHEDULES, then schedules/ in the current folder.
    var path: String {
        if let dir, !dir.isEmpty { return dir }
        if let env = ProcessInfo.processInfo.environment["PALIMPSEST_SCHEDULES"], !env.isEmpty { return env }
        return "schedules"
    }

    /// The folder's files, read.
    func load() -> ScheduleSet {
        var set = ScheduleSet(directory: path)
        set.reload()
        return set
    }
}

extension GlobalOptions {
    /// The runner's state file, next to the store.
    var scheduleStatePath: String { ScheduleState.path(forStore: storePath) }
}

// MARK: - list

struct ScheduleListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Each watch: next due time, current interval, last result, late and missed runs.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var folder: ScheduleFolderOption
    @Flag(help: "JSON for scripts.") var json = false

    func run() async throws {
        let state: ScheduleState
        do {
            state = try ScheduleState.load(path: global.scheduleStatePath)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        let overview = ScheduleOverview(files: folder.load(), state: state, now: Date())
        if json {
            try printJSON(ScheduleListJSON(overview))
        } else {
            print(ScheduleListText(style: .forStandardOutput(), now: Date()).render(overview), terminator: "")
        }
    }
}

/// `schedule list` for people.
struct ScheduleListText {
    var style: OutputStyle
    var now: Date

    func render(_ o: ScheduleOverview) -> String {
        var out = ""
        if o.watches.isEmpty && o.feeds.isEmpty && o.errors.isEmpty { out += "no watches\n" }
        for w in o.watches {
            let s = w.state
            out += TerminalText.safe(w.watch.name) + "\n"
            if w.watch.name != w.watch.url { out += "  " + TerminalText.safe(w.watch.url) + "\n" }
            let interval = s.map { ", now \(DurationText.format($0.interval))" } ?? ""
            out += "  every \(DurationText.format(w.watch.cadence.every))..\(DurationText.format(w.watch.cadence.maxEvery))\(interval)"
            if let finished = w.finished {
                out += "; ended: \(finished)\n"
            } else if let due = w.nextDue {
                out += "; next \(ISOTime.format(due)) (\(relative(due)))\n"
            }
            if let r = s?.lastResult {
                let text = "  last \(ISOTime.format(r.startedAt)): \(TerminalText.safe(r.summary))"
                out += (r.outcome == "failed" || r.outcome == "error" ? style.red(text) : text) + "\n"
            } else {
                out += "  not captured yet\n"
            }
            if let s, s.lateRuns > 0 {
                var line = "  late runs: \(s.lateRuns), missed runs: \(s.missedRuns)"
                if let l = s.lastLate {
                    line += "; last due \(ISOTime.format(l.scheduledFor)), ran \(ISOTime.format(l.ranAt))"
                }
                out += style.yellow(line) + "\n"
            }
            if let s, s.failures > 0 { out += "  failures: \(s.failures)" + (s.retries > 0 ? ", retry \(s.retries) pending" : "") + "\n" }
            let origin = w.watch.feed.map { "item of feed " + TerminalText.safe($0) + ", " } ?? ""
            out += "  \(origin)\(TerminalText.safe(w.watch.source.description))\n"
        }
        for f in o.feeds {
            out += "feed " + TerminalText.safe(f.feed.name) + "\n"
            out += "  read every \(DurationText.format(f.feed.checkEvery)); next \(ISOTime.format(f.nextCheck)) (\(relative(f.nextCheck)))"
            out += "; \(f.state?.itemWatches ?? 0) item watches\n"
            if let e = f.state?.lastError { out += style.red("  last read failed: " + TerminalText.safe(e)) + "\n" }
            out += "  \(TerminalText.safe(f.feed.source.description))\n"
        }
        for e in o.errors { out += style.red(TerminalText.safe(e.description)) + "\n" }
        return out
    }

    func relative(_ date: Date) -> String {
        let d = date.timeIntervalSince(now)
        if abs(d) < 1 { return "now" }
        return d > 0 ? "in \(DurationText.format(d))" : "\(DurationText.format(-d)) overdue"
    }
}

/// `schedule list --json`.
struct ScheduleListJSON: Encodable {
    struct WatchJSON: Encodable {
        var name: String
        var url: String
        var feed: String?
        var file: String
        var line: Int
        var every: String
        var max_every: String
        var interval: String?
        var next_due: Date?
        var ended: String?
        var captures: Int
        var failures: Int
        var late_runs: Int
        var missed_runs: Int
        var last_late_due: Date?
        var last_late_ran: Date?
        var last_result: ResultJSON?
    }

    struct ResultJSON: Encodable {
        var scheduled_for: Date
        var started_at: Date
        var outcome: String
        var changed: Bool
        var summary: String
        var capture: Int?
        var late: Bool
        var missed: Int
    }

    struct FeedJSON: Encodable {
        var name: String
        var url: String
        var file: String
        var line: Int
        var check_every: String
        var next_check: Date
        var last_check: Date?
        var last_error: String?
        var item_watches: Int
    }

    var watches: [WatchJSON]
    var feeds: [FeedJSON]
    var errors: [String]

    init(_ o: ScheduleOverview) {
        watches = o.watches.map { w in
            let s = w.state
            return WatchJSON(
                name: w.watch.name, url: w.watch.url, feed: w.watch.feed, file: w.watch.source.file,
                line: w.watch.source.line, every: DurationText.format(w.watch.cadence.every),
                max_every: DurationText.format(w.watch.cadence.maxEvery), interval: s.map { DurationText.format($0.interval) },
                next_due: w.nextDue, ended: w.finished, captures: s?.captures ?? 0, failures: s?.failures ?? 0,
                late_runs: s?.lateRuns ?? 0, missed_runs: s?.missedRuns ?? 0, last_late_due: s?.lastLate?.scheduledFor,
                last_late_ran: s?.lastLate?.ranAt,
                last_result: s?.lastResult.map {
                    ResultJSON(scheduled_for: $0.scheduledFor, started_at: $0.startedAt, outcome: $0.outcome,
                               changed: $0.changed, summary: $0.summary, capture: $0.captureNumber, late: $0.late,
                               missed: $0.missed)
                })
        }
        feeds = o.feeds.map { f in
            FeedJSON(name: f.feed.name, url: f.feed.url, file: f.feed.source.file, line: f.feed.source.line,
                     check_every: DurationText.format(f.feed.checkEvery), next_check: f.nextCheck,
                     last_check: f.state?.lastCheck, last_error: f.state?.lastError,
                     item_watches: f.state?.itemWatches ?? 0)
        }
        errors = o.errors.map(\.description)
    }
}

// MARK: - add

struct ScheduleAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a watch to a schedule file (checked before it is written).")

    @OptionGroup var folder: ScheduleFolderOption
    @Argument(help: "The page's http or https URL.") var url: String
    @Option(help: "How often to capture while the thread is active (30m, 2h, 1d...).") var every: String
    @Option(name: .customLong("max-every"), help: "The longest interval once it is quiet (default 8 x every, at most 1d).")
    var maxEvery: String?
    @Option(help: "Stop this long after it begins (7d, \"7 days\").") var `for`: String?
    @Option(help: "Stop at this date (2026-01-17, 2026-01-17T08:00:00Z).") var until: String?
    @Option(help: "Stop once the thread has been quiet this long (48h).") var quiet: String?
    @Option(help: "Do not capture before this date.") var start: String?
    @Option(help: "A name for people.") var name: String?
    @Option(help: "A site rules file (JSON); relative to the schedule file's folder.") var rules: String?
    @Option(help: "A Netscape-format cookie file; relative to the schedule file's folder.") var cookies: String?
    @Option(help: ArgumentHelp("The schedule file to append to (default: <folder>/watches.toml).", valueName: "path"))
    var file: String?

    func validate() throws {
        try validateWebURL(url)
        guard let e = DurationText.parse(every) else { throw ValidationError("--every '\(every)' is not a duration (30m, 2h, 1d)") }
        if e < ScheduleFile.minimumInterval { throw ValidationError("--every must be at least 1m") }
        if let maxEvery, DurationText.parse(maxEvery) == nil { throw ValidationError("--max-every '\(maxEvery)' is not a duration") }
        if let f = self.for, DurationText.parse(f) == nil { throw ValidationError("--for '\(f)' is not a duration (7d, \"7 days\")") }
        if let until, ScheduleDate.parse(until) == nil { throw ValidationError("--until '\(until)' is not a date (2026-01-17T08:00:00Z)") }
        if let quiet, DurationText.parse(quiet) == nil { throw ValidationError("--quiet '\(quiet)' is not a duration (48h)") }
        if let start, ScheduleDate.parse(start) == nil { throw ValidationError("--start '\(start)' is not a date") }
    }

    func run() async throws {
        var stop: [StopCondition] = []
        if let f = self.for, let d = DurationText.parse(f) { stop.append(.after(d)) }
        if let until, let d = ScheduleDate.parse(until) { stop.append(.at(d)) }
        if let quiet, let d = DurationText.parse(quiet) { stop.append(.quiet(d)) }
        let table = ScheduleFile.watchTable(url: url, name: name, every: DurationText.parse(every)!,
                                            maxEvery: maxEvery.flatMap(DurationText.parse),
                                            start: start.flatMap(ScheduleDate.parse), stop: stop, rules: rules,
                                            cookies: cookies)
        let path = file ?? (folder.path.hasSuffix("/") ? folder.path : folder.path + "/") + "watches.toml"
        // Watched already, in another file of the folder?
        let set = folder.load()
        let canonical = URL(fileURLWithPath: path).standardizedFileURL.path
        if let other = set.watches[url],
           URL(fileURLWithPath: other.source.file).standardizedFileURL.path != canonical {
            throw CommandFailure(message: "\(TerminalText.safe(url)) is already watched at \(TerminalText.safe(other.source.description))")
        }
        let written: ScheduleFile
        do {
            written = try ScheduleFile.append(table, toFile: path)
        } catch {
            throw CommandFailure(message: TerminalText.safe(error.description, keepNewlines: true))
        }
        let line = written.watches.first { $0.url == url }?.source.line ?? 1
        print("added \(TerminalText.safe(url)) at \(TerminalText.safe(path)):\(line)")
    }
}

// MARK: - check

struct ScheduleCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check the schedule files; each error as FILE:LINE: message (exit 1 if any).")

    @OptionGroup var folder: ScheduleFolderOption
    @Flag(help: "JSON for scripts.") var json = false

    struct CheckJSON: Encodable {
        struct ErrorJSON: Encodable {
            var file: String
            var line: Int
            var message: String
        }

        var files: Int
        var watches: Int
        var feeds: Int
        var errors: [ErrorJSON]
    }

    func run() async throws {
        let set = folder.load()
        let errors = set.allErrors
        let watches = set.files.values.reduce(0) { $0 + $1.watches.count }
        let feeds = set.files.values.reduce(0) { $0 + $1.feeds.count }
        let fileCount = Set(Array(set.files.keys) + Array(set.errors.keys)).subtracting([folder.path]).count
        if json {
            try printJSON(CheckJSON(files: fileCount, watches: watches, feeds: feeds,
                                    errors: errors.map { .init(file: $0.file, line: $0.line, message: $0.message) }))
        } else {
            for e in errors { print(TerminalText.safe(e.description)) }
            let bad = Set(errors.map(\.file)).count
            print("\(fileCount) file(s), \(watches) watch(es), \(feeds) feed(s)" + (bad > 0 ? "; \(bad) file(s) with errors" : ": ok"))
        }
        if !errors.isEmpty { throw ExitCode(ExitStatus.failure) }
    }
}

// MARK: - run

struct ScheduleRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the schedule: capture due watches until SIGINT or SIGTERM (or one pass with --once).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var folder: ScheduleFolderOption
    @OptionGroup var fetch: FetchFlags
    @Flag(help: "One pass (what is due now), then exit: for cron.") var once = false
    @Option(help: "Captures at once, across hosts (one at a time per host).") var concurrency = 4
    @Option(name: .customLong("max-retries"), help: "Retries of a failed capture before the regular schedule.")
    var maxRetries = 3

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 64") }
        guard (0...20).contains(maxRetries) else { throw ValidationError("--max-retries must be between 0 and 20") }
    }

    func run() async throws {
        let statePath = global.scheduleStatePath
        let lock: RunnerLock
        do {
            lock = try RunnerLock(statePath: statePath)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        let store = try global.openStoreForWriting()
        let log: @Sendable (String) -> Void = { line in
            FileHandle.standardError.write(Data("\(ISOTime.format(Date())) \(TerminalText.safe(line))\n".utf8))
        }
        let runner: ScheduleRunner
        do {
            runner = try ScheduleRunner(directory: folder.path, statePath: statePath,
                                        backend: CapturerBackend(store: store, fetchOptions: fetch.options),
                                        clock: SystemClock(),
                                        options: RunnerOptions(concurrency: concurrency, maxRetries: maxRetries),
                                        log: log)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        if once {
            let report = await runner.pass()
            print("\(report.captures) capture(s), \(report.failures) failed, \(report.lateRuns) late "
                  + "(\(report.missedRuns) missed), \(report.feedsRead) feed(s) read, \(report.newItems) new item(s)")
            withExtendedLifetime(lock) {}
            if !report.errors.isEmpty {
                for e in report.errors { FileHandle.standardError.write(Data("\(TerminalText.safe(e.description))\n".utf8)) }
                throw ExitCode(ExitStatus.failure)
            }
            return
        }
        let signals = SignalStop(runner: runner, log: log)
        log("schedule runner started: \(folder.path), state \(statePath), \(concurrency) at a time")
        await runner.run()
        log("schedule runner stopped")
        withExtendedLifetime((lock, signals)) {}
    }
}

/// SIGINT and SIGTERM stop the runner cleanly (the captures in flight finish); a second signal exits at once
/// (SQLite rolls back a capture left half-written: none is ever half recorded).
final class SignalStop {
    private let sources: [any DispatchSourceSignal]

    init(runner: ScheduleRunner, log: @escaping @Sendable (String) -> Void) {
        let queue = DispatchQueue(label: "palimpsest.schedule.signals")
        let count = SignalCount()
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if count.increment() > 1 {
                    log("second signal: exiting now")
                    exit(128 + number)
                }
                log("signal \(number): stopping after the captures in flight")
                Task { await runner.stop() }
            }
            source.resume()
            return source
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}

/// Signals received (touched only on the signal queue).
private final class SignalCount: @unchecked Sendable {
    private var n = 0
    func increment() -> Int {
        n += 1
        return n
    }
}
