import Foundation
import PalimpsestCore

/// JSON for scripts: stable field names, sorted keys, UTF-8 unescaped, control characters escaped as JSON does.
public enum JSONOutput {
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty
            ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, enc in
            var c = enc.singleValueContainer()
            try c.encode(ISOTime.format(date))
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// ISO 8601 times as the CLI prints and reads them.
public enum ISOTime {
    /// "2025-11-05T11:00:00Z"
    public static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    /// Reads "2025-11-05T12:00:00+01:00", "2025-11-05T12:00:00Z", "2025-11-05T12:00:00.250Z",
    /// "2025-11-05T12:00" (UTC) or "2025-11-05" (midnight UTC).
    public static func parse(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard DateText.isSafeToParse(s) else { return nil }
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
}
