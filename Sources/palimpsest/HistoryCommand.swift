import ArgumentParser
import Foundation
import PalimpsestRender

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "The captures of a page, oldest first: what each changed, complete or not.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The page's URL.") var url: String
    @Flag(help: "JSON for scripts.") var json = false

    func run() async throws {
        let store = try global.openStoreForReading()
        let records = try storeCall { try store.history(url: url) }
        if json {
            try printJSON(HistoryJSON(url: url, captures: records.map { ($0.info, $0.changes) }))
            return
        }
        let line = CaptureLine(style: .forStandardOutput())
        print(TerminalText.safe(url))
        for r in records { print(line.render(r.info, r.changes)) }
    }
}
