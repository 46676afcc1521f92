import ArgumentParser
import Foundation
import PalimpsestCapture
import PalimpsestCore
import PalimpsestExtract
import PalimpsestRender

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Record a saved page as a capture of URL at a time, as if fetched with status 200.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "A saved HTML file.") var file: String
    @Option(help: "The page's URL.") var url: String
    @Option(help: "When it was captured (ISO 8601; default now).") var at: String?
    @Option(help: "A site rules file (JSON).") var rules: String?
    @Flag(help: "JSON for scripts.") var json = false

    func validate() throws {
        try validateWebURL(url)
        if let at, ISOTime.parse(at) == nil { throw ValidationError("--at '\(at)' is not an ISO 8601 time") }
    }

    func run() async throws {
        let data = try PageFiles.read(URL(fileURLWithPath: file))
        guard HTMLSniffer.looksLikeHTML(data) else {
            throw CommandFailure(message: "\(file): not an HTML page; nothing imported")
        }
        let date = at.flatMap(ISOTime.parse) ?? Date()
        let store = try global.openStoreForWriting()
        let importer = Importer(store: store, extractor: PageExtractor(rules: try SiteRulesLoader.load(rules)))
        let record = try storeCall { try importer.importPage(data, url: url, at: date) }
        if json {
            try printJSON(CaptureJSON(url: url, record: record))
        } else {
            print(CaptureSummaryText(style: .forStandardOutput()).render(url: url, record))
        }
    }
}

/// A cheap check that bytes are an HTML page and not, say, a PDF or an image.
enum HTMLSniffer {
    static func looksLikeHTML(_ data: Data) -> Bool {
        let head = data.prefix(65536)
        if head.isEmpty { return false }
        if head.prefix(4096).contains(0) { return false }
        let text = String(decoding: head, as: UTF8.self).lowercased()
        return ["<html", "<!doctype html", "<body", "<head", "<div", "<p>", "<article", "<title"].contains {
            text.contains($0)
        }
    }
}
