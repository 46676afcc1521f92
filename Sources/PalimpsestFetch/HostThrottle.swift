import Foundation
import PalimpsestCore

/// Keeps a minimum delay between the starts of two requests to the same host, across concurrent fetches:
/// each request reserves the next free slot of its host, then sleeps until it (on the injected clock).
actor HostThrottle {
    private var nextFree: [String: Date] = [:]
    private let clock: any WallClock

    init(clock: any WallClock) {
        self.clock = clock
    }

    /// Reserves a slot for `host` at least `delay` seconds after the previous one; returns when to start.
    func reserve(host: String, delay: Double) -> Date {
        let now = clock.now()
        let start = max(now, nextFree[host] ?? now)
        nextFree[host] = start.addingTimeInterval(delay)
        return start
    }

    /// No request to `host` starts before `date` (the host asked to be left alone: 429, 503).
    func hold(host: String, until date: Date) {
        nextFree[host] = max(nextFree[host] ?? date, date)
    }
}

/// The host of a URL, the unit of the per-host delay (scheme and port aside: one server, one delay).
func throttleKey(of url: URL) -> String {
    url.host?.lowercased() ?? ""
}

/// The origin of a URL, the unit of robots.txt (RFC 9309): "https://example.org:443".
func origin(of url: URL) -> String {
    let scheme = url.scheme?.lowercased() ?? "http"
    let port = url.port ?? (scheme == "https" ? 443 : 80)
    return "\(scheme)://\(url.host?.lowercased() ?? ""):\(port)"
}
