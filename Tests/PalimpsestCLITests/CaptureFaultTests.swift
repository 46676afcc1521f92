import Foundation
import PalimpsestCapture
import PalimpsestCore
import PalimpsestFetch
import PalimpsestServe
import PalimpsestStore
import Testing

/// A hostile or broken server never costs a comment: every fault gives a recorded failed or incomplete
/// capture with its reason, and nothing disappears.
@Suite struct CaptureFaultTests {
    static let page = try! Data(contentsOf: URL(fileURLWithPath: CLI.fixture("library-thread/t0.html")))
    static let bomb = try! Data(contentsOf: URL(fileURLWithPath: CLI.fixture("bomb.html.gz")))

    final class Mode: @unchecked Sendable {
        private let lock = NSLock()
        private var current: LoopbackResponse = .html("")
        var response: LoopbackResponse {
            get { lock.withLock { current } }
            set { lock.withLock { current = newValue } }
        }
    }

    static func withNUL() -> Data {
        var d = page
        let at = d.range(of: Data("</head>".utf8))!.lowerBound
        d.insert(contentsOf: Data("<!-- \0\0 -->".utf8), at: at)
        return d
    }

    static func withInvalidUTF8() -> Data {
        var d = page
        let at = d.range(of: Data("</head>".utf8))!.lowerBound
        d.insert(contentsOf: Data([0x3C, 0x21, 0x2D, 0x2D, 0xFF, 0xFE, 0xC3, 0x28, 0x2D, 0x2D, 0x3E]), at: at)
        return d
    }

    static let faults: [(String, LoopbackResponse)] = [
        ("connection reset mid-body", LoopbackResponse(status: 200, headers: [("Content-Type", "text/html"), ("Content-Length", String(page.count))],
                                                       body: page, fault: .resetAfter(bytes: 2000))),
        ("stall", LoopbackResponse(status: 200, body: page, fault: .stall(seconds: 4))),
        ("slow drip", LoopbackResponse(status: 200, headers: [("Content-Type", "text/html")], body: page, fault: .drip(chunk: 50, interval: 0.2))),
        ("endless body", LoopbackResponse(status: 200, headers: [("Content-Type", "text/html")], fault: .endless)),
        ("gzip bomb", LoopbackResponse(status: 200, headers: [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], body: bomb)),
        ("short body", LoopbackResponse(status: 200, headers: [("Content-Type", "text/html")], body: page.prefix(3000),
                                        fault: .shortBody(declared: page.count))),
        ("10,000 headers", LoopbackResponse(status: 200, headers: (0..<10_000).map { ("X-H\($0)", "v") }, body: page)),
        ("a 1 MB header line", LoopbackResponse(status: 200, headers: [("X-Big", String(repeating: "x", count: 1 << 20))], body: page)),
        ("redirect to file://", .redirect(to: "file:///etc/passwd")),
        ("redirect to gopher://", .redirect(to: "gopher://127.0.0.1/")),
        ("200 with an empty body", LoopbackResponse(status: 200, headers: [("Content-Type", "text/html")], body: Data())),
        ("200 maintenance page", .html("<!DOCTYPE html><html><head><title>Service temporarily unavailable</title></head><body><h1>Maintenance</h1><p>We are down for maintenance. Please try again later.</p></body></html>")),
        ("truncated HTML", LoopbackResponse(status: 200, headers: [("Content-Type", "text/html")], body: page.prefix(page.count * 2 / 3))),
        ("503", LoopbackResponse(status: 503)),
        ("500", LoopbackResponse(status: 500)),
        ("404", .html("<html><body>Not found</body></html>", status: 404)),
        ("410", .html("<html><body>Gone</body></html>", status: 410)),
        ("HTML with NUL bytes", LoopbackResponse(status: 200, headers: [("Content-Type", "text/html")], body: withNUL())),
        ("invalid UTF-8", LoopbackResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: withInvalidUTF8())),
        ("raw garbage instead of HTTP", LoopbackResponse(fault: .raw(Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })))),
    ]

    @Test func noFaultMakesACommentDisappear() async throws {
        let mode = Mode()
        let server = try LoopbackServer { _ in mode.response }
        defer { server.stop() }
        let store = try Store(path: CLI().store.path)
        var options = FetchOptions()
        options.perHostDelay = 0
        options.respectRobots = false
        options.totalTimeout = 3
        options.stallTimeout = 1
        options.maxRetries = 1
        options.backoffBase = 0.01
        options.maxBodyBytes = 4 << 20
        let capturer = Capturer(fetcher: Fetcher(options: options), store: store)
        let url = server.baseURL + "/2026/02/02/fairhaven-library-extension/"

        mode.response = LoopbackResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: Self.page)
        let first = try await capturer.capture(url)
        #expect(first.info.complete)
        let present = first.changes.present

        for (name, response) in Self.faults {
            mode.response = response
            let r = try await capturer.capture(url)
            #expect(r.changes.disappeared.isEmpty, "\(name) made comments disappear: \(r.changes.disappeared)")
            #expect(r.changes.present == present, "\(name) changed the comments present")
            if !(name == "HTML with NUL bytes" || name == "invalid UTF-8") {
                #expect(!r.info.complete, "\(name) recorded as complete")
                #expect(!r.info.problems.isEmpty, "\(name) recorded without a reason")
            }
        }
        let history = try store.history(url: url)
        #expect(history.count == Self.faults.count + 1)
        #expect(history.first { $0.info.httpStatus == 404 }?.info.outcome == .gone)
        #expect(history.first { $0.info.httpStatus == 503 }?.info.outcome == .failed)

        // Back to normal: the thread is as it was, nothing appeared or disappeared in between.
        mode.response = LoopbackResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: Self.page)
        let back = try await capturer.capture(url)
        #expect(back.info.complete)
        #expect(back.changes.appeared.isEmpty && back.changes.disappeared.isEmpty)
        #expect(try store.integrityCheck())
    }

    @Test func a304IsRecordedAsUnchangedWithoutExtraction() async throws {
        let server = try LoopbackServer { req in
            if req.header("If-None-Match") == "\"t0\"" { return LoopbackResponse(status: 304) }
            return LoopbackResponse(status: 200, headers: [("Content-Type", "text/html"), ("ETag", "\"t0\"")], body: Self.page)
        }
        defer { server.stop() }
        let store = try Store(path: CLI().store.path)
        var options = FetchOptions()
        options.perHostDelay = 0
        options.respectRobots = false
        let capturer = Capturer(fetcher: Fetcher(options: options), store: store)
        let url = server.baseURL + "/a"
        let first = try await capturer.capture(url)
        let second = try await capturer.capture(url)
        #expect(second.info.outcome == .unchanged)
        #expect(second.info.httpStatus == 304)
        #expect(second.changes.present == first.changes.present)
        #expect(server.requests.last?.header("If-None-Match") == "\"t0\"")
    }

    @Test func aMissingCommentPageMakesTheCaptureIncomplete() async throws {
        // Page 1 links to comment page 2; page 2 fails the second time.
        let failing = Mode()
        let server = try LoopbackServer { req in
            if req.path.hasSuffix("/comment-page-2/") { return failing.response }
            return .html(CaptureFaultTests.pagedThread(page: 1, base: "http://" + (req.header("Host") ?? "")))
        }
        defer { server.stop() }
        failing.response = .html(Self.pagedThread(page: 2, base: server.baseURL))
        let store = try Store(path: CLI().store.path)
        var options = FetchOptions()
        options.perHostDelay = 0
        options.respectRobots = false
        options.maxRetries = 0
        let capturer = Capturer(fetcher: Fetcher(options: options), store: store)
        let url = server.baseURL + "/story/"
        let first = try await capturer.capture(url)
        #expect(first.info.complete, "\(first.info.problems)")
        #expect(first.changes.appeared.sorted() == ["901", "902", "903", "904"])
        failing.response = LoopbackResponse(status: 503)
        let second = try await capturer.capture(url)
        #expect(!second.info.complete)
        #expect(second.info.problems.contains { $0.code == "comment-page-missing" })
        #expect(second.changes.disappeared.isEmpty)
        #expect(try store.responses(url: url, capture: 1).count == 2, "both comment pages are kept raw")
    }

    static func pagedThread(page: Int, base: String) -> String {
        let ids = page == 1 ? [903, 904] : [901, 902]
        let items = ids.map { id in
            """
            <li id="comment-\(id)" class="comment depth-1"><article id="div-comment-\(id)" class="comment-body">
            <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Reader \(id)</b></div>
            <div class="comment-metadata"><a href="\(base)/story/#comment-\(id)"><time datetime="2026-01-0\(id % 10)T10:00:00+00:00">Jan \(id % 10)</time></a></div></footer>
            <div class="comment-content"><p>Comment number \(id) on the story.</p></div></article></li>
            """
        }.joined(separator: "\n")
        let nav = page == 1
            ? "<div class=\"nav-previous\"><a href=\"\(base)/story/comment-page-2/#comments\">Older Comments</a></div>"
            : "<div class=\"nav-next\"><a href=\"\(base)/story/#comments\">Newer Comments</a></div>"
        return """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>A story – Paged Times</title></head><body>
            <article class="post"><h1 class="entry-title">A story</h1><div class="entry-content">
            <p>The story has a first paragraph long enough to be an article body, about the harbour and the town.</p>
            <p>And a second paragraph, so that the extractor sees a real article before the comments.</p></div></article>
            <div id="comments" class="comments-area"><h2 class="comments-title">4 comments</h2>
            <nav class="comment-navigation">\(nav)</nav>
            <ol class="comment-list">\(items)</ol></div></body></html>
            """
    }
}
