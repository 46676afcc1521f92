import Foundation

/// Where a watch or a feed is defined.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// The cadence of a watch: captured every `every` while the thread is active, backing off to `maxEvery` as it
/// goes quiet (see `Cadence`).
public struct CadenceBounds: Sendable, Hashable, Codable {
    /// The floor: the interval while the thread changes.
    public var every: TimeInterval
    /// The ceiling: the longest interval once the thread is quiet.
    public var maxEvery: TimeInterval

    /// `maxEvery` defaults to 8 × `every`, capped at 24 hours (and never below `every`).
    public init(every: TimeInterval, maxEvery: TimeInterval? = nil) {
        self.every = every
        self.maxEvery = max(every, maxEvery ?? min(every * 8, 86_400))
    }
}

/// One page watched: captured on an adaptive cadence between `start` and its stop conditions.
public struct Watch: Sendable, Hashable {
    /// The page's URL: the watch's identity (a URL is watched once across all schedule files).
    public var url: String
    /// A name for people; the URL when none is given.
    public var name: String
    public var cadence: CadenceBounds
    /// Not captured before this date.
    public var start: Date?
    /// The first condition met ends the watch.
    public var stop: [StopCondition]
    /// A site rules file (JSON), resolved against the schedule file's folder.
    public var rules: String?
    /// A Netscape-format cookie file, resolved against the schedule file's folder.
    public var cookies: String?
    /// Where it is defined (for a feed's item: where the feed is).
    public var source: SourceLocation
    /// For a feed's item: the feed's URL.
    public var feed: String?

    public init(url: String, name: String? = nil, cadence: CadenceBounds, start: Date? = nil,
                stop: [StopCondition] = [], rules: String? = nil, cookies: String? = nil,
                source: SourceLocation, feed: String? = nil) {
        self.url = url
        self.name = name ?? url
        self.cadence = cadence
        self.start = start
        self.stop = stop
        self.rules = rules
        self.cookies = cookies
        self.source = source
        self.feed = feed
    }

    /// The URL's host, lowercased ("" when it has none): watches of one host are spread and never captured
    /// at the same time.
    public var host: String { URL(string: url)?.host?.lowercased() ?? "" }
}

/// A feed (RSS or Atom) read every `checkEvery`: each new item becomes a watch with the feed's cadence,
/// stop conditions, rules and cookies.
public struct FeedWatch: Sendable, Hashable {
    public var url: String
    public var name: String
    /// The cadence of each item's watch.
    public var cadence: CadenceBounds
    /// How often the feed itself is read.
    public var checkEvery: TimeInterval
    /// The feed is not read before this date.
    public var start: Date?
    /// Per item: "for 3 days" counts from when the item was first seen.
    public var stop: [StopCondition]
    public var rules: String?
    public var cookies: String?
    public var source: SourceLocation

    public init(url: String, name: String? = nil, cadence: CadenceBounds, checkEvery: TimeInterval,
                start: Date? = nil, stop: [StopCondition] = [], rules: String? = nil, cookies: String? = nil,
                source: SourceLocation) {
        self.url = url
        self.name = name ?? url
        self.cadence = cadence
        self.checkEvery = checkEvery
        self.start = start
        self.stop = stop
        self.rules = rules
        self.cookies = cookies
        self.source = source
    }

    /// The watch of one of the feed's items.
    public func itemWatch(url: String, title: String?) -> Watch {
        Watch(url: url, name: title.map { "\(name): \($0)" }, cadence: cadence, stop: stop, rules: rules,
              cookies: cookies, source: source, feed: self.url)
    }
}
