import Foundation
import PalimpsestCore
import PalimpsestExtract
import PalimpsestRender
import PalimpsestSchedule

/// The fuzz targets: what the libFuzzer driver (Tests/Fuzz) runs on each input, and what the regression
/// test replays its corpus and every crash through. Each one feeds hostile bytes to a parser, then checks
/// what must hold whatever the input: no crash, no hang, and text that reaches a terminal is inert.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A page's bytes through the whole extractor (charset, article, thread, completeness), then through
    /// the text and JSON renderers.
    case extract
    /// A rules file (JSON), applied to a page: the rules' XPath runs on the page. The input is the rules
    /// file, optionally followed by a NUL byte and the page; without one, a built-in WordPress page.
    case rules
    /// A schedule file (TOML) through the schedule parser and checker.
    case schedule
    /// A feed (RSS, Atom) as the runner reads it: items must be absolute http(s) URLs.
    case feed

    /// The URL every fuzzed page is extracted as; rules are bound to its host.
    public static let pageURL = "https://fuzz.example/2026/01/01/article/"

    /// What one input gave: the comment system and comments found, or the watches and feeds read.
    public struct Outcome: Sendable, Hashable {
        public var system: String?
        public var found: Int
    }

    /// Runs the target on one input. Traps (and so reports a crash to the fuzzer) when an invariant breaks.
    @discardableResult
    public func run(_ data: Data) -> Outcome {
        switch self {
        case .extract:
            return Self.check(PageExtractor().extract(data: data, url: Self.pageURL))
        case .rules:
            let (rulesBytes, page) = Self.split(data)
            guard var rules = try? SiteRules.parse(rulesBytes, path: "fuzz.json") else { return Outcome(found: 0) }
            for i in rules.sites.indices { rules.sites[i].host = "fuzz.example" }
            return Self.check(PageExtractor(rules: rules).extract(data: page ?? Data(Self.wordpressPage.utf8), url: Self.pageURL))
        case .schedule:
            let text = String(decoding: data, as: UTF8.self)
            do {
                let file = try ScheduleFile.parse(text, path: "/nonexistent/fuzz.toml")
                for w in file.watches {
                    precondition(w.cadence.every >= ScheduleFile.minimumInterval && w.cadence.maxEvery >= w.cadence.every,
                                 "a cadence under the minimum")
                }
                return Outcome(system: "schedule", found: file.watches.count + file.feeds.count)
            } catch {
                precondition(!error.errors.isEmpty, "a rejected schedule file must say why")
                return Outcome(found: 0)
            }
        case .feed:
            guard let items = try? FeedParser.parse(data, base: "https://fuzz.example/feed/") else { return Outcome(found: 0) }
            for item in items {
                let scheme = URL(string: item.url)?.scheme?.lowercased()
                precondition(scheme == "http" || scheme == "https", "a feed item that is not an http(s) URL")
            }
            return Outcome(system: "feed", found: items.count)
        }
    }

    /// What must hold for any extraction: sane comments, renderable text with no raw control character.
    static func check(_ e: Extraction) -> Outcome {
        for c in e.thread.items {
            precondition(!c.id.isEmpty, "a comment without an id")
            precondition(c.depth >= 0, "a negative depth")
        }
        let renderer = TextRenderer(style: OutputStyle(color: false))
        let text = renderer.article(e.article) + renderer.thread(e.thread.items)
        precondition(text.unicodeScalars.allSatisfy(isInert), "a control character reached the terminal text")
        precondition((try? JSONOutput.encode(ExtractionJSON(e))) != nil, "the extraction does not encode as JSON")
        return Outcome(system: e.thread.system, found: e.thread.items.count)
    }

    /// Printable for a terminal: no C0 control but tab and newline, no DEL, no C1, no bidi override.
    static func isInert(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A: return true
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return false
        default: return true
        }
    }

    static func split(_ data: Data) -> (Data, Data?) {
        guard let nul = data.firstIndex(of: 0) else { return (data, nil) }
        return (data[data.startIndex..<nul], data[(nul + 1)...])
    }

    static let wordpressPage = """
        <html><head><title>Fuzz</title></head><body><article><h1>A title</h1><div class="entry-content">
        <p>First paragraph of the article, long enough to be the body of it.</p><p>Second paragraph.</p></div>
        </article><div id="comments"><h2 class="comments-title">2 comments</h2><ol class="comment-list">
        <li id="comment-1" class="comment depth-1"><article id="div-comment-1" class="comment-body">
        <footer class="comment-meta"><b class="fn">Ann</b><time datetime="2026-01-01T10:00:00+00:00">1 Jan</time></footer>
        <div class="comment-content"><p>Hello.</p></div></article><ol class="children">
        <li id="comment-2" class="comment depth-2"><article id="div-comment-2" class="comment-body">
        <footer class="comment-meta"><b class="fn">Bob</b></footer><div class="comment-content"><p>Hi.</p></div>
        </article></li></ol></li></ol></div></body></html>
        """
}
