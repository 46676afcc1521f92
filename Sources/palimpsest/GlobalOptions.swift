import ArgumentParser
import Foundation

/// Options every command takes, before or after the subcommand's name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The store file (default: $PALIMPSEST_STORE, else Snapshots/palimpsest.sqlite).", valueName: "path"))
    var store: String?

    /// The store path in force: --store, then PALIMPSEST_STORE, then the default.
    var storePath: String {
        if let store, !store.isEmpty { return store }
        if let env = ProcessInfo.processInfo.environment["PALIMPSEST_STORE"], !env.isEmpty { return env }
        return "Snapshots/palimpsest.sqlite"
    }
}
