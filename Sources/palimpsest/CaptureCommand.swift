import ArgumentParser
import Foundation
import PalimpsestCapture
import PalimpsestCore
import PalimpsestExtract
import PalimpsestFetch
import PalimpsestRender
import PalimpsestStore

struct CaptureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Fetch pages (every comment page too), extract and store them; print what changed.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fetch: FetchFlags
    @Argument(help: "http or https URLs.") var urls: [String]
    @Option(help: "A site rules file (JSON).") var rules: String?
    @Flag(help: "JSON for scripts.") var json = false

    func validate() throws {
        for url in urls { try validateWebURL(url) }
    }

    func run() async throws {
        let store = try global.openStoreForWriting()
        let capturer = Capturer(fetcher: Fetcher(options: fetch.options), store: store,
                                extractor: PageExtractor(rules: try SiteRulesLoader.load(rules)))
        var results: [(String, CaptureRecord)] = []
        for url in urls {
            let record = try await storeCall { () async throws -> CaptureRecord in try await capturer.capture(url) }
            results.append((url, record))
            if !json { print(CaptureSummaryText(style: .forStandardOutput()).render(url: url, record)) }
        }
        if json { try printJSON(results.map { CaptureJSON(url: $0.0, record: $0.1) }) }
        if results.contains(where: { $0.1.info.outcome == .failed }) { throw ExitCode(ExitStatus.failure) }
    }
}

/// One capture's result for scripts: the capture and what it changed.
struct CaptureJSON: Encodable {
    var url: String
    var number: Int
    var captured_at: Date
    var http_status: Int?
    var outcome: String
    var complete: Bool
    var problems: [ProblemJSON]
    var declared_count: Int?
    var comments: Int
    var appeared: [String]
    var disappeared: [String]
    var reappeared: [String]
    var edited: [String]
    var article_changed: Bool

    init(url: String, record: CaptureRecord) {
        let i = record.info, c = record.changes
        self.url = url
        number = i.number
        captured_at = i.capturedAt
        http_status = i.httpStatus
        outcome = i.outcome.rawValue
        complete = i.complete
        problems = i.problems.map(ProblemJSON.init)
        declared_count = i.declaredCount
        comments = c.present
        appeared = c.appeared
        disappeared = c.disappeared
        reappeared = c.reappeared
        edited = c.edited
        article_changed = c.articleChanged
    }
}

struct CaptureSummaryText {
    var style: OutputStyle
    func render(url: String, _ r: CaptureRecord) -> String {
        TerminalText.safe(url) + "\n  " + CaptureLine(style: style).render(r.info, r.changes)
    }
}
