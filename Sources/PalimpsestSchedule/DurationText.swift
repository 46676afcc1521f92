import Foundation

/// Durations as people write them in schedule files and on the command line.
///
/// A duration is one or more parts, each a number and a unit: "30m", "2h", "1d", "90s", "1h30m",
/// "7 days", "48 hours", "2 weeks", "1.5h". Units: s, sec, second(s); m, min, minute(s); h, hr, hour(s);
/// d, day(s); w, week(s). A bare number has no unit and is refused (is "30" seconds or minutes?).
public enum DurationText {
    static let units: [String: TimeInterval] = [
        "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
        "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
        "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
        "d": 86_400, "day": 86_400, "days": 86_400,
        "w": 604_800, "week": 604_800, "weeks": 604_800,
    ]

    /// The duration in seconds, or nil when the text is not a duration (or is zero or negative).
    public static func parse(_ text: String) -> TimeInterval? {
        let chars = Array(text.lowercased())
        var i = 0
        var total: TimeInterval = 0
        var parts = 0
        func skipSpaces() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }
        skipSpaces()
        while i < chars.count {
            var number = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber || chars[i] == "." {
                number.append(chars[i])
                i += 1
            }
            guard let value = Double(number), value.isFinite else { return nil }
            skipSpaces()
            var unit = ""
            while i < chars.count, chars[i].isASCII, chars[i].isLetter {
                unit.append(chars[i])
                i += 1
            }
            guard let scale = units[unit] else { return nil }
            total += value * scale
            parts += 1
            skipSpaces()
            if i < chars.count, chars[i] == "," { i += 1 }
            skipSpaces()
            if i < chars.count, chars[i...].starts(with: "and ") { i += 4 }
            skipSpaces()
        }
        guard parts > 0, total > 0 else { return nil }
        return total
    }

    /// The shortest text that reads back as `seconds`: "30m", "2h", "1d", "1h30m", "90s" stays "1m30s".
    public static func format(_ seconds: TimeInterval) -> String {
        var rest = Int(seconds.rounded())
        guard rest > 0 else { return "0s" }
        var out = ""
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }
}
