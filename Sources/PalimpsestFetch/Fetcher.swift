import Foundation
import PalimpsestCore

/// The polite libcurl fetcher.
///
/// Only http and https, on redirects too. Redirects are followed here, one request per hop (at most
/// `maxRedirects`), so every hop is checked against robots.txt, recorded and rate-limited; a hop that
/// repeats is a loop. 429 and 503 are retried with backoff (Retry-After honoured); a response that is still
/// 429/503 after the retries, a 304 and every other status are returned as responses. Only a fetch with no
/// usable response throws (`FetchFailure`: network, refused scheme, robots, too large, truncated, timeout,
/// redirect loop). Each blocking libcurl transfer runs on a thread of its own, never on Swift's
/// cooperative pool.
public final class Fetcher: Sendable {
    public let options: FetchOptions
    private let clock: any WallClock
    private let throttle: HostThrottle
    private let robotsCache = RobotsCache()

    /// The statuses followed as redirects (when they carry a Location).
    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    public init(options: FetchOptions = FetchOptions(), clock: any WallClock = SystemClock()) {
        self.options = options
        self.clock = clock
        throttle = HostThrottle(clock: clock)
    }

    /// Fetches one URL (GET), following redirects. With `validators`, the request is conditional
    /// (If-None-Match, If-Modified-Since) and a 304 comes back as a response.
    public func fetch(_ url: String, validators: Validators? = nil) async throws(FetchFailure) -> HTTPResponse {
        var current = try Fetcher.checkedURL(url, redirects: [])
        let easy = try CurlEasy(settings: options.curlSettings, url: url)
        let headers = [HTTPHeader("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")]
            + (validators?.requestHeaders ?? [])
        var redirects: [Redirect] = []
        while true {
            let delay = try await hostDelay(checkingRobotsFor: current, redirects: redirects)
            let exchange = try await exchange(easy, current, headers: headers, delay: delay, redirects: redirects)
            guard Fetcher.redirectStatuses.contains(exchange.status),
                  let location = exchange.headers.value(of: "Location"), !location.isEmpty else {
                return response(exchange, requested: url, final: current, redirects: redirects)
            }
            guard let next = URL(string: location, relativeTo: current)?.absoluteURL else {
                throw FetchFailure(.invalidURL, url: current.absoluteString,
                                   message: "unreadable redirect Location '\(location)'", status: exchange.status,
                                   redirects: redirects)
            }
            // A hop that repeats is a loop. (A URL seen twice is not enough: a site may set a cookie and send
            // the client back to where it came from.)
            let hop = Redirect(url: current.absoluteString, status: exchange.status, location: location)
            if redirects.contains(hop) {
                throw FetchFailure(.redirectLoop, url: current.absoluteString,
                                   message: "redirect loop: \(hop.url) redirects to \(next.absoluteString) again "
                                       + "after \(redirects.count) redirects",
                                   status: exchange.status, redirects: redirects)
            }
            redirects.append(hop)
            if redirects.count > options.maxRedirects {
                throw FetchFailure(.tooManyRedirects, url: current.absoluteString,
                                   message: "more than \(options.maxRedirects) redirects", status: exchange.status,
                                   redirects: redirects)
            }
            current = try Fetcher.checkedURL(next.absoluteString, redirects: redirects)
        }
    }

    /// Fetches many URLs, `concurrency` transfers at a time, the per-host delay still kept. The results are
    /// in the order of `urls`.
    public func fetchAll(_ urls: [String], concurrency: Int = 4) async -> [Result<HTTPResponse, FetchFailure>] {
        var results = [Result<HTTPResponse, FetchFailure>?](repeating: nil, count: urls.count)
        await withTaskGroup(of: (Int, Result<HTTPResponse, FetchFailure>).self) { group in
            var next = 0
            while next < min(max(1, concurrency), urls.count) {
                let i = next
                group.addTask { (i, await self.result(urls[i])) }
                next += 1
            }
            while let (i, result) = await group.next() {
                results[i] = result
                if next < urls.count {
                    let j = next
                    group.addTask { (j, await self.result(urls[j])) }
                    next += 1
                }
            }
        }
        return results.map { $0! }
    }

    private func result(_ url: String) async -> Result<HTTPResponse, FetchFailure> {
        do {
            return .success(try await fetch(url))
        } catch {
            return .failure(error)
        }
    }

    // MARK: - One hop

    /// One hop: waits its turn at the host, exchanges, and retries a 429 or 503 after a backoff.
    private func exchange(_ easy: CurlEasy, _ url: URL, headers: [HTTPHeader], delay: Double,
                          redirects: [Redirect]) async throws(FetchFailure) -> CurlExchange {
        var attempt = 0
        while true {
            try await waitTurn(url, delay: delay, redirects: redirects)
            var exchange: CurlExchange
            do {
                exchange = try await Fetcher.run(easy, url, headers: headers).get()
            } catch {
                var failure = error
                failure.redirects = redirects
                throw failure
            }
            guard exchange.status == 429 || exchange.status == 503, attempt < options.maxRetries else {
                return exchange
            }
            let wait = Backoff.delay(attempt: attempt, base: options.backoffBase,
                                     retryAfter: exchange.headers.value(of: "Retry-After"), now: clock.now())
            guard wait <= options.maxRetryWait else { return exchange }
            // The whole host waits, not only this fetch: it asked to be left alone.
            await throttle.hold(host: throttleKey(of: url), until: clock.now().addingTimeInterval(wait))
            attempt += 1
        }
    }

    /// Sleeps (on the clock) until this host's next free slot.
    private func waitTurn(_ url: URL, delay: Double, redirects: [Redirect]) async throws(FetchFailure) {
        let start = await throttle.reserve(host: throttleKey(of: url), delay: delay)
        do {
            try await clock.sleep(until: start)
        } catch {
            throw FetchFailure(.other, url: url.absoluteString, message: "cancelled", redirects: redirects)
        }
    }

    /// Runs one blocking libcurl exchange on a thread of its own; a cancelled task stops the transfer.
    private static func run(_ easy: CurlEasy, _ url: URL, headers: [HTTPHeader]) async
        -> Result<CurlExchange, FetchFailure> {
        let cancel = CancelFlag()
        let address = url.absoluteString
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    continuation.resume(returning: easy.perform(url: address, headers: headers, cancel: cancel))
                }
                thread.name = "palimpsest-fetch"
                thread.start()
            }
        } onCancel: {
            cancel.raise()
        }
    }

    private func response(_ exchange: CurlExchange, requested: String, final: URL,
                          redirects: [Redirect]) -> HTTPResponse {
        let decoded = Charset.decode(exchange.body, contentType: exchange.headers.value(of: "Content-Type"))
        return HTTPResponse(requestedURL: requested, finalURL: final.absoluteString, redirects: redirects,
                            status: exchange.status, statusLine: exchange.statusLine, headers: exchange.headers,
                            body: exchange.body, text: decoded.text, charset: decoded.charset,
                            charsetSource: decoded.source, timings: exchange.timings,
                            requestHeaders: exchange.requestHeaders)
    }

    /// A URL the fetcher may request: parseable, http or https, with a host.
    static func checkedURL(_ text: String, redirects: [Redirect]) throws(FetchFailure) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
            throw FetchFailure(.invalidURL, url: text, message: "not a URL", redirects: redirects)
        }
        guard scheme == "http" || scheme == "https" else {
            let via = redirects.isEmpty ? "" : " (reached by a redirect)"
            throw FetchFailure(.refusedScheme, url: text,
                               message: "only http and https are fetched, not \(scheme)\(via)", redirects: redirects)
        }
        guard let host = url.host, !host.isEmpty else {
            throw FetchFailure(.invalidURL, url: text, message: "the URL has no host", redirects: redirects)
        }
        return url
    }

    // MARK: - robots.txt

    /// Checks the URL against its origin's robots.txt (unless told not to) and gives the delay to keep at
    /// its host: the per-host delay, or a larger Crawl-delay (a minute at most).
    private func hostDelay(checkingRobotsFor url: URL, redirects: [Redirect]) async throws(FetchFailure) -> Double {
        guard options.respectRobots else { return options.perHostDelay }
        let site = origin(of: url)
        let robots: RobotsTxt
        switch await robotsCache.robots(for: site, load: { [self] in await loadRobots(for: url) }) {
        case .success(let r):
            robots = r
        case .failure(var failure):
            failure.url = url.absoluteString
            failure.redirects = redirects
            throw failure
        }
        let path = Fetcher.pathAndQuery(url)
        guard robots.allows(path, for: options.robotsToken) else {
            throw FetchFailure(.robotsDisallowed, url: url.absoluteString,
                               message: "robots.txt of \(site) disallows \(path) for \(options.robotsToken)",
                               redirects: redirects)
        }
        return max(options.perHostDelay, min(robots.crawlDelay(for: options.robotsToken) ?? 0, 60))
    }

    /// Fetches an origin's robots.txt (RFC 9309): 2xx is parsed; 4xx (and more than 5 redirects) means no
    /// rules; 5xx or 429 means keep off the whole site for this run (`robotsDisallowed`), and so does no
    /// answer at all (the failure, `network`, `timeout`..., is kept and given for every page of the site).
    private func loadRobots(for url: URL) async -> Result<RobotsTxt, FetchFailure> {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: true)
        components?.path = "/robots.txt"
        components?.query = nil
        components?.fragment = nil
        components?.user = nil
        components?.password = nil
        guard var current = components?.url else {
            return .failure(FetchFailure(.invalidURL, url: url.absoluteString, message: "no robots.txt URL"))
        }
        let easy: CurlEasy
        do {
            easy = try CurlEasy(settings: options.robotsCurlSettings, url: current.absoluteString)
        } catch {
            return .failure(error)
        }
        var hops = 0
        while true {
            do {
                try await waitTurn(current, delay: options.perHostDelay, redirects: [])
            } catch {
                return .failure(error)
            }
            let exchange: CurlExchange
            switch await Fetcher.run(easy, current, headers: []) {
            case .success(let e):
                exchange = e
            case .failure(var failure):
                failure.message = "robots.txt unreachable, the site is kept off for this run: \(failure.message)"
                return .failure(failure)
            }
            switch exchange.status {
            case 200..<300:
                return .success(RobotsTxt(parsing: String(decoding: exchange.body, as: UTF8.self)))
            case 300..<400:
                guard hops < 5, let location = exchange.headers.value(of: "Location"),
                      let next = URL(string: location, relativeTo: current)?.absoluteURL,
                      ["http", "https"].contains(next.scheme?.lowercased() ?? "") else {
                    return .success(.allowAll)
                }
                hops += 1
                current = next
            case 400..<500 where exchange.status != 429:
                return .success(.allowAll)
            default:
                return .failure(FetchFailure(.robotsDisallowed, url: current.absoluteString,
                                             message: "robots.txt of \(origin(of: url)) answered \(exchange.status): "
                                                 + "the site is kept off for this run",
                                             status: exchange.status))
            }
        }
    }

    /// The path and query robots.txt rules are matched against ("/" at least).
    static func pathAndQuery(_ url: URL) -> String {
        guard let c = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return "/" }
        var s = c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath
        if let q = c.percentEncodedQuery { s += "?" + q }
        return s
    }
}
