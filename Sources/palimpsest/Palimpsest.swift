import ArgumentParser
import PalimpsestCore

struct Palimpsest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "palimpsest",
        abstract: "Archive news articles and their comment threads; see what appeared, changed and disappeared.",
        version: PalimpsestVersion.string,
        subcommands: [
            CaptureCommand.self,
            ImportCommand.self,
            HistoryCommand.self,
            DiffCommand.self,
            RestoreCommand.self,
            ExportCommand.self,
            PagesCommand.self,
            ReextractCommand.self,
            ScheduleCommand.self,
            DemoCommand.self,
            FetchCommand.self,
            ExtractCommand.self,
        ]
    )

    @OptionGroup var global: GlobalOptions
}
