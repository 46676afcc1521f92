import ArgumentParser
import PalimpsestExtract

struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract", abstract: "Extract the article and its comment thread from saved pages or URLs.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "HTML files, folders of *.html files, or http(s) URLs.") var inputs: [String]

    func run() async throws {}
}
