import Foundation
import Testing
@testable import PalimpsestSchedule

@Suite struct DurationTests {
    @Test func readsDurations() {
        #expect(DurationText.parse("30m") == 30 * minute)
        #expect(DurationText.parse("2h") == 2 * hour)
        #expect(DurationText.parse("1d") == day)
        #expect(DurationText.parse("90s") == 90)
        #expect(DurationText.parse("7 days") == 7 * day)
        #expect(DurationText.parse("48 hours") == 48 * hour)
        #expect(DurationText.parse("1h30m") == 90 * minute)
        #expect(DurationText.parse("1 hour 30 minutes") == 90 * minute)
        #expect(DurationText.parse("2 weeks") == 14 * day)
        #expect(DurationText.parse("1.5h") == 90 * minute)
        #expect(DurationText.parse(" 15 min ") == 15 * minute)
    }

    @Test func refusesWhatIsNotADuration() {
        for text in ["", "30", "m", "soon", "30x", "-5m", "0m", "1h and", "h30"] {
            #expect(DurationText.parse(text) == nil, "\(text)")
        }
    }

    @Test func formatsBackToText() {
        #expect(DurationText.format(30 * minute) == "30m")
        #expect(DurationText.format(90 * minute) == "1h30m")
        #expect(DurationText.format(7 * day) == "7d")
        #expect(DurationText.format(90) == "1m30s")
        for s: TimeInterval in [60, 3600, 5400, 259_260] { #expect(DurationText.parse(DurationText.format(s)) == s) }
    }

    @Test func readsStopConditions() {
        #expect(StopCondition.parse("for 7 days") == .after(7 * day))
        #expect(StopCondition.parse("7d") == .after(7 * day))
        #expect(StopCondition.parse("quiet for 48h") == .quiet(48 * hour))
        #expect(StopCondition.parse("until the thread has been quiet for 48 hours") == .quiet(48 * hour))
        #expect(StopCondition.parse("2026-01-17") == .at(t0.addingTimeInterval(16 * day)))
        #expect(StopCondition.parse("until 2026-01-17T08:00:00Z") == .at(t0.addingTimeInterval(16 * day + 8 * hour)))
        #expect(StopCondition.parse("2026-01-17T09:00:00+01:00") == .at(t0.addingTimeInterval(16 * day + 8 * hour)))
        #expect(StopCondition.parse("whenever") == nil)
        #expect(StopCondition.parse("quiet for a while") == nil)
    }

    @Test func stopConditionsEndAWatch() {
        let began = t0
        #expect(StopCondition.after(day).reason(now: t0.addingTimeInterval(day - 1), began: began, lastChange: nil) == nil)
        #expect(StopCondition.after(day).reason(now: t0.addingTimeInterval(day), began: began, lastChange: nil) != nil)
        let quiet = StopCondition.quiet(48 * hour)
        #expect(quiet.reason(now: t0.addingTimeInterval(60 * hour), began: began,
                             lastChange: t0.addingTimeInterval(20 * hour)) == nil)
        #expect(quiet.reason(now: t0.addingTimeInterval(68 * hour), began: began,
                             lastChange: t0.addingTimeInterval(20 * hour)) != nil)
        #expect(StopCondition.at(t0.addingTimeInterval(hour)).reason(now: t0.addingTimeInterval(hour),
                                                                      began: began, lastChange: nil) != nil)
    }

    @Test func cadenceDoublesWhileQuietAndFallsBackOnChange() {
        let bounds = CadenceBounds(every: 30 * minute, maxEvery: 4 * hour)
        var interval = bounds.every
        var seen: [TimeInterval] = []
        for _ in 0..<5 {
            interval = Cadence.next(interval: interval, changed: false, bounds: bounds)
            seen.append(interval)
        }
        #expect(seen == [hour, 2 * hour, 4 * hour, 4 * hour, 4 * hour])
        #expect(Cadence.next(interval: interval, changed: true, bounds: bounds) == 30 * minute)
        #expect(Cadence.retryDelay(attempt: 1, bounds: bounds) == 7.5 * minute)
        #expect(Cadence.retryDelay(attempt: 2, bounds: bounds) == 15 * minute)
        #expect(Cadence.retryDelay(attempt: 1, bounds: CadenceBounds(every: 2 * minute)) == minute)
        #expect(CadenceBounds(every: 30 * minute).maxEvery == 4 * hour)
        #expect(CadenceBounds(every: 6 * hour).maxEvery == day)
    }
}
