import ArgumentParser
import Foundation
import PalimpsestCapture
import PalimpsestCore
import PalimpsestFetch
import PalimpsestRender
import PalimpsestServe
import PalimpsestStore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Without internet: serve a small fictional article and thread from 127.0.0.1 at three moments, "
            + "capture it three times into a temporary store, and show history, diff and restore.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let moment = MomentBox()
        let server: LoopbackServer
        do {
            server = try LoopbackServer { request in
                switch request.path {
                case "/robots.txt":
                    return LoopbackResponse(status: 200, headers: [("Content-Type", "text/plain")],
                                            body: Data("User-agent: *\nDisallow: /wp-admin/\n".utf8))
                case DemoSite.path:
                    return .html(DemoSite.html(moment: moment.value, baseURL: "http://" + (request.header("Host") ?? "127.0.0.1")))
                default:
                    return .html("<html><body><h1>Not found</h1></body></html>", status: 404)
                }
            }
        } catch {
            throw CommandFailure(message: "cannot start the demo server on 127.0.0.1: \(error)")
        }
        defer { server.stop() }

        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("palimpsest-demo-\(ProcessInfo.processInfo.processIdentifier)")
        let storePath = global.store ?? folder.appendingPathComponent("demo.sqlite").path
        let store = try storeCall { try Store(path: storePath) }
        var options = FetchOptions()
        options.perHostDelay = 0.2
        let capturer = Capturer(fetcher: Fetcher(options: options), store: store)
        let url = server.baseURL + DemoSite.path
        let style = OutputStyle.forStandardOutput()
        let renderer = TextRenderer(style: style)
        let line = CaptureLine(style: style)

        print(style.bold("Palimpsest demo") + ": a fictional article served from \(server.baseURL), captured at three moments.")
        print("Store: \(storePath)\n")
        let moments = ["morning: the first comments", "evening: more comments, an update to the article",
                       "next day: moderators removed two comments, one was edited"]
        for (i, label) in moments.enumerated() {
            moment.value = i
            let record = try await storeCall { () async throws -> CaptureRecord in try await capturer.capture(url) }
            print("capture \(i + 1), \(label)")
            print("  " + line.render(record.info, record.changes))
        }

        print("\n" + style.bold("$ palimpsest history \(url)"))
        for r in try storeCall({ try store.history(url: url) }) { print(line.render(r.info, r.changes)) }

        print("\n" + style.bold("$ palimpsest diff \(url)"))
        let diff = try storeCall { () -> ThreadDiff in
            let (a, b) = try store.lastTwoComplete(url: url)
            let sides = try store.snapshots(url: url, at: [a.number, b.number], includeRemoved: false)
            return ThreadDiff(from: sides[0], to: sides[1])
        }
        print(DiffText(renderer: renderer).render(url: url, diff: diff))

        print("\n" + style.bold("$ palimpsest restore \(url) --with-removed"))
        let latest = try storeCall { try store.resolve(url: url, .latestComplete) }
        let snapshot = try storeCall { try store.snapshot(url: url, at: latest.number, includeRemoved: true) }
        print(RestoreReport(snapshot: snapshot, renderer: renderer).text)
        print("\nTry it yourself: palimpsest --store \(storePath) history \(url)")
    }
}

/// The moment the demo server shows, changed between captures.
final class MomentBox: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    var value: Int {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}
