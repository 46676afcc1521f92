import Foundation
import PalimpsestCore

/// The polite libcurl fetcher: http(s) only, redirects followed and recorded hop by hop, robots.txt obeyed,
/// a minimum delay per host across concurrent fetches, 429/503 retried with backoff, sizes and times capped.
///
/// Each blocking libcurl transfer runs on a thread of its own queue behind a continuation, never on Swift's
/// cooperative pool. All waiting goes through the injected clock.
public final class Fetcher: Sendable {
    public let options: FetchOptions
    let clock: any WallClock
    let throttle: HostThrottle
    let robots = RobotsCache()
    private static let queue = DispatchQueue(label: "palimpsest.fetch", attributes: .concurrent)

    public init(options: FetchOptions = FetchOptions(), clock: any WallClock = SystemClock()) {
        self.options = options
        self.clock = clock
        throttle = HostThrottle(clock: clock)
    }

    /// Fetches a page, following redirects. A 304 (given validators), a 404 or a 5xx is a response, not an
    /// error; an error is thrown only when there is no usable response.
    public func fetch(_ url: String, validators: Validators? = nil) async throws(FetchFailure) -> HTTPResponse {
        var current = try checked(url, redirects: [])
        var redirects: [Redirect] = []
        var visited: Set<String> = [current.absoluteString]
        while true {
            if options.respectRobots {
                let rules = await robotsTxt(for: current)
                var target = current.path.isEmpty ? "/" : current.path
                if let q = current.query { target += "?" + q }
                if !rules.allows(target, for: options.robotsToken) {
                    throw FetchFailure(.robotsDisallowed, url: current.absoluteString,
                                       message: "robots.txt of \(current.host ?? "") disallows \(target) for \(options.robotsToken)",
                                       redirects: redirects)
                }
            }
            let exchange = try await exchangeWithRetries(current, validators: redirects.isEmpty ? validators : nil,
                                                         redirects: redirects)
            if (300..<400).contains(exchange.status) && exchange.status != 304,
               let location = exchange.headers.value(of: "Location")
            {
                redirects.append(Redirect(url: current.absoluteString, status: exchange.status, location: location))
                guard let next = URL(string: location, relativeTo: current)?.absoluteURL else {
                    throw FetchFailure(.invalidURL, url: current.absoluteString,
                                       message: "redirect to an unreadable location '\(location)'", redirects: redirects)
                }
                current = try checked(next.absoluteString, redirects: redirects)
                if visited.contains(current.absoluteString) {
                    throw FetchFailure(.redirectLoop, url: url,
                                       message: "redirect loop: \(current.absoluteString) was already visited", redirects: redirects)
                }
                if redirects.count > options.maxRedirects {
                    throw FetchFailure(.tooManyRedirects, url: url,
                                       message: "more than \(options.maxRedirects) redirects", redirects: redirects)
                }
                visited.insert(current.absoluteString)
                continue
            }
            let decoded = exchange.status == 304
                ? Charset.Decoded(text: "", charset: "utf-8", source: "default")
                : Charset.decode(exchange.body, contentType: exchange.headers.value(of: "Content-Type"))
            return HTTPResponse(requestedURL: url, finalURL: current.absoluteString, redirects: redirects,
                                status: exchange.status, statusLine: exchange.statusLine, headers: exchange.headers,
                                body: exchange.body, text: decoded.text, charset: decoded.charset,
                                charsetSource: decoded.source, timings: exchange.timings,
                                requestHeaders: exchange.requestHeaders)
        }
    }

    /// Fetches many pages, `concurrency` at a time, keeping the per-host delay. Results in input order.
    public func fetchAll(_ urls: [String], concurrency: Int = 4) async -> [Result<HTTPResponse, FetchFailure>] {
        var results = [Result<HTTPResponse, FetchFailure>?](repeating: nil, count: urls.count)
        await withTaskGroup(of: (Int, Result<HTTPResponse, FetchFailure>).self) { group in
            var next = 0
            func start() {
                let i = next
                next += 1
                group.addTask {
                    do throws(FetchFailure) { return (i, .success(try await self.fetch(urls[i]))) } catch { return (i, .failure(error)) }
                }
            }
            while next < min(max(concurrency, 1), urls.count) { start() }
            for await (i, r) in group {
                results[i] = r
                if next < urls.count { start() }
            }
        }
        return results.map { $0! }
    }

    /// Accepts http and https URLs with a host; refuses everything else.
    func checked(_ text: String, redirects: [Redirect]) throws(FetchFailure) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
            throw FetchFailure(.invalidURL, url: text, message: "not a URL", redirects: redirects)
        }
        guard scheme == "http" || scheme == "https" else {
            throw FetchFailure(.refusedScheme, url: text,
                               message: "the \(scheme): scheme is refused; only http and https are fetched", redirects: redirects)
        }
        guard let host = url.host, !host.isEmpty else {
            throw FetchFailure(.invalidURL, url: text, message: "the URL has no host", redirects: redirects)
        }
        return url
    }

    /// One hop, retried on 429 and 503 with exponential backoff and jitter, honouring Retry-After.
    func exchangeWithRetries(_ url: URL, validators: Validators?, redirects: [Redirect]) async throws(FetchFailure)
        -> CurlExchange
    {
        var headers = [HTTPHeader("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")]
        if let etag = validators?.etag { headers.append(HTTPHeader("If-None-Match", etag)) }
        if let lm = validators?.lastModified { headers.append(HTTPHeader("If-Modified-Since", lm)) }
        var attempt = 0
        while true {
            var exchange: CurlExchange
            do {
                exchange = try await perform(url, headers: headers)
            } catch {
                var e = error
                e.redirects = redirects
                throw e
            }
            guard exchange.status == 429 || exchange.status == 503, attempt < options.maxRetries else { return exchange }
            let wait = Backoff.delay(attempt: attempt, base: options.backoffBase,
                                     retryAfter: exchange.headers.value(of: "Retry-After"), now: clock.now())
            if wait > options.maxRetryWait { return exchange }
            attempt += 1
            do { try await clock.sleep(seconds: wait) } catch {
                throw FetchFailure(.other, url: url.absoluteString, message: "cancelled while backing off", redirects: redirects)
            }
        }
    }

    /// One exchange after the host's delay, on the fetch queue.
    func perform(_ url: URL, headers: [HTTPHeader]) async throws(FetchFailure) -> CurlExchange {
        let start = await throttle.reserve(host: origin(of: url), delay: options.perHostDelay)
        do { try await clock.sleep(until: start) } catch {
            throw FetchFailure(.other, url: url.absoluteString, message: "cancelled while waiting for the host's turn")
        }
        let request = CurlRequest(url: url.absoluteString, headers: headers, userAgent: options.userAgent,
                                  connectTimeout: options.connectTimeout, totalTimeout: options.totalTimeout,
                                  stallTimeout: options.stallTimeout, maxBodyBytes: options.maxBodyBytes,
                                  maxHeaderBytes: options.maxHeaderBytes, maxHeaderCount: options.maxHeaderCount,
                                  cookieFile: options.cookieFile,
                                  cookieJar: options.writeCookies ? options.cookieFile : nil)
        let result: Result<CurlExchange, FetchFailure> = await withCheckedContinuation { continuation in
            Fetcher.queue.async {
                do {
                    let easy = try CurlEasy()
                    continuation.resume(returning: .success(try easy.perform(request)))
                } catch let f as FetchFailure {
                    continuation.resume(returning: .failure(f))
                } catch {
                    continuation.resume(returning: .failure(FetchFailure(.other, url: request.url, message: "\(error)")))
                }
            }
        }
        return try result.get()
    }

    /// The robots.txt of a URL's origin: 2xx parsed, 4xx allow all, 5xx or unreachable disallow all.
    func robotsTxt(for url: URL) async -> RobotsTxt {
        let key = origin(of: url)
        return await robots.robots(for: key) { [self] in
            guard let robotsURL = URL(string: "/robots.txt", relativeTo: url)?.absoluteURL else { return .allowAll }
            var target = robotsURL
            for _ in 0..<5 {
                guard let exchange = try? await perform(target, headers: []) else { return .disallowAll }
                switch exchange.status {
                case 200..<300:
                    return RobotsTxt(parsing: String(decoding: exchange.body.prefix(500 * 1024), as: UTF8.self))
                case 300..<400:
                    guard let loc = exchange.headers.value(of: "Location"),
                          let next = URL(string: loc, relativeTo: target)?.absoluteURL,
                          ["http", "https"].contains(next.scheme?.lowercased() ?? "")
                    else { return .allowAll }
                    target = next
                case 400..<500:
                    return .allowAll
                default:
                    return .disallowAll
                }
            }
            return .allowAll
        }
    }
}

/// Backoff for 429 and 503: Retry-After (seconds or an HTTP date) when given, else base·2^attempt plus up to
/// 50% jitter.
enum Backoff {
    static func delay(attempt: Int, base: Double, retryAfter: String?, now: Date) -> Double {
        if let retryAfter {
            let t = retryAfter.trimmingCharacters(in: .whitespaces)
            if let seconds = Double(t) { return max(0, seconds) }
            if let date = httpDate(t) { return max(0, date.timeIntervalSince(now)) }
        }
        let exp = base * pow(2, Double(attempt))
        return exp + Double.random(in: 0...(exp / 2))
    }

    static func httpDate(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            f.dateFormat = format
            if let d = f.date(from: text) { return d }
        }
        return nil
    }
}
