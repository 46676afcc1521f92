import ArgumentParser
import Foundation
import GRDB
import PalimpsestCapture
import PalimpsestExtract
import PalimpsestStore

/// Bytes the store file grows by, for three kinds of thread.
struct StorageBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Store size: an unchanged page, a growing thread (pages in a folder, in name order), a large changing thread.")

    enum Kind: String, ExpressibleByArgument { case unchanged, growing, large }

    @Argument var kind: Kind
    @Option(help: "unchanged: the page.") var page: String?
    @Option(help: "growing: a folder of pages, one per capture.") var dir: String?
    @Option var captures = 100
    @Option var comments = 10_000
    @Option var changes = 50
    @Option(help: "Keep the store here (for the query benchmark).") var store: String?

    func run() throws {
        let path = store ?? temporaryStore("storage.sqlite")
        let s = try Store(path: path)
        let importer = Importer(store: s, extractor: PageExtractor())
        let url = "https://bench.example/\(kind.rawValue)"
        var t = Date(timeIntervalSince1970: 1_767_225_600)
        var bodies: [Data] = []
        func next() -> Date { t = t.addingTimeInterval(1800); return t }
        var recordTimes: [Double] = []

        switch kind {
        case .unchanged:
            let data = try Data(contentsOf: URL(fileURLWithPath: page!))
            bodies = Array(repeating: data, count: captures + 1)
        case .growing:
            let folder = dir!
            bodies = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".html") }.sorted()
                .map { try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent($0))) }
        case .large:
            break
        }

        var firstSize = 0
        if kind == .large {
            var thread = SyntheticThread(url: url, comments: comments)
            for i in 0..<captures {
                if i > 0 { thread.change(changes) }
                let html = Data(thread.html().utf8)
                if i % max(1, captures / 20) == 0 { bodies.append(html) }  // a sample, for the gzip comparison
                recordTimes.append(try seconds { _ = try importer.importPage(html, url: url, at: next()) })
                if i == 0 { firstSize = try checkpointedSize(path) }
            }
        } else {
            for (i, body) in bodies.enumerated() {
                recordTimes.append(try seconds { _ = try importer.importPage(body, url: url, at: next()) })
                if i == 0 { firstSize = try checkpointedSize(path) }
            }
        }
        let finalSize = try checkpointedSize(path)
        let n = kind == .large ? captures : bodies.count
        // What keeping each later body whole and gzip'd would cost (WARC's way), from the sample.
        let gzipSizes = try bodies.dropFirst().map { try gzipSize($0) }
        let gzipPerCapture = gzipSizes.isEmpty ? 0 : Double(gzipSizes.reduce(0, +)) / Double(gzipSizes.count)
        let rawPerCapture = bodies.count > 1 ? Double(bodies.dropFirst().map(\.count).reduce(0, +)) / Double(bodies.count - 1) : 0
        let added = finalSize - firstSize
        let (median, worst) = stats(recordTimes)
        emit(["kind": kind.rawValue, "captures": n, "store_bytes_first": firstSize, "store_bytes_final": finalSize,
              "store_bytes_added_after_first": added,
              "store_bytes_per_later_capture": n > 1 ? Double(added) / Double(n - 1) : 0,
              "gzip_bytes_per_later_capture": gzipPerCapture, "raw_bytes_per_later_capture": rawPerCapture,
              "store_over_gzip": gzipPerCapture > 0 ? (Double(added) / Double(max(n - 1, 1))) / gzipPerCapture : 0,
              "record_ms_median": median * 1000, "record_ms_worst": worst * 1000, "store": path, "url": url])
    }
}

/// The store file's size with its WAL folded in.
func checkpointedSize(_ path: String) throws -> Int {
    let q = try DatabaseQueue(path: path)
    _ = try q.writeWithoutTransaction { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    try q.close()
    return fileSize(path) + fileSize(path + "-wal")
}

/// gzip -6 of a body (the command, as WARC writers use zlib's default level).
func gzipSize(_ data: Data) throws -> Int {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/gzip")
    p.arguments = ["-6", "-c"]
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try p.run()
    let writer = Thread {
        try? input.fileHandleForWriting.write(contentsOf: data)
        try? input.fileHandleForWriting.close()
    }
    writer.start()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return out.count
}
