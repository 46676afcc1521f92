import Foundation
import PalimpsestCore
import PalimpsestServe
import Testing

@testable import PalimpsestFetch

/// Polite, fast options for tests: no per-host delay unless a test asks, short timeouts.
func testOptions(delay: Double = 0, robots: Bool = false) -> FetchOptions {
    var o = FetchOptions()
    o.perHostDelay = delay
    o.respectRobots = robots
    o.connectTimeout = 5
    o.totalTimeout = 10
    o.stallTimeout = 1
    o.backoffBase = 0.05
    return o
}

func fetchError(_ body: () async throws -> Void) async -> FetchFailure? {
    do {
        try await body()
        return nil
    } catch let f as FetchFailure {
        return f
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite struct FetcherTests {
    @Test func followsAndRecordsARedirectChain() async throws {
        let server = try LoopbackServer { req in
            switch req.path {
            case "/a": .redirect(to: "/b", status: 301)
            case "/b": .redirect(to: "/c?x=1", status: 302)
            case "/c": .html("<html><body><p>arrived</p></body></html>")
            default: .html("no", status: 404)
            }
        }
        defer { server.stop() }
        let r = try await Fetcher(options: testOptions()).fetch(server.baseURL + "/a")
        #expect(r.status == 200)
        #expect(r.finalURL == server.baseURL + "/c?x=1")
        #expect(r.requestedURL == server.baseURL + "/a")
        #expect(r.redirects.map(\.status) == [301, 302])
        #expect(r.redirects.map(\.location) == ["/b", "/c?x=1"])
        #expect(r.text.contains("arrived"))
        #expect(r.requestHeaders.value(of: "User-Agent")?.hasPrefix("Palimpsest/") == true)
        #expect(server.requests.first?.header("User-Agent")?.hasPrefix("Palimpsest/") == true)
    }

    @Test func aRedirectLoopIsAClearError() async throws {
        let server = try LoopbackServer { req in
            req.path == "/x" ? .redirect(to: "/y") : .redirect(to: "/x")
        }
        defer { server.stop() }
        let f = await fetchError { _ = try await Fetcher(options: testOptions()).fetch(server.baseURL + "/x") }
        #expect(f?.reason == .redirectLoop)
        #expect(f?.redirects.count == 2)
    }

    @Test func tooManyRedirectsStop() async throws {
        let server = try LoopbackServer { req in
            let n = Int(req.path.dropFirst()) ?? 0
            return .redirect(to: "/\(n + 1)")
        }
        defer { server.stop() }
        var o = testOptions()
        o.maxRedirects = 3
        let f = await fetchError { _ = try await Fetcher(options: o).fetch(server.baseURL + "/0") }
        #expect(f?.reason == .tooManyRedirects)
        #expect(server.requests.count == 4)
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "dict://127.0.0.1/"])
    func aRedirectToAnotherSchemeIsRefused(_ target: String) async throws {
        let server = try LoopbackServer { _ in .redirect(to: target) }
        defer { server.stop() }
        let f = await fetchError { _ = try await Fetcher(options: testOptions()).fetch(server.baseURL + "/") }
        #expect(f?.reason == .refusedScheme)
        #expect(f?.url == target)
    }

    @Test func otherSchemesAreRefusedUpFront() async {
        let f = await fetchError { _ = try await Fetcher(options: testOptions()).fetch("file:///etc/passwd") }
        #expect(f?.reason == .refusedScheme)
    }

    @Test func conditionalRequestGets304() async throws {
        let server = try LoopbackServer { req in
            if req.header("If-None-Match") == "\"v1\"" { return LoopbackResponse(status: 304) }
            return LoopbackResponse(status: 200, headers: [("ETag", "\"v1\""), ("Content-Type", "text/html")],
                                    body: Data("<p>x</p>".utf8))
        }
        defer { server.stop() }
        let fetcher = Fetcher(options: testOptions())
        let first = try await fetcher.fetch(server.baseURL + "/p")
        #expect(first.etag == "\"v1\"")
        let second = try await fetcher.fetch(server.baseURL + "/p", validators: Validators(etag: first.etag, lastModified: nil))
        #expect(second.status == 304)
        #expect(second.isNotModified)
        #expect(server.requests.last?.header("If-None-Match") == "\"v1\"")
    }

    @Test func retriesA429HonouringRetryAfter() async throws {
        let clock = ManualClockDriver()
        let counter = Counter()
        let server = try LoopbackServer { _ in
            counter.next() == 0
                ? LoopbackResponse(status: 429, headers: [("Retry-After", "120")])
                : .html("<p>ok</p>")
        }
        defer { server.stop() }
        let fetcher = Fetcher(options: testOptions(), clock: clock.clock)
        async let result = fetcher.fetch(server.baseURL + "/")
        try await clock.waitForSleeper()
        let before = clock.clock.now()
        clock.clock.advance(by: 119)
        #expect(server.requests.count == 1, "not retried before Retry-After")
        clock.clock.advance(by: 1)
        let r = try await result
        #expect(r.status == 200)
        #expect(server.requests.count == 2)
        #expect(clock.clock.now().timeIntervalSince(before) == 120)
    }

    @Test func retriesA503ThenSucceeds() async throws {
        let counter = Counter()
        let server = try LoopbackServer { _ in
            counter.next() < 2 ? LoopbackResponse(status: 503) : .html("<p>back</p>")
        }
        defer { server.stop() }
        let r = try await Fetcher(options: testOptions()).fetch(server.baseURL + "/")
        #expect(r.status == 200)
        #expect(server.requests.count == 3)
    }

    @Test func givesUpOn503AfterTheBoundAndDoesNotRetry404() async throws {
        let server = try LoopbackServer { req in
            req.path == "/missing" ? .html("gone", status: 404) : LoopbackResponse(status: 503)
        }
        defer { server.stop() }
        var o = testOptions()
        o.maxRetries = 2
        let fetcher = Fetcher(options: o)
        let r = try await fetcher.fetch(server.baseURL + "/busy")
        #expect(r.status == 503)
        #expect(server.requests.count == 3)
        let missing = try await fetcher.fetch(server.baseURL + "/missing")
        #expect(missing.status == 404)
        #expect(server.requests.count == 4)
    }

    @Test func decodesGzipTransfer() async throws {
        let gz = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/page.html.gz"))
        let server = try LoopbackServer { req in
            #expect(req.header("Accept-Encoding")?.contains("gzip") == true)
            return LoopbackResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8"),
                                                           ("Content-Encoding", "gzip")], body: gz)
        }
        defer { server.stop() }
        let r = try await Fetcher(options: testOptions()).fetch(server.baseURL + "/")
        #expect(r.text.hasPrefix("<html><body><p>Compressed page."))
        #expect(r.body.count > gz.count)
    }

    @Test func anOversizeBodyStopsEarly() async throws {
        let server = try LoopbackServer { _ in LoopbackResponse(status: 200, fault: .endless) }
        defer { server.stop() }
        var o = testOptions()
        o.maxBodyBytes = 1 << 20
        let f = await fetchError { _ = try await Fetcher(options: o).fetch(server.baseURL + "/") }
        #expect(f?.reason == .tooLarge)
        // A declared Content-Length over the limit is refused before the body.
        let big = try LoopbackServer { _ in
            LoopbackResponse(status: 200, headers: [("Content-Length", "999999999")], body: Data(count: 10))
        }
        defer { big.stop() }
        let g = await fetchError { _ = try await Fetcher(options: o).fetch(big.baseURL + "/") }
        #expect(g?.reason == .tooLarge)
    }

    @Test func aStalledServerTimesOut() async throws {
        let server = try LoopbackServer { _ in LoopbackResponse(status: 200, body: Data("x".utf8), fault: .stall(seconds: 5)) }
        defer { server.stop() }
        let f = await fetchError { _ = try await Fetcher(options: testOptions()).fetch(server.baseURL + "/") }
        #expect(f?.reason == .timeout)
        #expect(f?.curlCode == 28)
    }

    @Test func aTruncatedBodyIsAnError() async throws {
        let page = Data(String(repeating: "<p>text</p>", count: 1000).utf8)
        let short = try LoopbackServer { _ in LoopbackResponse(status: 200, body: page, fault: .shortBody(declared: page.count + 500)) }
        defer { short.stop() }
        let f = await fetchError { _ = try await Fetcher(options: testOptions()).fetch(short.baseURL + "/") }
        #expect(f?.reason == .truncated)
        let reset = try LoopbackServer { _ in
            LoopbackResponse(status: 200, headers: [("Content-Length", String(page.count))], body: page,
                             fault: .resetAfter(bytes: 100))
        }
        defer { reset.stop() }
        let g = await fetchError { _ = try await Fetcher(options: testOptions()).fetch(reset.baseURL + "/") }
        #expect(g?.reason == .truncated)
    }

    @Test func robotsTxtDisallowIsObeyedUnlessIgnored() async throws {
        let server = try LoopbackServer { req in
            switch req.path {
            case "/robots.txt": .text("User-agent: *\nDisallow: /private/\n\nUser-agent: palimpsest\nDisallow: /news/comments\nAllow: /news/comments/ok\n")
            default: .html("<p>page</p>")
            }
        }
        defer { server.stop() }
        let polite = Fetcher(options: testOptions(robots: true))
        let f = await fetchError { _ = try await polite.fetch(server.baseURL + "/news/comments?page=2") }
        #expect(f?.reason == .robotsDisallowed)
        // Our own group applies, not the * group.
        #expect(try await polite.fetch(server.baseURL + "/private/x").status == 200)
        #expect(try await polite.fetch(server.baseURL + "/news/comments/ok").status == 200)
        #expect(server.requests.filter { $0.path == "/robots.txt" }.count == 1, "robots.txt is cached per host")
        let rude = Fetcher(options: testOptions(robots: false))
        #expect(try await rude.fetch(server.baseURL + "/news/comments").status == 200)
    }

    @Test func decodesISO88591AndWindows1256() async throws {
        let latin1 = Data("<html><head><title>".utf8) + Data([0x45, 0x74, 0xE9, 0x20, 0xE0, 0x20, 0x50, 0x61, 0x72, 0x69, 0x73])
            + Data("</title></head></html>".utf8)
        // "عسكرية" in windows-1256.
        let arabic = Data("<html><head><meta charset=\"windows-1256\"></head><body><p>".utf8)
            + Data([0xDA, 0xD3, 0xDF, 0xD1, 0xED, 0xC9]) + Data("</p></body></html>".utf8)
        let server = try LoopbackServer { req in
            req.path == "/fr"
                ? LoopbackResponse(status: 200, headers: [("Content-Type", "text/html; charset=ISO-8859-1")], body: latin1)
                : LoopbackResponse(status: 200, headers: [("Content-Type", "text/html")], body: arabic)
        }
        defer { server.stop() }
        let fetcher = Fetcher(options: testOptions())
        let fr = try await fetcher.fetch(server.baseURL + "/fr")
        #expect(fr.text.contains("Eté à Paris"))
        #expect(fr.charsetSource == "header")
        #expect(fr.body == latin1, "the raw bytes are kept as received")
        let ar = try await fetcher.fetch(server.baseURL + "/ar")
        #expect(ar.text.contains("عسكرية"))
        #expect(ar.charset == "windows-1256")
        #expect(ar.charsetSource == "meta")
    }

    @Test func invalidBytesAreReplacedNotFatal() {
        let bad = Data([0x3C, 0x70, 0x3E, 0xC3, 0x28, 0xFF, 0x61])
        let d = Charset.decode(bad, contentType: "text/html; charset=utf-8")
        #expect(d.text.contains("\u{FFFD}"))
        #expect(d.text.hasPrefix("<p>"))
        let unknown = Charset.decode(Data("<p>é</p>".utf8), contentType: "text/html; charset=x-no-such-charset")
        #expect(unknown.text == "<p>é</p>")
    }

    @Test func perHostDelayHoldsUnderConcurrency() async throws {
        let server = try LoopbackServer { _ in .html("<p>x</p>") }
        defer { server.stop() }
        let fetcher = Fetcher(options: testOptions(delay: 0.3))
        let urls = (0..<4).map { server.baseURL + "/p\($0)" }
        let start = Date()
        let results = await fetcher.fetchAll(urls, concurrency: 4)
        let elapsed = Date().timeIntervalSince(start)
        #expect(results.allSatisfy { (try? $0.get().status) == 200 })
        // Four requests to one host, 0.3 s apart at least: the last cannot start before 0.9 s, whatever the
        // load on the machine (server-side timestamps are not used: a busy server reads requests late).
        #expect(elapsed >= 0.89, "four requests to one host took only \(elapsed) s")
        #expect(server.requests.count == 4)
    }

    @Test func robotsPatterns() {
        let r = RobotsTxt(parsing: "User-agent: *\nDisallow: /*.pdf$\nDisallow: /a*b\nAllow: /a/ok\nDisallow: /a/\n")
        #expect(!r.allows("/x/file.pdf", for: "palimpsest"))
        #expect(r.allows("/x/file.pdf?v=1", for: "palimpsest"))
        #expect(!r.allows("/a/xxb", for: "palimpsest"))
        #expect(r.allows("/a/ok", for: "palimpsest"))
        #expect(!r.allows("/a/no", for: "palimpsest"))
        #expect(r.allows("/b", for: "palimpsest"))
        #expect(RobotsTxt(parsing: "User-agent: *\nDisallow:\n").allows("/", for: "palimpsest"))
    }

    @Test func backoffHonoursRetryAfterDates() {
        let now = Date(timeIntervalSince1970: 1_767_225_600)  // Thu, 01 Jan 2026 00:00:00 GMT
        #expect(Backoff.delay(attempt: 0, base: 2, retryAfter: "Thu, 01 Jan 2026 00:01:30 GMT", now: now) == 90)
        #expect(Backoff.delay(attempt: 0, base: 2, retryAfter: "7", now: now) == 7)
        let d = Backoff.delay(attempt: 3, base: 2, retryAfter: nil, now: now)
        #expect(d >= 16 && d <= 24)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.withLock { defer { n += 1 }; return n } }
}

/// A manual clock, and a way to wait (in real time, briefly) until something sleeps on it.
struct ManualClockDriver {
    let clock = ManualClock()
    func waitForSleeper() async throws {
        for _ in 0..<500 where clock.sleeperCount == 0 { try await Task.sleep(nanoseconds: 10_000_000) }
    }
}
