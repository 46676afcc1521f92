import Foundation

/// The adaptive cadence: frequent while the thread is active, backing off as it goes quiet.
///
/// The rule (schedules/README.md):
/// - a capture that changed the thread (a comment appeared, disappeared, reappeared or was edited, or the
///   article changed; the first capture always does) puts the interval back to the floor, `every`;
/// - each capture that changed nothing (304 Not Modified included) doubles it, up to the ceiling, `max_every`;
/// - a failure (no usable response, 5xx, or the store could not record) is retried after `retryDelay`
///   (a quarter of the floor, at least a minute, doubling with each attempt), at most `maxRetries` times;
///   then the regular schedule continues at the current interval.
public enum Cadence {
    /// The interval after a successful capture.
    public static func next(interval: TimeInterval, changed: Bool, bounds: CadenceBounds) -> TimeInterval {
        changed ? bounds.every : min(max(interval, bounds.every) * 2, bounds.maxEvery)
    }

    /// The wait before retry number `attempt` (1, 2, 3...) of a failed capture.
    public static func retryDelay(attempt: Int, bounds: CadenceBounds) -> TimeInterval {
        let base = max(60, bounds.every / 4)
        return base * pow(2, Double(max(0, attempt - 1)))
    }

    /// The interval clamped into the bounds (after a schedule file changed them).
    public static func clamp(_ interval: TimeInterval, _ bounds: CadenceBounds) -> TimeInterval {
        min(max(interval, bounds.every), bounds.maxEvery)
    }
}
