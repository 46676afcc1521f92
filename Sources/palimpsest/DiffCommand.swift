import ArgumentParser
import Foundation
import PalimpsestCore
import PalimpsestRender

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed in a page's article and thread between two captures (default: the last two complete).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The page's URL.") var url: String
    @Option(help: "A capture number from history, or an ISO 8601 time (the last complete capture at or before it).")
    var from: CaptureRefArgument?
    @Option(help: "Same as --from; default the latest complete capture.") var to: CaptureRefArgument?
    @Flag(help: "JSON for scripts.") var json = false

    func run() async throws {
        let store = try global.openStoreForReading()
        let diff: ThreadDiff = try storeCall {
            let (a, b): (CaptureInfo, CaptureInfo)
            switch (from, to) {
            case (nil, nil):
                (a, b) = try store.lastTwoComplete(url: url)
            case (let f?, nil):
                (a, b) = (try store.resolve(url: url, f.ref), try store.resolve(url: url, .latestComplete))
            case (nil, let t?):
                let end = try store.resolve(url: url, t.ref)
                guard let start = try store.history(url: url).map(\.info)
                    .last(where: { $0.complete && $0.number < end.number })
                else { throw CommandFailure(message: "no complete capture of \(url) before capture \(end.number)") }
                (a, b) = (start, end)
            case (let f?, let t?):
                (a, b) = (try store.resolve(url: url, f.ref), try store.resolve(url: url, t.ref))
            }
            let sides = try store.snapshots(url: url, at: [a.number, b.number], includeRemoved: false)
            return ThreadDiff(from: sides[0], to: sides[1])
        }
        if json {
            try printJSON(DiffJSON(url: url, diff: diff))
        } else {
            print(DiffText(renderer: TextRenderer(style: .forStandardOutput())).render(url: url, diff: diff))
        }
    }
}
