import Foundation
import PalimpsestCore
import PalimpsestServe
import Testing

@testable import PalimpsestFetch

/// A clock whose sleeps return at once, moving its time forward: waits are recorded, not spent.
final class JumpClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date()
    private var waits: [Double] = []

    func now() -> Date { lock.withLock { current } }

    /// The waits asked for (seconds), zero-length ones left out.
    var sleeps: [Double] { lock.withLock { waits } }

    func sleep(until deadline: Date) async throws {
        lock.withLock {
            let wait = deadline.timeIntervalSince(current)
            if wait > 0 {
                waits.append(wait)
                current = deadline
            }
        }
    }
}

@Suite struct PolitenessTests {
    @Test func retryAfterAsAnHTTPDateIsHonoured() async throws {
        let clock = JumpClock()
        let counter = Counter()
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let retryAt = format.string(from: clock.now().addingTimeInterval(30))
        let server = try LoopbackServer { _ in
            counter.next() == 0 ? LoopbackResponse(status: 503, headers: [("Retry-After", retryAt)]) : .html("<p>ok</p>")
        }
        defer { server.stop() }
        let r = try await Fetcher(options: testOptions(), clock: clock).fetch(server.baseURL + "/")
        #expect(r.status == 200)
        #expect(clock.sleeps.count == 1)
        #expect((clock.sleeps.first ?? 0) > 28 && (clock.sleeps.first ?? 0) <= 30)
    }

    /// Foundation's DateFormatter crashes on a digit followed by a combining mark (found by fuzzing the
    /// schedule parser); a server's Retry-After header must not be able to do that to a capture.
    @Test func aHostileRetryAfterDateIsIgnoredNotFatal() {
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        #expect(Backoff.parseRetryAfter("Thu, 0\u{5AB}1 Jan 2026 00:00:30 GMT", now: now) == nil)
        #expect(Backoff.parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now: now) == 30)
    }

    @Test func aRetryAfterBeyondTheCapIsNotWaitedFor() async throws {
        let clock = JumpClock()
        let server = try LoopbackServer { _ in LoopbackResponse(status: 429, headers: [("Retry-After", "3600")]) }
        defer { server.stop() }
        let r = try await Fetcher(options: testOptions(), clock: clock).fetch(server.baseURL + "/")
        #expect(r.status == 429, "a 429 that stays is a response, not an error")
        #expect(server.requests.count == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func backoffGrowsWithoutRetryAfter() async throws {
        let clock = JumpClock()
        let server = try LoopbackServer { _ in LoopbackResponse(status: 429) }
        defer { server.stop() }
        var o = testOptions()
        o.backoffBase = 1
        o.maxRetries = 3
        let r = try await Fetcher(options: o, clock: clock).fetch(server.baseURL + "/")
        #expect(r.status == 429)
        #expect(server.requests.count == 4)
        let s = clock.sleeps
        #expect(s.count == 3)
        if s.count == 3 {
            #expect(s[0] >= 1 && s[0] <= 1.5)
            #expect(s[1] >= 2 && s[1] <= 3)
            #expect(s[2] >= 4 && s[2] <= 6)
        }
    }

    @Test func twoHostsGoInParallelEachKeepingItsDelay() async throws {
        let server = try LoopbackServer { _ in .html("<p>x</p>") }
        defer { server.stop() }
        let other = "http://localhost:\(server.port)"
        let urls = [server.baseURL + "/a", server.baseURL + "/b", other + "/a", other + "/b"]
        let results = await Fetcher(options: testOptions(delay: 0.6)).fetchAll(urls, concurrency: 4)
        #expect(results.allSatisfy { (try? $0.get().status) == 200 })
        let log = server.requests.sorted { $0.receivedAt < $1.receivedAt }
        let hosts = log.map { $0.header("Host")?.hasPrefix("localhost") == true ? "localhost" : "127.0.0.1" }
        #expect(Set(hosts.prefix(2)) == ["localhost", "127.0.0.1"], "each host's first request goes at once: \(hosts)")
        for host in ["localhost", "127.0.0.1"] {
            let times = zip(log, hosts).filter { $0.1 == host }.map(\.0.receivedAt)
            #expect(times.count == 2)
            if times.count == 2 { #expect(times[1].timeIntervalSince(times[0]) >= 0.5) }
        }
    }

    @Test func transfersRunSideBySideOffTheCooperativePool() async throws {
        let gauge = InFlight()
        let server = try LoopbackServer { _ in
            gauge.enter()
            usleep(300_000)
            gauge.leave()
            return .html("<p>x</p>")
        }
        defer { server.stop() }
        let urls = (0..<6).map { server.baseURL + "/p\($0)" }
        let results = await Fetcher(options: testOptions()).fetchAll(urls, concurrency: 6)
        #expect(results.allSatisfy { (try? $0.get().status) == 200 })
        #expect(gauge.peak == 6, "six blocking transfers at once, more than the pool's threads")
    }

    @Test func robotsAreCheckedOnEveryHop() async throws {
        let server = try LoopbackServer { req in
            switch req.path {
            case "/robots.txt": .text("User-agent: *\nDisallow: /private/\n")
            case "/go": .redirect(to: "/private/page")
            default: .html("<p>x</p>")
            }
        }
        defer { server.stop() }
        let f = await fetchError { _ = try await Fetcher(options: testOptions(robots: true)).fetch(server.baseURL + "/go") }
        #expect(f?.reason == .robotsDisallowed)
        #expect(f?.redirects.count == 1)
        #expect(!server.requests.contains { $0.path == "/private/page" })
    }

    @Test func robotsServerErrorKeepsTheSiteOffAndA404AllowsAll() async throws {
        let failing = try LoopbackServer { req in req.path == "/robots.txt" ? LoopbackResponse(status: 503) : .html("<p>x</p>") }
        defer { failing.stop() }
        let fetcher = Fetcher(options: testOptions(robots: true))
        for path in ["/a", "/b"] {
            let f = await fetchError { _ = try await fetcher.fetch(failing.baseURL + path) }
            #expect(f?.reason == .robotsDisallowed)
        }
        #expect(failing.requests.map(\.path) == ["/robots.txt"], "robots.txt asked once; no page fetched")

        let missing = try LoopbackServer { req in req.path == "/robots.txt" ? .text("no", status: 404) : .html("<p>x</p>") }
        defer { missing.stop() }
        #expect(try await fetcher.fetch(missing.baseURL + "/a").status == 200)
    }

    @Test func robotsTokenGroupsAndCrawlDelay() {
        let r = RobotsTxt(parsing: """
            User-agent: PalimpsestBot
            Disallow: /bot/

            User-agent: Palimpsest/1.0
            User-agent: other
            Disallow: /mine/
            Crawl-delay: 5

            User-agent: *
            Disallow: /
            """)
        #expect(!r.allows("/mine/x", for: "palimpsest"))
        #expect(r.allows("/bot/x", for: "palimpsest"), "PalimpsestBot is another crawler")
        #expect(r.allows("/other", for: "palimpsest"))
        #expect(!r.allows("/other", for: "somebot"))
        #expect(r.crawlDelay(for: "palimpsest") == 5)
        #expect(r.allows("/robots.txt", for: "somebot"))
        let crlf = RobotsTxt(parsing: "\u{FEFF}User-agent: *\r\nDisallow: /a # comment\r\nAllow: /a/b\r\n")
        #expect(!crlf.allows("/a/x", for: "palimpsest"))
        #expect(crlf.allows("/a/b", for: "palimpsest"))
    }

    @Test func anUnreachableHostIsANetworkFailure() async throws {
        let closed = try ClosedPort()
        let url = closed.baseURL + "/"
        let f = await fetchError { _ = try await Fetcher(options: testOptions(robots: true)).fetch(url) }
        withExtendedLifetime(closed) {}
        #expect(f?.reason == .network)
        #expect(f?.curlCode == 7)
        #expect(f?.message.contains("robots.txt") == true)
    }
}

/// The most requests a server handler was serving at once.
final class InFlight: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 0
    private var most = 0
    var peak: Int { lock.withLock { most } }
    func enter() { lock.withLock { now += 1; most = max(most, now) } }
    func leave() { lock.withLock { now -= 1 } }
}
