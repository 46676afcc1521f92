import ArgumentParser
import Foundation
import PalimpsestExtract
import PalimpsestHTML

/// Extraction speed on one core against the floor: a bare libxml2 parse of the same pages.
struct ParseBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse", abstract: "Pages/s: bare libxml2 parse vs full extraction (files read before timing).")

    @Argument(help: "A folder of *.html files, or of folders holding source.html.") var folder: String
    @Option(help: "Repeat the whole set this many times (median reported).") var repeats = 3

    func run() throws {
        let pages = try loadPages(folder)
        var parse: [Double] = []
        var extract: [Double] = []
        let extractor = PageExtractor()
        for _ in 0..<repeats {
            parse.append(try seconds {
                for p in pages { _ = try? HTMLDocument(data: p, encoding: "UTF-8") }
            })
            extract.append(seconds {
                for p in pages { _ = extractor.extract(data: p) }
            })
        }
        let p = stats(parse).median, e = stats(extract).median
        emit(["pages": pages.count, "parse_pages_per_s": Double(pages.count) / p,
              "extract_pages_per_s": Double(pages.count) / e, "extract_over_parse": e / p])
    }
}

func loadPages(_ folder: String) throws -> [Data] {
    let fm = FileManager.default
    var out: [Data] = []
    for name in try fm.contentsOfDirectory(atPath: folder).sorted() {
        let path = (folder as NSString).appendingPathComponent(name)
        var isDir: ObjCBool = false
        fm.fileExists(atPath: path, isDirectory: &isDir)
        if isDir.boolValue {
            let source = (path as NSString).appendingPathComponent("source.html")
            if let d = fm.contents(atPath: source) { out.append(d) }
        } else if name.hasSuffix(".html"), let d = fm.contents(atPath: path) {
            out.append(d)
        }
    }
    return out
}
