import Foundation

/// Dates as people type them and as Palimpsest prints them: ISO 8601 with an offset ("2026-01-10T08:00:00Z",
/// "2026-01-10T09:00:00+01:00", fractional seconds allowed), or without one ("2026-01-10T08:00", "2026-01-10":
/// UTC). One reader for schedule files and the command line.
///
/// On Linux (swift-corelibs-foundation), `DateFormatter.date(from:)` and `ISO8601DateFormatter.date(from:)`
/// crash ("Incorrect range") on some text where characters and UTF-16 units do not line up, such as a digit
/// followed by a combining mark ("2026-01-2\u{5AB}"), found by fuzzing the schedule parser. Dates come from
/// strangers (Retry-After headers, feeds, schedule files, the command line), and every date format is
/// printable ASCII: anything else is not a date and never reaches a formatter.
public enum DateText {
    /// True when `text` may go to a date formatter: printable ASCII only.
    public static func isSafeToParse(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// The date, or nil when the text is not one of the accepted forms.
    public static func parseISO(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard isSafeToParse(s) else { return nil }
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime]
        if let d = full.date(from: s) { return d }
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = full.date(from: s) { return d }
        let utc = TimeZone(identifier: "UTC")!
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm",
                       "yyyy-MM-dd"] {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = utc
            f.dateFormat = format
            if let d = f.date(from: s) { return d }
        }
        return nil
    }

    /// "2026-01-10T08:00:00Z".
    public static func formatISO(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
