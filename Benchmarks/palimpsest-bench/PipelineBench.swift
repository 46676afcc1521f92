import ArgumentParser
import Foundation
import PalimpsestCapture
import PalimpsestExtract
import PalimpsestFetch
import PalimpsestServe
import PalimpsestStore

/// A site of `pages` synthetic articles with threads, served from 127.0.0.1; each capture round changes a
/// few comments of every page.
final class BenchSite: @unchecked Sendable {
    private let lock = NSLock()
    private var threads: [SyntheticThread]
    let server: LoopbackServer

    init(pages: Int, comments: Int) throws {
        let threads = (0..<pages).map { SyntheticThread(url: "/article/\($0)", comments: comments, seed: UInt64($0 + 1)) }
        self.threads = threads
        let box = Box()
        server = try LoopbackServer { request in
            guard let site = box.site else { return .html("", status: 503) }
            return site.page(request.path)
        }
        box.site = self
    }

    final class Box: @unchecked Sendable { weak var site: BenchSite? }

    func page(_ path: String) -> LoopbackResponse {
        guard path.hasPrefix("/article/"), let i = Int(path.dropFirst(9)) else { return .html("<p>no</p>", status: 404) }
        let html = lock.withLock { i < threads.count ? threads[i].html() : nil }
        return html.map { .html($0) } ?? .html("<p>no</p>", status: 404)
    }

    func change(_ n: Int) {
        lock.withLock { for i in threads.indices { threads[i].change(n) } }
    }

    /// Changes that keep every thread's size (see `SyntheticThread.churn`).
    func churn(_ n: Int) {
        lock.withLock { for i in threads.indices { threads[i].churn(n) } }
    }

    var urls: [String] { (0..<threads.count).map { server.baseURL + "/article/\($0)" } }
}

/// End to end: fetch from loopback, extract, store.
struct PipelineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline", abstract: "Captures/s end to end (loopback fetch, extract, store).")

    @Option var pages = 100
    @Option var rounds = 10
    @Option var comments = 50
    @Option var concurrency = 4

    func run() async throws {
        let site = try BenchSite(pages: pages, comments: comments)
        defer { site.server.stop() }
        let path = temporaryStore("pipeline.sqlite")
        let store = try Store(path: path)
        var options = FetchOptions()
        options.perHostDelay = 0
        options.respectRobots = false
        let capturer = Capturer(fetcher: Fetcher(options: options), store: store)
        let urls = site.urls
        var total = 0
        let elapsed = try await asyncSeconds {
            for round in 0..<rounds {
                if round > 0 { site.change(2) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    var next = 0
                    for _ in 0..<min(concurrency, urls.count) {
                        let u = urls[next]; next += 1
                        group.addTask { _ = try await capturer.capture(u) }
                    }
                    while try await group.next() != nil {
                        total += 1
                        if next < urls.count {
                            let u = urls[next]; next += 1
                            group.addTask { _ = try await capturer.capture(u) }
                        }
                    }
                }
            }
        }
        emit(["captures": total, "seconds": elapsed, "captures_per_s": Double(total) / elapsed,
              "store_bytes": try checkpointedSize(path)])
    }
}

func asyncSeconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Serves the same site for a reference tool (wget --warc-file) and changes it between rounds on SIGUSR1.
struct ServeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the pipeline site; print its URL list file; SIGUSR1 changes it, SIGTERM stops.")

    @Option var pages = 100
    @Option var comments = 50
    @Option(help: "Where to write the URL list.") var urls: String
    @Flag(help: "On SIGUSR1, changes that keep the pages' size (a new comment, an edit, a removal).") var churn = false

    func run() throws {
        let site = try BenchSite(pages: pages, comments: comments)
        try (site.urls.joined(separator: "\n") + "\n").write(toFile: urls, atomically: true, encoding: .utf8)
        signal(SIGUSR1, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let change = DispatchSource.makeSignalSource(signal: SIGUSR1)
        change.setEventHandler { churn ? site.churn(3) : site.change(2) }
        change.resume()
        let stop = DispatchSource.makeSignalSource(signal: SIGTERM)
        let done = DispatchSemaphore(value: 0)
        stop.setEventHandler { done.signal() }
        stop.resume()
        FileHandle.standardOutput.write(Data("ready \(site.server.baseURL)\n".utf8))
        done.wait()
        site.server.stop()
    }
}
