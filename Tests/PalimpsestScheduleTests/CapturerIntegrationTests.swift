import Foundation
import PalimpsestCore
import PalimpsestFetch
import PalimpsestServe
import PalimpsestStore
import Testing
@testable import PalimpsestSchedule

/// The runner with the real backend: a shared Fetcher, the extractor and a store, against a loopback server.
@Suite struct CapturerIntegrationTests {
    /// A WordPress-like article page with these comments.
    static func page(_ comments: [(Int, String)]) -> String {
        let items = comments.map { id, text in
            """
            <li id="comment-\(id)" class="comment depth-1"><article id="div-comment-\(id)" class="comment-body">
            <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Reader \(id)</b></div>
            <div class="comment-metadata"><a href="#comment-\(id)"><time datetime="2026-01-01T0\(id % 10):00:00+00:00">1 Jan</time></a></div></footer>
            <div class="comment-content"><p>\(text)</p></div></article></li>
            """
        }.joined(separator: "\n")
        return """
            <!DOCTYPE html><html><head><title>Ferry strike</title></head><body>
            <article class="post"><h1 class="entry-title">Ferry strike</h1><div class="entry-content">
            <p>The ferry workers went on strike this morning, and the harbour stayed closed until the evening.</p>
            <p>Negotiations resume tomorrow at the town hall, the union said in a statement to the press.</p>
            </div></article>
            <div id="comments" class="comments-area"><h2 class="comments-title">\(comments.count) comments</h2>
            <ol class="comment-list">\(items)</ol></div></body></html>
            """
    }

    final class Site: @unchecked Sendable {
        private let lock = NSLock()
        private var comments: [(Int, String)] = [(1, "First!"), (2, "A second opinion.")]
        func set(_ c: [(Int, String)]) { lock.withLock { comments = c } }
        var current: [(Int, String)] { lock.withLock { comments } }
    }

    @Test func capturesOnTheAdaptiveCadenceIntoAStore() async throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        let site = Site()
        let server = try LoopbackServer { request in
            switch request.path {
            case "/thread": return .html(CapturerIntegrationTests.page(site.current))
            case "/feed.xml":
                return LoopbackResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: Data(
                    "<rss version=\"2.0\"><channel><item><title>Other</title><link>/other</link></item></channel></rss>".utf8))
            case "/other": return .html(CapturerIntegrationTests.page([(7, "Elsewhere")]))
            default: return .text("not found", status: 404)
            }
        }
        defer { server.stop() }
        let url = server.baseURL + "/thread"
        try folder.write("w.toml", """
            [[watch]]
            url = "\(url)"
            every = "30m"
            max_every = "2h"

            [[feed]]
            url = "\(server.baseURL)/feed.xml"
            every = "1h"
            """)
        let clock = ManualClock()
        let store = try Store(path: folder.root.appendingPathComponent("store.sqlite").path)
        var options = FetchOptions()
        options.perHostDelay = 0  // the manual clock does not move by itself
        let backend = CapturerBackend(store: store, fetchOptions: options, clock: clock)
        let runner = try ScheduleRunner(directory: folder.schedules, statePath: folder.statePath, backend: backend,
                                        clock: clock, options: RunnerOptions(seed: 1))
        let first = await runner.pass()
        #expect(first.newItems == 1)
        #expect(first.failures == 0)
        var s = await runner.currentState.watches[url]!
        #expect(s.lastResult?.outcome == "fetched")
        #expect(s.lastResult?.changed == true)
        #expect(s.lastResult?.summary.contains("2 appeared") == true)
        #expect(s.interval == 30 * minute)

        // Unchanged: the interval doubles. (The page and the feed's item share a host: their times are spread
        // by up to a tenth of the interval.)
        clock.advance(by: 35 * minute)
        _ = await runner.pass()
        s = await runner.currentState.watches[url]!
        #expect(s.lastResult?.changed == false)
        #expect(s.interval == hour)

        // A comment appears, one disappears: back to the floor.
        site.set([(1, "First!"), (3, "Third.")])
        clock.advance(by: hour + 5 * minute)
        _ = await runner.pass()
        s = await runner.currentState.watches[url]!
        #expect(s.lastResult?.changed == true)
        #expect(s.lastResult?.captureNumber == 3)
        #expect(s.interval == 30 * minute)
        #expect(s.captures == 3)
        // The feed's item was captured too, into the same store.
        #expect(await runner.currentState.watches[server.baseURL + "/other"]?.captures ?? 0 >= 1)
        // One robots.txt request for the host, shared by every watch.
        #expect(server.requests.filter { $0.path == "/robots.txt" }.count == 1)
    }
}
