import Foundation

/// When a watch ends. A watch may have several; the first one met ends it.
public enum StopCondition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// At this date.
    case at(Date)
    /// This long after the watch began (its `start`, else when the runner first knew it; for a feed's
    /// item, when the item was first seen).
    case after(TimeInterval)
    /// When no capture has changed the thread for this long.
    case quiet(TimeInterval)

    /// Reads "for 7 days", "7d", "quiet for 48h", "until the thread has been quiet for 48 hours",
    /// "until 2026-01-17", "2026-01-17T08:00:00Z".
    public static func parse(_ text: String) -> StopCondition? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        if let range = lower.range(of: "quiet for ") {
            return DurationText.parse(String(lower[range.upperBound...])).map(StopCondition.quiet)
        }
        if lower.hasPrefix("quiet ") {
            return DurationText.parse(String(lower.dropFirst(6))).map(StopCondition.quiet)
        }
        let rest = lower.hasPrefix("until ") ? String(trimmed.dropFirst(6)) : trimmed
        if let date = ScheduleDate.parse(rest) { return .at(date) }
        let duration = lower.hasPrefix("for ") ? String(lower.dropFirst(4)) : lower
        return DurationText.parse(duration).map(StopCondition.after)
    }

    /// The text that reads back as this condition ("for 7d", "quiet for 48h", "until 2026-01-17T00:00:00Z").
    public var description: String {
        switch self {
        case .at(let date): "until \(ScheduleDate.format(date))"
        case .after(let d): "for \(DurationText.format(d))"
        case .quiet(let d): "quiet for \(DurationText.format(d))"
        }
    }

    /// Why the watch has ended at `now`, or nil while it runs. `began` is when the watch began; `lastChange`
    /// when a capture last changed the thread (nil: never captured, the quiet time counts from `began`).
    public func reason(now: Date, began: Date, lastChange: Date?) -> String? {
        switch self {
        case .at(let date):
            return now >= date ? "stop date \(ScheduleDate.format(date)) reached" : nil
        case .after(let d):
            return now >= began.addingTimeInterval(d) ? "\(DurationText.format(d)) elapsed since it began" : nil
        case .quiet(let d):
            let since = lastChange ?? began
            return now >= since.addingTimeInterval(d) ? "thread quiet for \(DurationText.format(d))" : nil
        }
    }
}
