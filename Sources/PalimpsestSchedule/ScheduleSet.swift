import Foundation

/// The schedule files of a folder (`*.toml`), read again when they change.
///
/// A file with errors does not stop the others: the last good version of that file keeps running (none,
/// if it never was good) and its errors are reported until it is fixed.
public struct ScheduleSet: Sendable {
    public let directory: String
    /// The good version of each file in force, by path.
    public private(set) var files: [String: ScheduleFile] = [:]
    /// The current errors of each bad file, by path.
    public private(set) var errors: [String: [ScheduleError]] = [:]
    /// The bytes last read, by path: a file is parsed again only when they change.
    private var contents: [String: Data] = [:]

    public init(directory: String) {
        self.directory = directory
    }

    /// Reads the folder again: new, changed and removed files. Returns the paths that changed.
    @discardableResult
    public mutating func reload() -> [String] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? fm.contentsOfDirectory(atPath: directory) else {
            let gone = Array(contents.keys)
            files = [:]
            contents = [:]
            errors = [directory: [ScheduleError(file: directory, line: 1, message: "no schedule folder here")]]
            return gone
        }
        errors[directory] = nil
        let paths = names.filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.sorted()
            .map { directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0 }
        var changed: [String] = []
        for removed in Set(contents.keys).subtracting(paths) {
            contents[removed] = nil
            files[removed] = nil
            errors[removed] = nil
            changed.append(removed)
        }
        for path in paths {
            guard let data = fm.contents(atPath: path) else {
                if errors[path] == nil { changed.append(path) }
                errors[path] = [ScheduleError(file: path, line: 1, message: "cannot read the file")]
                contents[path] = nil
                continue
            }
            guard data != contents[path] else { continue }
            contents[path] = data
            changed.append(path)
            do throws(ScheduleFileErrors) {
                guard let text = String(data: data, encoding: .utf8) else {
                    throw ScheduleFileErrors([ScheduleError(file: path, line: 1, message: "not UTF-8 text")])
                }
                let file = try ScheduleFile.parse(text, path: path)
                let duplicates = duplicateErrors(file)
                guard duplicates.isEmpty else { throw ScheduleFileErrors(duplicates) }
                files[path] = file
                errors[path] = nil
            } catch {
                errors[path] = error.errors
            }
        }
        return changed.sorted()
    }

    /// URLs of `file` already watched by another file in force.
    private func duplicateErrors(_ file: ScheduleFile) -> [ScheduleError] {
        var others: [String: SourceLocation] = [:]
        for other in files.values where other.path != file.path {
            for w in other.watches { others[w.url] = w.source }
            for f in other.feeds { others[f.url] = f.source }
        }
        return (file.watches.map { ($0.url, $0.source) } + file.feeds.map { ($0.url, $0.source) })
            .compactMap { url, source in
                others[url].map { ScheduleError(file: file.path, line: source.line,
                                                message: "\(url) is already watched at \($0)") }
            }
    }

    /// Every error, file by file, line by line.
    public var allErrors: [ScheduleError] {
        errors.keys.sorted().flatMap { errors[$0]! }
    }

    /// True when the file is bad now (its last good version, if any, still runs).
    public func hasErrors(_ path: String) -> Bool { errors[path] != nil }

    /// The watches of every file in force, by URL.
    public var watches: [String: Watch] {
        var out: [String: Watch] = [:]
        for path in files.keys.sorted() {
            for w in files[path]!.watches where out[w.url] == nil { out[w.url] = w }
        }
        return out
    }

    /// The feeds of every file in force, by URL.
    public var feeds: [String: FeedWatch] {
        var out: [String: FeedWatch] = [:]
        for path in files.keys.sorted() {
            for f in files[path]!.feeds where out[f.url] == nil { out[f.url] = f }
        }
        return out
    }

    /// The watches of the files and those of the feeds' items the state knows, by URL. A page watched by a
    /// file and also an item of a feed is the file's watch.
    public func allWatches(state: ScheduleState) -> [String: Watch] {
        var out = watches
        let feeds = self.feeds
        for (url, s) in state.watches where out[url] == nil {
            guard let feedURL = s.feed, let feed = feeds[feedURL] else { continue }
            out[url] = feed.itemWatch(url: url, title: s.title)
        }
        return out
    }
}
