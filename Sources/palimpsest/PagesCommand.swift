import ArgumentParser
import Foundation
import PalimpsestRender

struct PagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pages", abstract: "The pages in the store.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "JSON for scripts.") var json = false

    struct Entry: Encodable {
        var url: String
        var captures: Int
        var last_captured_at: Date?
    }

    func run() async throws {
        let store = try global.openStoreForReading()
        let pages = try storeCall { try store.pages() }
        if json {
            try printJSON(pages.map { Entry(url: $0.url, captures: $0.captures, last_captured_at: $0.lastCapturedAt) })
            return
        }
        for p in pages {
            let last = p.lastCapturedAt.map(ISOTime.format) ?? "-"
            print("\(TerminalText.safe(p.url))  \(p.captures) capture\(p.captures == 1 ? "" : "s"), last \(last)")
        }
    }
}
