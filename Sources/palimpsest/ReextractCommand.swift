import ArgumentParser
import Foundation
import PalimpsestCapture
import PalimpsestExtract

struct ReextractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reextract",
        abstract: "Re-run the current extractor over stored raw bodies and rebuild articles, comments and their lifecycle.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "One page's URL (default: every page).") var url: String?
    @Option(help: "A site rules file (JSON).") var rules: String?

    func run() async throws {
        let store = try global.openStoreForReading()
        let extractor = PageExtractor(rules: try SiteRulesLoader.load(rules))
        let count = try storeCall {
            try store.reextract(url: url) { Reextraction.extract($0, extractor: extractor) }
        }
        print("re-read \(count) capture\(count == 1 ? "" : "s")")
    }
}
