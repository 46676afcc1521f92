import Foundation
import PalimpsestExtract
import TOMLKit

/// A schedule file (TOML): `[[watch]]` tables, each a page, and `[[feed]]` tables, each a feed whose new
/// items become watches. See schedules/README.md for every key.
public struct ScheduleFile: Sendable, Hashable {
    public var path: String
    public var watches: [Watch]
    public var feeds: [FeedWatch]

    public init(path: String, watches: [Watch] = [], feeds: [FeedWatch] = []) {
        self.path = path
        self.watches = watches
        self.feeds = feeds
    }

    /// The keys a `[[watch]]` table may hold. Any other key is an error: a typo must not silently change a watch.
    public static let watchKeys: Set<String> = ["name", "url", "every", "max_every", "start", "stop", "rules", "cookies"]
    /// The keys a `[[feed]]` table may hold.
    public static let feedKeys: Set<String> = watchKeys.union(["check_every"])
    /// The shortest interval allowed: politeness first.
    public static let minimumInterval: TimeInterval = 60

    /// Reads and checks the file at `path`.
    public static func load(path: String) throws(ScheduleFileErrors) -> ScheduleFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScheduleFileErrors([ScheduleError(file: path, line: 1, message: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScheduleFileErrors([ScheduleError(file: path, line: 1, message: "not UTF-8 text")])
        }
        return try parse(text, path: path)
    }

    /// Parses and checks a schedule file's text. Relative `rules` and `cookies` paths are resolved against
    /// the folder of `path`, and must name readable files. Every error is reported, each with its line.
    public static func parse(_ text: String, path: String) throws(ScheduleFileErrors) -> ScheduleFile {
        if let problem = TOMLPrecheck.problem(in: text) {
            throw ScheduleFileErrors([ScheduleError(file: path, line: problem.line, message: "TOML syntax: \(problem.message)")])
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ScheduleFileErrors([ScheduleError(file: path, line: max(1, error.source.begin.line),
                                                    message: "TOML syntax: \(error.description)")])
        } catch {
            throw ScheduleFileErrors([ScheduleError(file: path, line: 1, message: "TOML syntax: \(error)")])
        }
        var reader = TableReader(path: path, lines: LineIndex(text))
        var file = ScheduleFile(path: path)
        for key in table.keys.sorted(by: { reader.topLine($0) < reader.topLine($1) }) {
            let value = table[key]!
            guard key == "watch" || key == "feed" else {
                reader.error(.init(name: "", index: nil), key: nil, line: reader.topLine(key),
                             "unknown key '\(key)' (a schedule file holds [[watch]] and [[feed]] tables)")
                continue
            }
            guard let array = value.array, array.allSatisfy({ $0.table != nil }) else {
                reader.error(.init(name: key, index: nil), key: nil, line: reader.topLine(key),
                             "'\(key)' must be an array of tables: write [[\(key)]]")
                continue
            }
            for (i, element) in array.enumerated() {
                let t = element.table!
                if key == "watch" {
                    if let w = reader.watch(t, index: i) { file.watches.append(w) }
                } else if let f = reader.feed(t, index: i) {
                    file.feeds.append(f)
                }
            }
        }
        var seen: [String: Int] = [:]
        for (url, line) in reader.urls {
            if let first = seen[url] {
                reader.errors.append(ScheduleError(file: path, line: line,
                                                   message: "\(url) is already watched at line \(first)"))
            } else {
                seen[url] = line
            }
        }
        guard reader.errors.isEmpty else {
            throw ScheduleFileErrors(reader.errors.sorted { $0.line < $1.line })
        }
        return file
    }
}

/// Every error of one schedule file.
public struct ScheduleFileErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [ScheduleError]

    public init(_ errors: [ScheduleError]) {
        self.errors = errors
    }

    /// One "FILE:LINE: message" line per error.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Reads the tables of one file, collecting errors with their lines.
private struct TableReader {
    typealias Table = ScheduleFile.LineIndex.Table

    let path: String
    let lines: ScheduleFile.LineIndex
    var errors: [ScheduleError] = []
    /// Every table's url and the line of the table, in order (for duplicates, even in tables with errors).
    var urls: [(String, Int)] = []

    init(path: String, lines: ScheduleFile.LineIndex) {
        self.path = path
        self.lines = lines
    }

    /// The line of a top-level key or table.
    func topLine(_ key: String) -> Int {
        let top = Table(name: "", index: nil)
        if let n = lines.keys[top]?[key] { return n }
        return lines.headers[Table(name: key, index: nil)] ?? lines.headers[Table(name: key, index: 0)] ?? 1
    }

    mutating func error(_ table: Table, key: String?, line: Int?, _ message: String) {
        errors.append(ScheduleError(file: path, line: line ?? lines.line(table, key: key), message: message))
    }

    /// The common keys of a watch or a feed; nil after an error.
    mutating func common(_ t: TOMLTable, _ table: Table, kind: String, allowed: Set<String>)
        -> (url: String, name: String?, cadence: CadenceBounds, start: Date?, stop: [StopCondition],
            rules: String?, cookies: String?)?
    {
        let before = errors.count
        for key in t.keys.sorted() where !allowed.contains(key) {
            let near = allowed.sorted().first { Self.close(key, $0) }
            error(table, key: key, line: nil,
                  "unknown key '\(key)' in [[\(kind)]]" + (near.map { " (did you mean '\($0)'?)" } ?? "")
                      + "; allowed: " + allowed.sorted().joined(separator: ", "))
        }
        let url = string(t, table, "url")
        if let url { urls.append((url, lines.line(table))) }
        if t["url"] == nil {
            error(table, key: nil, line: nil, "[[\(kind)]] needs a url")
        } else if let url, !Self.isWebURL(url) {
            error(table, key: "url", line: nil, "'\(url)' is not an http or https URL with a host")
        }
        let name = string(t, table, "name")
        var every: TimeInterval?
        if t["every"] == nil {
            error(table, key: nil, line: nil, "[[\(kind)]] needs every = \"30m\" (how often to capture)")
        } else {
            every = interval(t, table, "every")
        }
        let maxEvery = t["max_every"] == nil ? nil : interval(t, table, "max_every")
        if let every, let maxEvery, maxEvery < every {
            error(table, key: "max_every", line: nil,
                  "max_every (\(DurationText.format(maxEvery))) is shorter than every (\(DurationText.format(every)))")
        }
        let start = t["start"] == nil ? nil : date(t, table, "start")
        let stop = stops(t, table)
        let rules = file(t, table, "rules")
        let cookies = file(t, table, "cookies")
        if let rules {
            do {
                _ = try SiteRules.load(contentsOf: URL(fileURLWithPath: rules))
            } catch {
                self.error(table, key: "rules", line: nil, "rules file \(rules): \(error)")
            }
        }
        guard errors.count == before, let url, let every else { return nil }
        return (url, name, CadenceBounds(every: every, maxEvery: maxEvery), start, stop, rules, cookies)
    }

    mutating func watch(_ t: TOMLTable, index: Int) -> Watch? {
        let table = Table(name: "watch", index: index)
        guard let c = common(t, table, kind: "watch", allowed: ScheduleFile.watchKeys) else { return nil }
        return Watch(url: c.url, name: c.name, cadence: c.cadence, start: c.start, stop: c.stop, rules: c.rules,
                     cookies: c.cookies, source: SourceLocation(file: path, line: lines.line(table)))
    }

    mutating func feed(_ t: TOMLTable, index: Int) -> FeedWatch? {
        let table = Table(name: "feed", index: index)
        let checkEvery = t["check_every"] == nil ? nil : interval(t, table, "check_every")
        let hadError = t["check_every"] != nil && checkEvery == nil
        guard let c = common(t, table, kind: "feed", allowed: ScheduleFile.feedKeys), !hadError else { return nil }
        return FeedWatch(url: c.url, name: c.name, cadence: c.cadence,
                         checkEvery: checkEvery ?? min(c.cadence.every, 900), start: c.start, stop: c.stop,
                         rules: c.rules, cookies: c.cookies, source: SourceLocation(file: path, line: lines.line(table)))
    }

    // MARK: - Values

    mutating func string(_ t: TOMLTable, _ table: Table, _ key: String) -> String? {
        guard let v = t[key] else { return nil }
        guard let s = v.string else {
            error(table, key: key, line: nil, "\(key) must be a string, not \(v.type)")
            return nil
        }
        return s
    }

    mutating func interval(_ t: TOMLTable, _ table: Table, _ key: String) -> TimeInterval? {
        guard let v = t[key] else { return nil }
        if let n = v.int {
            error(table, key: key, line: nil, "\(key) = \(n) has no unit: write \"\(n)m\", \"\(n)h\"...")
            return nil
        }
        guard let text = string(t, table, key) else { return nil }
        guard let d = DurationText.parse(text) else {
            error(table, key: key, line: nil,
                  "\(key) = \"\(text)\" is not a duration (write \"90s\", \"30m\", \"2h\", \"1d\", \"7 days\")")
            return nil
        }
        guard d >= ScheduleFile.minimumInterval else {
            error(table, key: key, line: nil, "\(key) = \"\(text)\" is shorter than the minimum of 1m")
            return nil
        }
        return d
    }

    mutating func date(_ t: TOMLTable, _ table: Table, _ key: String) -> Date? {
        guard let v = t[key] else { return nil }
        if let dt = v.dateTime { return Self.date(dt) }
        if let d = v.date { return Self.date(TOMLDateTime(date: d, time: TOMLTime(hour: 0, minute: 0, second: 0, nanoSecond: 0))) }
        guard let text = string(t, table, key) else { return nil }
        guard let d = ScheduleDate.parse(text) else {
            error(table, key: key, line: nil, "\(key) = \"\(text)\" is not a date (write \"2026-01-10T08:00:00Z\")")
            return nil
        }
        return d
    }

    mutating func stops(_ t: TOMLTable, _ table: Table) -> [StopCondition] {
        guard let v = t["stop"] else { return [] }
        var texts: [TOMLValueConvertible] = []
        if let array = v.array { texts = Array(array) } else { texts = [v] }
        var out: [StopCondition] = []
        for item in texts {
            if let dt = item.dateTime {
                out.append(.at(Self.date(dt)))
            } else if let d = item.date {
                out.append(.at(Self.date(TOMLDateTime(date: d, time: TOMLTime(hour: 0, minute: 0, second: 0, nanoSecond: 0)))))
            } else if let s = item.string, let c = StopCondition.parse(s) {
                out.append(c)
            } else {
                error(table, key: "stop", line: nil,
                      "stop = \(item.debugDescription) is not a stop condition (write \"for 7 days\", "
                          + "\"quiet for 48h\" or a date \"2026-01-17T00:00:00Z\")")
            }
        }
        return out
    }

    /// A file path, resolved against the schedule file's folder; it must be readable.
    mutating func file(_ t: TOMLTable, _ table: Table, _ key: String) -> String? {
        guard let text = string(t, table, key) else { return nil }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        let resolved = text.hasPrefix("/") ? text : base.appendingPathComponent(text).standardizedFileURL.path
        guard FileManager.default.isReadableFile(atPath: resolved) else {
            error(table, key: key, line: nil, "\(key) file \(resolved): no readable file there")
            return nil
        }
        return resolved
    }

    // MARK: - Helpers

    /// A TOML date-time as a date: with its offset, else UTC.
    static func date(_ dt: TOMLDateTime) -> Date {
        var c = DateComponents()
        c.year = dt.date.year
        c.month = dt.date.month
        c.day = dt.date.day
        c.hour = dt.time.hour
        c.minute = dt.time.minute
        c.second = dt.time.second
        c.nanosecond = dt.time.nanoSecond
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let utc = calendar.date(from: c) ?? Date(timeIntervalSince1970: 0)
        return utc.addingTimeInterval(-Double((dt.offset?.offset ?? 0) * 60))
    }

    static func isWebURL(_ text: String) -> Bool {
        guard let u = URL(string: text), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = u.host, !host.isEmpty else { return false }
        return true
    }

    /// Two keys one typo apart (one letter changed, added, removed, or '-' for '_').
    static func close(_ a: String, _ b: String) -> Bool {
        let x = Array(a.replacingOccurrences(of: "-", with: "_")), y = Array(b)
        if x == y { return true }
        if abs(x.count - y.count) > 1 { return false }
        var i = 0, j = 0, edits = 0
        while i < x.count && j < y.count {
            if x[i] == y[j] { i += 1; j += 1; continue }
            edits += 1
            if edits > 1 { return false }
            if x.count > y.count { i += 1 } else if y.count > x.count { j += 1 } else { i += 1; j += 1 }
        }
        return edits + (x.count - i) + (y.count - j) <= 1
    }
}
