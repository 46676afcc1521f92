import Foundation
import PalimpsestCore

/// How long to wait before retrying a 429 or a 503: the server's Retry-After when it gives one (seconds or
/// an HTTP date), else exponential backoff with jitter: `base * 2^attempt`, plus up to half of it at random.
enum Backoff {
    /// Seconds to wait before retry number `attempt + 1` (attempt counts from 0).
    static func delay(attempt: Int, base: Double, retryAfter: String?, now: Date) -> Double {
        if let retryAfter, let seconds = parseRetryAfter(retryAfter, now: now) {
            return seconds
        }
        let exponential = base * pow(2, Double(min(attempt, 30)))
        return exponential + Double.random(in: 0...(exponential / 2))
    }

    /// Retry-After as seconds from `now` (never negative), or nil when unreadable.
    static func parseRetryAfter(_ value: String, now: Date) -> Double? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(v), seconds.isFinite { return max(0, seconds) }
        guard let date = httpDate(v) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// An HTTP date: IMF-fixdate, or the obsolete RFC 850 and asctime forms (RFC 9110 5.6.7).
    static func httpDate(_ text: String) -> Date? {
        guard DateText.isSafeToParse(text) else { return nil }
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
