import ArgumentParser
import Foundation

/// Writes synthetic WordPress threads to files: one page, or a series of captures with changes between them
/// (for profiling, or for trying another tool on the same pages).
struct GenerateBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Write a synthetic thread page (and, with --captures, its later versions).")

    @Option var comments = 10_000
    @Option(help: "How many versions to write.") var captures = 1
    @Option(help: "Comments added, edited or removed between two versions.") var changes = 50
    @Option var seed: UInt64 = 42
    @Option(help: "A folder: version N is written as NNNN.html.") var output: String

    func run() throws {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var thread = SyntheticThread(url: "https://news.example.org/2026/01/01/synthetic/", comments: comments, seed: seed)
        for n in 1...max(1, captures) {
            if n > 1 { thread.change(changes) }
            let path = (output as NSString).appendingPathComponent(String(format: "%04d.html", n))
            try thread.html().write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}
