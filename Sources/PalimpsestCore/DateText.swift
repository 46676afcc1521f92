/// Text about to be read by Foundation's date formatters. On Linux (swift-corelibs-foundation),
/// `DateFormatter.date(from:)` and `ISO8601DateFormatter.date(from:)` crash ("Incorrect range") on some text
/// where characters and UTF-16 units do not line up, such as a digit followed by a combining mark
/// ("2026-01-2\u{5AB}"), found by fuzzing the schedule parser. Dates come from strangers (Retry-After
/// headers, feeds, schedule files, the command line), and every date format is printable ASCII: anything
/// else is not a date and never reaches a formatter.
public enum DateText {
    /// True when `text` may go to a date formatter: printable ASCII only.
    public static func isSafeToParse(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }
}
