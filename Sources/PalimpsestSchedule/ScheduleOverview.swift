import Foundation

/// A watch as `schedule list` shows it: its definition, its state, when it is next due.
public struct WatchOverview: Sendable, Hashable {
    public var watch: Watch
    /// Nil until the runner has seen the watch.
    public var state: WatchState?
    /// When the next capture is due (nil once the watch has ended).
    public var nextDue: Date?
    /// Why the watch has ended, once it has.
    public var finished: String?
}

/// A feed as `schedule list` shows it.
public struct FeedOverview: Sendable, Hashable {
    public var feed: FeedWatch
    public var state: FeedState?
    /// When the feed is next read.
    public var nextCheck: Date
}

/// Every watch and feed of a schedule folder with the runner's state, as of `now`.
public struct ScheduleOverview: Sendable, Hashable {
    /// By next due time (ended watches last), then URL.
    public var watches: [WatchOverview]
    public var feeds: [FeedOverview]
    public var errors: [ScheduleError]

    public init(files: ScheduleSet, state: ScheduleState, now: Date) {
        var watches: [WatchOverview] = []
        for (url, w) in files.allWatches(state: state) {
            let s = state.watches[url]
            let began = s?.began ?? w.start ?? now
            let finished = w.stop.lazy.compactMap { $0.reason(now: now, began: began, lastChange: s?.lastChangeAt) }.first
            let due = s?.nextDue ?? max(w.start ?? now, now)
            watches.append(WatchOverview(watch: w, state: s, nextDue: finished == nil ? due : nil, finished: finished))
        }
        self.watches = watches.sorted {
            ($0.nextDue ?? .distantFuture, $0.watch.url) < ($1.nextDue ?? .distantFuture, $1.watch.url)
        }
        feeds = files.feeds.values.sorted { $0.url < $1.url }.map { f in
            let s = state.feeds[f.url]
            return FeedOverview(feed: f, state: s, nextCheck: s?.nextCheck ?? max(f.start ?? now, now))
        }
        errors = files.allErrors
    }
}
