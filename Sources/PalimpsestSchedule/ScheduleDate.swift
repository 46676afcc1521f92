import Foundation
import PalimpsestCore

/// Dates in schedule files: the forms `DateText` reads ("2026-01-10T08:00:00Z", "2026-01-10T09:00:00+01:00",
/// "2026-01-10T08:00" and "2026-01-10" in UTC).
public enum ScheduleDate {
    /// The date, or nil when the text is not one of the accepted forms.
    public static func parse(_ text: String) -> Date? { DateText.parseISO(text) }

    /// "2026-01-10T08:00:00Z".
    public static func format(_ date: Date) -> String { DateText.formatISO(date) }
}
