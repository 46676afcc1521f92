import ArgumentParser
import Foundation
import PalimpsestCore
import PalimpsestFetch
import PalimpsestRender

struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch one page politely and print its status, final URL, redirects, headers and body size (nothing is stored).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fetch: FetchFlags
    @Argument(help: "An http or https URL.") var url: String
    @Option(name: .customLong("max-bytes"), help: "The largest body accepted (default 32 MiB).") var maxBytes: Int?
    @Flag(help: "JSON for scripts.") var json = false

    func validate() throws {
        try validateWebURL(url)
        if let maxBytes, maxBytes <= 0 { throw ValidationError("--max-bytes must be positive") }
    }

    func run() async throws {
        var options = fetch.options
        if let maxBytes { options.maxBodyBytes = maxBytes }
        let response: HTTPResponse
        do {
            response = try await Fetcher(options: options).fetch(url)
        } catch {
            throw CommandFailure(message: TerminalText.safe(error.description))
        }
        if json {
            try printJSON(FetchJSON(response))
            return
        }
        print("\(response.statusLine.isEmpty ? "HTTP \(response.status)" : TerminalText.safe(response.statusLine))")
        print("final URL: \(TerminalText.safe(response.finalURL))")
        for r in response.redirects {
            print("redirect: \(r.status) \(TerminalText.safe(r.url)) → \(TerminalText.safe(r.location))")
        }
        for h in response.headers { print("\(TerminalText.safe(h.name)): \(TerminalText.safe(h.value))") }
        print("body: \(humanSize(response.body.count)), \(response.charset) (from \(response.charsetSource)), "
            + String(format: "%.3f s", response.timings.total))
    }
}

/// "512 bytes", "12.3 KiB", "4.0 MiB".
func humanSize(_ bytes: Int) -> String {
    if bytes < 1024 { return "\(bytes) bytes" }
    let units = ["KiB", "MiB", "GiB"]
    var value = Double(bytes) / 1024
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    return "\(String(format: "%.1f", value)) \(units[unit]) (\(bytes) bytes)"
}

struct FetchJSON: Encodable {
    struct Hop: Encodable {
        var url: String
        var status: Int
        var location: String
    }
    var requested_url: String
    var final_url: String
    var status: Int
    var redirects: [Hop]
    var headers: [[String]]
    var body_bytes: Int
    var charset: String
    var charset_source: String
    var seconds: Double

    init(_ r: HTTPResponse) {
        requested_url = r.requestedURL
        final_url = r.finalURL
        status = r.status
        redirects = r.redirects.map { Hop(url: $0.url, status: $0.status, location: $0.location) }
        headers = r.headers.map { [$0.name, $0.value] }
        body_bytes = r.body.count
        charset = r.charset
        charset_source = r.charsetSource
        seconds = r.timings.total
    }
}
