import Foundation
import PalimpsestCore
import Testing
@testable import PalimpsestSchedule

@Suite struct RunnerTests {
    func watchText(_ url: String, every: String = "30m", extra: String = "") -> String {
        "[[watch]]\nurl = \"\(url)\"\nevery = \"\(every)\"\n\(extra)\n"
    }

    func runner(_ folder: TempFolder, _ backend: FakeBackend, _ clock: ManualClock, concurrency: Int = 4,
                log: LogLines = LogLines()) throws -> ScheduleRunner {
        try ScheduleRunner(directory: folder.schedules, statePath: folder.statePath, backend: backend, clock: clock,
                           options: RunnerOptions(concurrency: concurrency, seed: 7), log: log.sink)
    }

    @Test func followsTheAdaptiveCadence() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let url = "https://a.example/thread"
        try folder.write("a.toml", watchText(url, extra: "max_every = \"4h\""))
        let backend = FakeBackend()
        backend.answer(url, [.changed, .unchanged, .unchanged, .unchanged, .unchanged, .changed, .unchanged])
        let clock = ManualClock()
        let r = try runner(folder, backend, clock)
        var intervals: [TimeInterval] = []
        for _ in 0..<7 {
            let report = await r.pass()
            #expect(report.captures == 1)
            let s = await r.currentState.watches[url]!
            intervals.append(s.interval)
            #expect(s.nextDue == clock.now().addingTimeInterval(s.interval))
            clock.advance(by: s.interval - 1)
            #expect(await r.pass().captures == 0)  // not due a second early
            clock.advance(by: 1)
        }
        #expect(intervals == [30 * minute, hour, 2 * hour, 4 * hour, 4 * hour, 30 * minute, hour])
        let s = await r.currentState.watches[url]!
        #expect(s.quietCaptures == 1)
        #expect(s.lateRuns == 0)
    }

    @Test func nothingIsCapturedBeforeItIsDue() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        try folder.write("a.toml", watchText("https://a.example/x", extra: "start = \"2026-01-01T02:00:00Z\""))
        let backend = FakeBackend()
        let clock = ManualClock()
        let r = try runner(folder, backend, clock)
        #expect(await r.pass().captures == 0)
        clock.advance(by: 2 * hour - 1)
        #expect(await r.pass().captures == 0)
        clock.advance(by: 1)
        #expect(await r.pass().captures == 1)
        #expect(await r.pass().captures == 0)
    }

    @Test func capturesAtMostNAtOnceAndOneAtATimePerHost() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        var text = ""
        for i in 0..<12 { text += watchText("https://host\(i).example/thread") }
        for i in 0..<4 { text += watchText("https://shared.example/thread-\(i)") }
        try folder.write("many.toml", text)
        let backend = FakeBackend(yields: 40)
        let clock = ManualClock()
        let r = try runner(folder, backend, clock, concurrency: 4)
        #expect(await r.pass().captures == 12)  // the shared host's watches are spread by jitter
        clock.advance(by: 10 * minute)  // past any jitter
        #expect(await r.pass().captures == 4)
        #expect(backend.calls.count == 16)
        #expect(backend.maxInFlight <= 4)
        #expect(backend.maxInFlight > 1)
        #expect(!backend.hostOverlap)
    }

    @Test func spreadsWatchesOfOneHost() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        var text = ""
        for i in 0..<6 { text += watchText("https://shared.example/thread-\(i)", every: "1h") }
        text += watchText("https://alone.example/thread", every: "1h")
        try folder.write("a.toml", text)
        let clock = ManualClock()
        let r = try runner(folder, FakeBackend(), clock)
        _ = await r.pass()
        let state = await r.currentState
        let offsets = (0..<6).map { state.watches["https://shared.example/thread-\($0)"]!.nextDue.timeIntervalSince(t0) }
        #expect(offsets.allSatisfy { $0 >= 0 && $0 <= 6 * minute })
        #expect(Set(offsets).count > 1)
        #expect(state.watches["https://alone.example/thread"]!.nextDue == t0.addingTimeInterval(hour))
        // Later runs are spread too, and the spread holds from pass to pass.
        clock.advance(by: 10 * minute)
        _ = await r.pass()
        _ = await r.pass()
        let later = await r.currentState
        let jitters = (0..<6).map { i -> TimeInterval in
            let s = later.watches["https://shared.example/thread-\(i)"]!
            return s.nextDue.timeIntervalSince(s.lastResult!.startedAt.addingTimeInterval(s.interval))
        }
        #expect(jitters.allSatisfy { $0 >= 0 && $0 <= 6 * minute })
        #expect(Set(jitters).count > 1)
    }

    @Test func survivesFailuresAndRetriesThemWithBackoff() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let bad = "https://bad.example/x", down = "https://down.example/x", good = "https://good.example/x"
        try folder.write("a.toml", watchText(bad, every: "1h") + watchText(down, every: "1h") + watchText(good, every: "1h"))
        let backend = FakeBackend()
        backend.answer(bad, [.throwing])
        backend.answer(down, [.failed, .failed, .changed])
        let clock = ManualClock()
        let r = try runner(folder, backend, clock)
        let first = await r.pass()
        #expect(first.captures == 3)
        #expect(first.failures == 2)
        var s = await r.currentState.watches[bad]!
        #expect(s.lastResult?.outcome == "error")
        #expect(s.lastResult?.summary == "the store is down")
        #expect(s.retries == 1)
        #expect(s.nextDue == t0.addingTimeInterval(15 * minute))
        #expect(await r.currentState.watches[down]!.lastResult?.outcome == "failed")
        // Retries: 15m, then 30m, then 1h; then the regular schedule.
        clock.advance(by: 15 * minute)
        #expect(await r.pass().captures == 2)
        s = await r.currentState.watches[bad]!
        #expect(s.retries == 2 && s.nextDue == clock.now().addingTimeInterval(30 * minute))
        #expect(await r.currentState.watches[down]!.lastResult?.outcome == "failed")
        clock.advance(by: 30 * minute)
        #expect(await r.pass().captures == 2)
        let recovered = await r.currentState.watches[down]!
        #expect(recovered.lastResult?.outcome == "fetched" && recovered.retries == 0)
        #expect(recovered.failures == 2)
        clock.advance(by: hour)
        _ = await r.pass()
        s = await r.currentState.watches[bad]!
        #expect(s.retries == 0)
        #expect(s.failures == 4)
        #expect(s.nextDue == clock.now().addingTimeInterval(hour))
        #expect(backend.calls(to: good) == 2)
    }

    @Test func runsGoodFilesAndNamesTheBadOnes() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        try folder.write("good.toml", watchText("https://good.example/x"))
        let badPath = try folder.write("bad.toml", "[[watch]]\nurl = \"https://bad.example/x\"\nevery = \"soon\"\n")
        let log = LogLines()
        let backend = FakeBackend()
        let r = try runner(folder, backend, ManualClock(), log: log)
        let report = await r.pass()
        #expect(report.captures == 1)
        #expect(backend.calls.map(\.url) == ["https://good.example/x"])
        #expect(report.errors.map(\.description) == ["\(badPath):3: every = \"soon\" is not a duration (write \"90s\", \"30m\", \"2h\", \"1d\", \"7 days\")"])
        #expect(log.lines.contains { $0.hasPrefix("schedule error: \(badPath):3:") })
    }

    @Test func picksUpChangedFilesAndKeepsTheLastGoodVersionOfABadOne() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let a = "https://a.example/x", b = "https://b.example/x", c = "https://c.example/x"
        try folder.write("w.toml", watchText(a, every: "1h"))
        let backend = FakeBackend()
        let clock = ManualClock()
        let r = try runner(folder, backend, clock)
        #expect(await r.pass().captures == 1)
        try folder.write("w.toml", watchText(a, every: "1h") + watchText(b, every: "1h"))
        #expect(await r.pass().captures == 1)
        #expect(backend.calls.map(\.url) == [a, b])
        // Broken: a and b keep running as they were; the error is reported.
        try folder.write("w.toml", watchText(a, every: "1h") + watchText(b, every: "1h") + "[[watch]]\nurl = 3\n")
        clock.advance(by: hour)
        let report = await r.pass()
        #expect(report.captures == 2)
        #expect(report.errors.count == 2)
        // Fixed, with b removed and c added: b is forgotten.
        try folder.write("w.toml", watchText(a, every: "1h") + watchText(c, every: "1h"))
        let fixed = await r.pass()
        #expect(fixed.errors.isEmpty)
        #expect(fixed.captures == 1)
        #expect(await r.currentState.watches[b] == nil)
        #expect(backend.calls.map(\.url) == [a, b, a, b, c])
    }

    @Test func recordsLateAndMissedRunsAsOneLateRun() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let url = "https://a.example/x"
        try folder.write("a.toml", watchText(url, every: "30m"))
        let backend = FakeBackend()
        let clock = ManualClock()
        let r = try runner(folder, backend, clock)
        _ = await r.pass()
        clock.advance(by: 40 * minute)  // 10 minutes late: within one interval, not late
        #expect(await r.pass().lateRuns == 0)
        clock.advance(by: 5 * hour)  // the machine slept
        let report = await r.pass()
        #expect(report.captures == 1)
        #expect(report.lateRuns == 1)
        #expect(report.missedRuns == 9)  // due at 1h10m, ran at 5h40m: 4.5h late at 30m
        let s = await r.currentState.watches[url]!
        #expect(s.lateRuns == 1 && s.missedRuns == 9)
        #expect(s.lastLate?.scheduledFor == t0.addingTimeInterval(70 * minute))
        #expect(s.lastResult?.late == true && s.lastResult?.missed == 9)
        #expect(backend.calls.last?.late == true)
        #expect(backend.calls.last?.scheduledFor == t0.addingTimeInterval(70 * minute))
        #expect(backend.calls.count == 3)
    }

    @Test func stopsAtADateAfterADurationAndWhenQuiet() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        // Each on its own host: no jitter.
        let dated = "https://a.example/dated", week = "https://w.example/week", quiet = "https://b.example/quiet"
        try folder.write("a.toml",
                         watchText(dated, every: "1h", extra: "stop = \"2026-01-01T05:00:00Z\"")
                             + watchText(week, every: "1h", extra: "max_every = \"1h\"\nstop = \"for 1 day\"")
                             + watchText(quiet, every: "1h", extra: "max_every = \"1h\"\nstop = \"quiet for 10h\""))
        let backend = FakeBackend()
        backend.answer(quiet, [.changed, .changed, .unchanged])
        backend.answer(week, [.changed, .unchanged])
        backend.answer(dated, [.changed, .unchanged])
        let clock = ManualClock()
        let r = try runner(folder, backend, clock)
        var finished = 0
        for _ in 0..<30 {
            finished += await r.pass().finished
            clock.advance(by: hour)
        }
        let state = await r.currentState
        #expect(finished == 3)
        #expect(backend.calls(to: dated) == 3)  // at 0h (changed), 1h and 3h; the next, at 7h, is past the stop date
        #expect(state.watches[dated]!.finished?.contains("stop date") == true)
        #expect(backend.calls(to: week) == 24)
        #expect(state.watches[week]!.finished?.contains("1d elapsed") == true)
        // Changed at 0h and 1h, then quiet: ends at 11h, after the capture made then.
        #expect(backend.calls(to: quiet) == 11)
        #expect(state.watches[quiet]!.finished?.contains("quiet for 10h") == true)
    }

    @Test func keepsItsStateAcrossRestarts() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let url = "https://a.example/x"
        try folder.write("a.toml", watchText(url, every: "30m"))
        let backend = FakeBackend()
        backend.answer(url, [.changed, .unchanged])
        let clock = ManualClock()
        let first = try runner(folder, backend, clock)
        _ = await first.pass()
        clock.advance(by: 30 * minute)
        _ = await first.pass()
        let before = await first.currentState
        let second = try runner(folder, backend, clock)
        #expect(await second.currentState == before)
        #expect(await second.pass().captures == 0)
        clock.advance(by: hour)
        #expect(await second.pass().captures == 1)
        #expect(await second.currentState.watches[url]!.interval == 2 * hour)
    }

    @Test func makesAWatchOfEachNewFeedItem() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let feedURL = "https://news.example.org/feed/"
        try folder.write("feed.toml", """
            [[feed]]
            url = "\(feedURL)"
            every = "1h"
            check_every = "15m"
            stop = "for 3 days"
            """)
        func rss(_ paths: [String]) -> String {
            "<rss version=\"2.0\"><channel>" + paths.map {
                "<item><title>\($0)</title><link>https://news.example.org/\($0)/</link>"
                    + "<pubDate>Wed, 31 Dec 2025 20:00:00 +0000</pubDate></item>"
            }.joined() + "</channel></rss>"
        }
        let backend = FakeBackend()
        backend.feed(feedURL, rss(["b", "a"]))
        let clock = ManualClock()
        let r = try runner(folder, backend, clock)
        let first = await r.pass()
        #expect(first.feedsRead == 1 && first.newItems == 2)
        clock.advance(by: 15 * minute)
        let second = await r.pass()
        #expect(second.newItems == 0)
        #expect(Set(backend.calls.map(\.url)) == ["https://news.example.org/a/", "https://news.example.org/b/"])
        let item = await r.currentState.watches["https://news.example.org/b/"]!
        #expect(item.feed == feedURL && item.title == "b")
        backend.feed(feedURL, rss(["c", "b", "a"]))
        clock.advance(by: 15 * minute)
        #expect(await r.pass().newItems == 1)
        #expect(await r.currentState.feeds[feedURL]!.seen == ["https://news.example.org/a/",
                                                              "https://news.example.org/b/",
                                                              "https://news.example.org/c/"])
        // An item dated long before "for 3 days" is not young: no watch.
        backend.feed(feedURL, "<rss><channel><item><link>https://news.example.org/old/</link>"
                         + "<pubDate>Mon, 01 Dec 2025 08:00:00 +0000</pubDate></item></channel></rss>")
        clock.advance(by: 15 * minute)
        #expect(await r.pass().newItems == 0)
        // Three days after they were first seen, the items' watches end.
        clock.advance(by: 3 * day)
        let late = await r.pass()
        #expect(late.finished == 3)
    }

    @Test func aFeedThatFailsIsReportedAndTriedAgain() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        try folder.write("feed.toml", "[[feed]]\nurl = \"https://gone.example/feed\"\nevery = \"1h\"\n")
        let log = LogLines()
        let r = try runner(folder, FakeBackend(), ManualClock(), log: log)
        let report = await r.pass()
        #expect(report.feedFailures == 1)
        let fs = await r.currentState.feeds["https://gone.example/feed"]!
        #expect(fs.lastError?.contains("HTTP 404") == true)
        #expect(fs.nextCheck == t0.addingTimeInterval(15 * minute))
        #expect(log.lines.contains { $0.contains("gone.example/feed") })
    }

    @Test func stopsCleanlyLettingTheCaptureInFlightFinish() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        try folder.write("a.toml", (0..<3).map { watchText("https://h\($0).example/x") }.joined())
        let backend = FakeBackend()
        backend.gate(true)
        let clock = ManualClock()
        let r = try runner(folder, backend, clock, concurrency: 1)
        let pass = Task { await r.pass() }
        #expect(await eventually { backend.waiting == 1 })
        await r.stop()
        backend.release()
        let report = await pass.value
        #expect(report.captures == 1)
        #expect(report.deferred == 2)
        #expect(backend.calls.count == 1)
        // The finished capture is in the saved state.
        let saved = try ScheduleState.load(path: folder.statePath)
        #expect(saved.watches.values.filter { $0.captures == 1 }.count == 1)
    }

    @Test func theLongLivedLoopSleepsOnTheClockAndStops() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let url = "https://a.example/x"
        try folder.write("a.toml", watchText(url, every: "30m"))
        let backend = FakeBackend()
        backend.answer(url, [.changed])
        let clock = ManualClock()
        let r = try runner(folder, backend, clock)
        let loop = Task { await r.run() }
        #expect(await eventually { clock.sleeperCount == 1 && backend.calls.count == 1 })
        // It wakes each minute to look at the files, and captures when due.
        for _ in 0..<30 {
            clock.advance(by: minute)
            #expect(await eventually { clock.sleeperCount == 1 })
        }
        #expect(await eventually { backend.calls.count == 2 })
        // A new file is picked up while it runs.
        try folder.write("b.toml", watchText("https://b.example/y", every: "30m"))
        clock.advance(by: minute)
        #expect(await eventually { backend.calls.count == 3 })
        await r.stop()
        await loop.value
        #expect(await r.isStopping)
    }

    @Test func memoryStaysFlatOverThousandsOfCaptures() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        try folder.write("a.toml", (0..<3).map { watchText("https://h\($0).example/x", extra: "max_every = \"30m\"") }.joined())
        let backend = FakeBackend()
        let clock = ManualClock()
        let r = try runner(folder, backend, clock)
        func stateSize() throws -> Int { try Data(contentsOf: URL(fileURLWithPath: folder.statePath)).count }
        for _ in 0..<100 {
            _ = await r.pass()
            clock.advance(by: 30 * minute)
        }
        let early = try stateSize()
        for _ in 0..<900 {
            _ = await r.pass()
            clock.advance(by: 30 * minute)
        }
        #expect(backend.calls.count == 3000)
        // Counters gain digits; nothing accumulates per capture.
        #expect(try stateSize() <= early + 32)
    }
}
