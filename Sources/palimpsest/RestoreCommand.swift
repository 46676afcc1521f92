import ArgumentParser
import Foundation
import PalimpsestCore
import PalimpsestRender

extension RestoreReport.Format: ExpressibleByArgument {}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "The article and its thread as they stood at a capture (default: the latest complete one).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The page's URL.") var url: String
    @Option(help: "A capture number from history, or an ISO 8601 time (the last complete capture at or before it).")
    var at: CaptureRefArgument?
    @Flag(name: .customLong("with-removed"), help: "Also show comments gone by then, marked with when they disappeared.")
    var withRemoved = false
    @Option(help: "text, markdown or json.") var format: RestoreReport.Format = .text

    func run() async throws {
        let store = try global.openStoreForReading()
        let snapshot = try storeCall {
            let info = try store.resolve(url: url, at?.ref ?? .latestComplete)
            return try store.snapshot(url: url, at: info.number, includeRemoved: withRemoved)
        }
        let report = RestoreReport(snapshot: snapshot, renderer: TextRenderer(style: .forStandardOutput()))
        switch format {
        case .text: print(report.text)
        case .markdown: print(report.markdown)
        case .json: print(try report.json())
        }
    }
}
