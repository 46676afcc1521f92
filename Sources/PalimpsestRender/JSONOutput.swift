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

/// ISO 8601 times as the CLI prints and reads them (see `DateText`).
public enum ISOTime {
    /// "2025-11-05T11:00:00Z"
    public static func format(_ date: Date) -> String { DateText.formatISO(date) }

    /// Reads "2025-11-05T12:00:00+01:00", "2025-11-05T12:00:00Z", "2025-11-05T12:00:00.250Z",
    /// "2025-11-05T12:00" (UTC) or "2025-11-05" (midnight UTC).
    public static func parse(_ text: String) -> Date? { DateText.parseISO(text) }
}
