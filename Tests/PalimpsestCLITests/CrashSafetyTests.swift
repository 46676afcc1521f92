import Foundation
import PalimpsestStore
import Testing

/// Killing a capture at any moment leaves the store whole; two writers at once lose nothing.
@Suite struct CrashSafetyTests {
    static let url = CLIScenarioTests.url

    func start(_ cli: CLI, _ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["--store", cli.store.path] + args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    @Test func sigkillDuringCapturesLeavesNoHalfCapture() throws {
        let cli = CLI()
        let pages = ["t0", "t1", "t2"].map { CLI.fixture("library-thread/\($0).html") }
        #expect(try cli.run("import", pages[0], "--url", Self.url).status == 0)
        var killed = 0
        for i in 0..<12 {
            let p = try start(cli, ["import", pages[i % 3], "--url", Self.url])
            usleep(useconds_t(Int.random(in: 0...60_000)))
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                killed += 1
            }
            p.waitUntilExit()
        }
        let store = try Store.openExisting(path: cli.store.path)
        #expect(try store.integrityCheck())
        let history = try store.history(url: Self.url)
        #expect(history.map(\.info.number) == Array(1...history.count), "capture numbers are whole")
        for record in history {
            let responses = try store.responses(url: Self.url, capture: record.info.number)
            #expect(responses.count == 1, "capture \(record.info.number) has its raw response")
            #expect(record.info.complete)
        }
        // The lifecycle is consistent: what history says is present is what the snapshot holds.
        if let last = history.last {
            let snap = try store.snapshot(url: Self.url, at: last.info.number, includeRemoved: false)
            #expect(snap.comments.count == last.changes.present)
        }
        // And the store still takes captures.
        #expect(try cli.run("import", pages[2], "--url", Self.url).status == 0)
        print("killed \(killed) of 12 imports; \(history.count) whole captures")
    }

    @Test func twoWritersAtOnceLoseNothing() throws {
        let cli = CLI()
        let page = CLI.fixture("library-thread/t1.html")
        var processes: [Process] = []
        for i in 0..<6 {
            processes.append(try start(cli, ["import", page, "--url", Self.url + "?w=\(i % 2)"]))
        }
        for p in processes { p.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let store = try Store.openExisting(path: cli.store.path)
        #expect(try store.history(url: Self.url + "?w=0").count == 3)
        #expect(try store.history(url: Self.url + "?w=1").count == 3)
        #expect(try store.integrityCheck())
    }
}
