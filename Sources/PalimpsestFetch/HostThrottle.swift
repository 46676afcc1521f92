import Foundation
import PalimpsestCore

/// Keeps a minimum delay between two requests to the same host, across concurrent fetches: each request
/// reserves the next free slot of its host, then sleeps until it (on the injected clock).
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
}

/// The origin of a URL, the unit of politeness: "https://example.org:443".
func origin(of url: URL) -> String {
    let scheme = url.scheme?.lowercased() ?? "http"
    let port = url.port ?? (scheme == "https" ? 443 : 80)
    return "\(scheme)://\(url.host?.lowercased() ?? ""):\(port)"
}
