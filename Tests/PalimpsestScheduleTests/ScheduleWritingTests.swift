import Foundation
import Testing
@testable import PalimpsestSchedule

@Suite struct ScheduleWritingTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schedules/example.toml").path

    @Test(.enabled(if: FileManager.default.fileExists(atPath: example)))
    func theShippedExampleIsValid() throws {
        let file = try ScheduleFile.load(path: Self.example)
        #expect(file.watches.count == 2)
        #expect(file.feeds.count == 1)
        #expect(file.watches[0].stop == [.after(7 * day), .quiet(48 * hour)])
    }

    @Test func appendsAWatchThatReadsBack() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let path = folder.schedules + "/watches.toml"
        let table = ScheduleFile.watchTable(url: "https://a.example/x", name: "quote \" and\ttab\u{1B}",
                                            every: 30 * minute, maxEvery: 6 * hour, start: t0,
                                            stop: [.after(7 * day), .quiet(48 * hour), .at(t0.addingTimeInterval(day))])
        try ScheduleFile.append(table, toFile: path)
        let second = try ScheduleFile.append(ScheduleFile.watchTable(url: "https://b.example/y", every: hour),
                                             toFile: path)
        #expect(second.watches.map(\.url) == ["https://a.example/x", "https://b.example/y"])
        let w = second.watches[0]
        #expect(w.name == "quote \" and\ttab\u{1B}")
        #expect(w.cadence == CadenceBounds(every: 30 * minute, maxEvery: 6 * hour))
        #expect(w.start == t0)
        #expect(w.stop == [.after(7 * day), .quiet(48 * hour), .at(t0.addingTimeInterval(day))])
        #expect(second.watches[1].source.line == 9)
    }

    @Test func refusesToWriteAnInvalidFile() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let path = try folder.write("w.toml", "[[watch]]\nurl = \"https://a.example/x\"\nevery = \"1h\"\n")
        #expect(throws: ScheduleFileErrors.self) {
            try ScheduleFile.append(ScheduleFile.watchTable(url: "https://a.example/x", every: hour), toFile: path)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "[[watch]]\nurl = \"https://a.example/x\"\nevery = \"1h\"\n")
    }

    @Test func aSecondRunnerCannotTakeTheLock() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        var first: RunnerLock? = try RunnerLock(statePath: folder.statePath)
        #expect(throws: ScheduleStateError.self) { try RunnerLock(statePath: folder.statePath) }
        first = nil
        #expect(first == nil)
        _ = try RunnerLock(statePath: folder.statePath)
    }

    @Test func theOverviewShowsNextDueAndEndedWatches() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        try folder.write("w.toml", """
            [[watch]]
            url = "https://a.example/x"
            every = "1h"
            stop = "for 1 day"

            [[watch]]
            url = "https://b.example/y"
            every = "2h"
            start = "2026-01-01T05:00:00Z"
            """)
        var files = ScheduleSet(directory: folder.schedules)
        files.reload()
        var o = ScheduleOverview(files: files, state: ScheduleState(), now: t0)
        #expect(o.watches.map(\.nextDue) == [t0, t0.addingTimeInterval(5 * hour)])
        var state = ScheduleState()
        state.watches["https://a.example/x"] = WatchState(url: "https://a.example/x", file: folder.schedules + "/w.toml",
                                                          began: t0, nextDue: t0.addingTimeInterval(hour), interval: hour)
        o = ScheduleOverview(files: files, state: state, now: t0.addingTimeInterval(2 * day))
        #expect(o.watches.last?.finished?.contains("elapsed") == true)
        #expect(o.watches.last?.nextDue == nil)
    }
}
