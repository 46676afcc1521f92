import Foundation
import PalimpsestCore
import Testing

@testable import PalimpsestStore

/// Readers while a writer writes; a writer killed in the middle of captures.
@Suite struct ConcurrencyTests {
    /// A thread that grows by one comment per capture; every fifth capture fails, every seventh is cut short.
    static func input(_ n: Int) -> CaptureInput {
        let at = Fixture.start.addingTimeInterval(Double(n) * 60)
        if n % 5 == 0 { return Fixture.failure(hour: Double(n) / 60) }
        var rng = SplitMix(seed: UInt64(n))
        let items = (0..<(150 + n)).map { i in
            Fixture.comment(String(10_000 + i), "Comment \(i): " + (0..<40).map { _ in String(rng.next() % 1000) }.joined(separator: " "))
        }
        var input = Fixture.capture(items, hour: Double(n) / 60, problems: n % 7 == 0 ? [Problem("truncated-document", "cut")] : [])
        input.capturedAt = at
        input.responses.append(Fixture.response(Data("<p>comment page 2 of capture \(n)</p>".utf8)))
        return input
    }

    /// Checks that the store holds whole captures only: numbered 1...N, each with its responses and derived data.
    static func checkWholeCaptures(_ store: Store) throws -> Int {
        #expect(try store.integrityCheck())
        guard !(try store.pages().isEmpty) else { return 0 }
        let history = try store.history(url: Fixture.url)
        #expect(history.map(\.info.number) == (0..<history.count).map { $0 + 1 })
        let responses = try store.responses(url: Fixture.url, capture: nil)
        for record in history {
            let n = record.info.number
            let count = responses.filter { $0.captureNumber == n }.count
            #expect(count == (n % 5 == 0 ? 0 : 2), "capture \(n) has \(count) responses")
            #expect(record.info.complete == (n % 5 != 0 && n % 7 != 0))
        }
        if let last = history.last(where: \.info.complete) {
            let snapshot = try store.snapshot(url: Fixture.url, at: last.info.number, includeRemoved: false)
            #expect(snapshot.comments.count == 150 + last.info.number)
            #expect(history.last?.changes.present == snapshot.comments.count)
        }
        return history.count
    }

    @Test func readersSeeWholeCapturesWhileAWriterWrites() async throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let writer = try Store(path: path)
        _ = try writer.record(ConcurrencyTests.input(1))
        let reader = try Store.openExisting(path: path)

        // A write transaction held open: a reader still reads (the state before it).
        let inside = DispatchSemaphore(value: 0)
        let readDone = DispatchSemaphore(value: 0)
        let holder = Thread {
            try? writer.pool.write { db in
                try db.execute(sql: "UPDATE page SET canonical_url = 'held' WHERE id = 1")
                inside.signal()
                _ = readDone.wait(timeout: .now() + 20)
            }
        }
        holder.start()
        inside.wait()
        let during = try reader.history(url: Fixture.url)
        readDone.signal()
        #expect(during.count == 1)

        // Many captures written while another store object reads history and snapshots.
        let writing = Task.detached {
            for n in 2...40 { _ = try writer.record(ConcurrencyTests.input(n)) }
        }
        var reads = 0
        var lastCount = 0
        let deadline = Date().addingTimeInterval(120)
        while lastCount < 40 && Date() < deadline {
            let history = try reader.history(url: Fixture.url)
            #expect(history.count >= lastCount)
            lastCount = history.count
            if let last = history.last(where: \.info.complete) {
                let s = try reader.snapshot(url: Fixture.url, at: last.info.number, includeRemoved: false)
                #expect(s.comments.count == 150 + last.info.number)
            }
            reads += 1
            await Task.yield()
        }
        try await writing.value
        #expect(reads > 1)
        #expect(try ConcurrencyTests.checkWholeCaptures(reader) == 40)
    }

    /// The child's body: records captures into the store named by the environment until killed.
    @Test func crashChild() throws {
        guard let path = ProcessInfo.processInfo.environment["PALIMPSEST_CRASH_CHILD"] else { return }
        let store = try Store(path: path)
        var n = (try? store.history(url: Fixture.url).count) ?? 0
        while true {
            n += 1
            _ = try store.record(ConcurrencyTests.input(n))
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["PALIMPSEST_CRASH_CHILD"] == nil))
    func aCaptureIsWholeOrAbsentAfterAKill() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        _ = try Store(path: path)
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var rng = SplitMix(seed: UInt64(Date().timeIntervalSince1970))
        var recorded = 0
        for round in 0..<6 {
            let child = Process()
            child.executableURL = exe
            child.arguments = ["--testing-library", "swift-testing", "--filter", "ConcurrencyTests/crashChild"]
            var env = ProcessInfo.processInfo.environment
            env["PALIMPSEST_CRASH_CHILD"] = path
            child.environment = env
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            // Let it get going (a new capture at least), then kill it wherever it is.
            let deadline = Date().addingTimeInterval(60)
            while try ConcurrencyTests.captureCount(path) <= recorded && Date() < deadline && child.isRunning {
                usleep(20_000)
            }
            usleep(UInt32(20_000 + rng.next() % 300_000))
            #expect(child.isRunning, "round \(round): the child stopped by itself")
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            let store = try Store.openExisting(path: path)
            let count = try ConcurrencyTests.checkWholeCaptures(store)
            #expect(count > recorded, "round \(round): no capture was recorded")
            recorded = count
        }
    }

    static func captureCount(_ path: String) throws -> Int {
        let store = try Store.openExisting(path: path)
        return try store.pages().first?.captures ?? 0
    }
}
