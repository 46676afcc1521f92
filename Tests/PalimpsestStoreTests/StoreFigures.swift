import Foundation
import GRDB
import PalimpsestCore
import Testing

@testable import PalimpsestStore

/// The figures, measured, not asserted (timings never go into the suite): run with
/// `PALIMPSEST_STORE_FIGURES=1 swift test -c release --scratch-path .build-store --filter StoreFigures`.
/// Prints one JSON line per figure.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PALIMPSEST_STORE_FIGURES"] != nil))
struct StoreFigures {
    /// The store file with its WAL folded in.
    static func size(_ store: Store) throws -> Int {
        _ = try store.pool.writeWithoutTransaction { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        return (attributes[.size] as? Int) ?? 0
    }

    static func gzipSize(_ data: Data) throws -> Int {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("figure-\(UUID().uuidString)")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-6", "-c", file.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let bytes = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return bytes.count
    }

    static func response(_ body: Data, n: Int) -> HTTPResponse {
        let date = Date(timeIntervalSince1970: 1_762_333_200 + Double(n) * 1800)
        return HTTPResponse(
            requestedURL: Fixture.url, finalURL: Fixture.url, status: 200, statusLine: "HTTP/1.1 200 OK",
            headers: [HTTPHeader("Date", date.description), HTTPHeader("Server", "nginx/1.24.0"),
                      HTTPHeader("Content-Type", "text/html; charset=UTF-8"), HTTPHeader("Content-Length", String(body.count)),
                      HTTPHeader("ETag", "\"\(Blobs.hex(Blobs.sha256(body)).prefix(16))\""),
                      HTTPHeader("Last-Modified", "Wed, 05 Nov 2025 19:00:00 GMT"), HTTPHeader("Vary", "Accept-Encoding"),
                      HTTPHeader("Cache-Control", "max-age=300, must-revalidate"), HTTPHeader("X-Cache", n % 2 == 0 ? "HIT" : "MISS")],
            body: body, charset: "utf-8", charsetSource: "header",
            timings: Timings(nameLookup: 0.001 * Double(n % 7), connect: 0.01, firstByte: 0.05 + 0.001 * Double(n % 13), total: 0.09),
            requestHeaders: [HTTPHeader("User-Agent", PalimpsestVersion.userAgent), HTTPHeader("Accept", "text/html"),
                             HTTPHeader("Accept-Encoding", "gzip, br, zstd")])
    }

    static func emit(_ values: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])
        print("FIGURE " + String(decoding: data, as: UTF8.self))
    }

    @Test func unchangedPage() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        let thread = SyntheticThread(comments: 40)
        let body = Fixture.html(thread.items)
        for n in 0...100 {
            var input = CaptureInput(url: Fixture.url, capturedAt: Fixture.start.addingTimeInterval(Double(n) * 1800),
                                     responses: [StoreFigures.response(body, n: n)], extraction: thread.extraction(url: Fixture.url))
            input.duration = 0.1 + Double(n % 10) / 100
            _ = try store.record(input)
            if n == 0 { StoreFigures.emit(["figure": "unchanged-first", "bytes": try StoreFigures.size(store), "body": body.count]) }
        }
        StoreFigures.emit(["figure": "unchanged-100-more", "bytes": try StoreFigures.size(store)])
    }

    @Test func growingThread() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        var thread = SyntheticThread(comments: 30)
        var first = 0
        var gzip = 0
        for n in 0..<33 {
            if n > 0 {
                thread.items.append(thread.makeItem())
            }
            let body = Fixture.html(thread.items)
            _ = try store.record(CaptureInput(url: Fixture.url, capturedAt: Fixture.start.addingTimeInterval(Double(n) * 1800),
                                              responses: [StoreFigures.response(body, n: n)],
                                              extraction: thread.extraction(url: Fixture.url)))
            if n == 0 { first = try StoreFigures.size(store) } else { gzip += try StoreFigures.gzipSize(body) }
        }
        let added = try StoreFigures.size(store) - first
        StoreFigures.emit(["figure": "growing-32", "store_added": added, "gzip_sum": gzip,
                           "ratio": Double(added) / Double(gzip)])
    }

    @Test func largeThread() throws {
        let env = ProcessInfo.processInfo.environment
        let comments = Int(env["FIGURE_COMMENTS"] ?? "") ?? 10_000
        let captures = Int(env["FIGURE_CAPTURES"] ?? "") ?? 1000
        let path = env["FIGURE_STORE"] ?? Fixture.storePath()
        defer { if env["FIGURE_STORE"] == nil { Fixture.remove(path) } }
        let store = try Store(path: path)
        var thread = SyntheticThread(comments: comments)
        var record: [Double] = []
        // A store already filled by an earlier run is measured as it is.
        let filled = (try store.pages().first?.captures ?? 0) == captures
        for n in 0..<captures where !filled {
            if n > 0 { thread.change(50) }
            let body = Fixture.html(thread.items)
            let started = Date()
            _ = try store.record(CaptureInput(url: Fixture.url, capturedAt: Fixture.start.addingTimeInterval(Double(n) * 1800),
                                              responses: [StoreFigures.response(body, n: n)],
                                              extraction: thread.extraction(url: Fixture.url)))
            record.append(Date().timeIntervalSince(started))
        }
        var rng = SplitMix(seed: 9)
        var snapshot: [Double] = []
        var diff: [Double] = []
        var history: [Double] = []
        var present = 0
        var changed = 0
        for _ in 0..<30 {
            let a = 1 + Int(rng.next() % UInt64(captures)), b = 1 + Int(rng.next() % UInt64(captures))
            var started = Date()
            present = try store.snapshot(url: Fixture.url, at: a, includeRemoved: false).comments.count
            snapshot.append(Date().timeIntervalSince(started))
            started = Date()
            let pair = try store.snapshots(url: Fixture.url, at: [min(a, b), max(a, b)], includeRemoved: false)
            let (x, y) = (pair[0], pair[1])
            let before = Dictionary(uniqueKeysWithValues: x.comments.map { ($0.comment.id, $0.comment) })
            changed = y.comments.filter { before[$0.comment.id] != $0.comment }.count
            diff.append(Date().timeIntervalSince(started))
            started = Date()
            _ = try store.history(url: Fixture.url)
            history.append(Date().timeIntervalSince(started))
        }
        func ms(_ v: [Double]) -> [String: Double] {
            let s = v.sorted()
            return s.isEmpty ? [:] : ["median": s[s.count / 2] * 1000, "worst": s.last! * 1000]
        }
        StoreFigures.emit(["figure": "large", "comments": comments, "captures": captures, "present_sample": present, "diff_changed_sample": changed,
                           "store_bytes": try StoreFigures.size(store), "record_ms": ms(record), "snapshot_ms": ms(snapshot),
                           "diff_ms": ms(diff), "history_ms": ms(history)])
    }
}
