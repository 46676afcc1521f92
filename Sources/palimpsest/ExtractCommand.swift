import ArgumentParser
import Foundation
import PalimpsestCore
import PalimpsestExtract
import PalimpsestRender

struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract the article and its comment thread from saved pages (nothing is stored).",
        discussion: """
            A FOLDER means its *.html files. --jsonl prints one line per page: \
            {"id", "text", "comments", "seconds"} (seconds: extraction time, parse included, file reading excluded).
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "HTML files or folders of *.html files.") var inputs: [String]
    @Option(help: "The page's URL, to resolve its links (one file only).") var url: String?
    @Option(help: "A site rules file (JSON) with XPath rules for sites the built-in selectors misread.")
    var rules: String?
    @Flag(help: "One JSON object (one page).") var json = false
    @Flag(help: "One JSON line per page (many pages).") var jsonl = false

    func validate() throws {
        if json && jsonl { throw ValidationError("--json and --jsonl exclude each other") }
        if url != nil && inputs.count != 1 { throw ValidationError("--url goes with one input") }
        for input in inputs where input.hasPrefix("http://") || input.hasPrefix("https://") {
            throw ValidationError("'\(input)': extract reads saved files; use `palimpsest fetch` or `capture` for URLs")
        }
    }

    func run() async throws {
        let extractor = PageExtractor(rules: try SiteRulesLoader.load(rules))
        let files = try PageFiles.expand(inputs)
        if jsonl {
            for file in files {
                let data = try PageFiles.read(file)
                let start = DispatchTime.now().uptimeNanoseconds
                let e = extractor.extract(data: data, url: url)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                let line = JSONLine(id: file.deletingPathExtension().lastPathComponent, text: e.article.plainText,
                                    comments: e.thread.comments.count, seconds: seconds, complete: e.complete)
                print(try JSONOutput.encode(line, pretty: false))
            }
            return
        }
        let style = OutputStyle.forStandardOutput()
        for (i, file) in files.enumerated() {
            let e = extractor.extract(data: try PageFiles.read(file), url: url)
            if json {
                print(try JSONOutput.encode(ExtractionJSON(e)))
            } else {
                if i > 0 { print("\n" + String(repeating: "═", count: 60) + "\n") }
                print(ExtractionReport(extraction: e, renderer: TextRenderer(style: style)).text)
            }
        }
    }

    struct JSONLine: Encodable {
        var id: String
        var text: String
        var comments: Int
        var seconds: Double
        var complete: Bool
    }
}

/// The human view of one extraction: article, thread, completeness.
struct ExtractionReport {
    var extraction: Extraction
    var renderer: TextRenderer

    var text: String {
        let e = extraction
        var out = renderer.article(e.article)
        let t = e.thread
        out += "\n\n" + String(repeating: "─", count: 60) + "\n"
        if !t.inMarkup {
            out += "Comments are loaded by a script (\(t.scriptWidget ?? "unknown widget")): not in this page's markup.\n"
        } else {
            var head = "\(t.comments.count) comment\(t.comments.count == 1 ? "" : "s") in the markup"
            if let d = t.declaredCount { head += " (the page says \(d))" }
            if let s = t.system { head += " · \(s)" }
            out += head + "\n"
            if !t.pages.isEmpty { out += "Other comment pages: \(t.pages.map { TerminalText.safe($0) }.joined(separator: " "))\n" }
            if !t.items.isEmpty { out += "\n" + renderer.thread(t.items) + "\n" }
        }
        out += "\n" + (e.complete ? "complete" : "INCOMPLETE")
        for p in e.problems {
            out += "\n  \(p.severity == .incomplete ? "!" : "·") \(p.code): \(TerminalText.safe(p.message))"
        }
        return out
    }
}

/// Input files for extract and import: files as given, folders as their *.html files in name order.
enum PageFiles {
    static func expand(_ inputs: [String]) throws -> [URL] {
        var out: [URL] = []
        let fm = FileManager.default
        for input in inputs {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDir) else {
                throw CommandFailure(message: "\(input): no such file or folder")
            }
            let url = URL(fileURLWithPath: input)
            if isDir.boolValue {
                let names = try fm.contentsOfDirectory(atPath: input).filter { $0.hasSuffix(".html") || $0.hasSuffix(".htm") }
                out += names.sorted().map { url.appendingPathComponent($0) }
            } else {
                out.append(url)
            }
        }
        return out
    }

    static func read(_ file: URL) throws -> Data {
        do {
            return try Data(contentsOf: file)
        } catch {
            throw CommandFailure(message: "\(file.path): cannot read: \(error.localizedDescription)")
        }
    }
}
