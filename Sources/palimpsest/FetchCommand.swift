import ArgumentParser
import PalimpsestFetch

struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch", abstract: "Fetch one page politely and print status, final URL, headers and body size.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "An http or https URL.") var url: String

    func run() async throws {}
}
