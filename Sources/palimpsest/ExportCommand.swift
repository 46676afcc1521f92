import ArgumentParser
import Foundation
import PalimpsestCore
import PalimpsestRender
import PalimpsestStore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a page's raw captures as WARC 1.1, or its comment versions as JSON Lines or CSV.",
        discussion: """
            jsonl and csv: one row per comment version, with the captures where it was first and last seen and, \
            when gone, the capture where it disappeared.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case warc, jsonl, csv
    }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The page's URL.") var url: String
    @Option(help: "warc, jsonl or csv.") var format: Format
    @Option(help: "Write here instead of standard output.") var output: String?

    func run() async throws {
        let store = try global.openStoreForReading()
        let sink = try OutputSink(path: output)
        switch format {
        case .warc:
            let responses = try storeCall { try store.responses(url: url, capture: nil) }
            let writer = WARCWriter(output: sink.write)
            try writer.warcinfo(date: Date(), software: "Palimpsest/\(PalimpsestVersion.string)")
            for r in responses { try writer.write(r.response, capturedAt: r.capturedAt) }
        case .jsonl:
            for row in try storeCall({ try store.commentVersions(url: url) }) {
                try sink.write(Data((try JSONOutput.encode(CommentVersionJSON(row), pretty: false) + "\n").utf8))
            }
        case .csv:
            try sink.write(Data((CommentVersionJSON.csvHeader + "\r\n").utf8))
            for row in try storeCall({ try store.commentVersions(url: url) }) {
                try sink.write(Data((CommentVersionJSON(row).csvLine + "\r\n").utf8))
            }
        }
        try sink.close()
    }
}

/// Standard output, or a file written whole and renamed into place (never half a file).
final class OutputSink {
    private let handle: FileHandle
    private let temporary: String?
    private let final: String?

    init(path: String?) throws {
        guard let path else {
            handle = .standardOutput
            temporary = nil
            final = nil
            return
        }
        let tmp = path + ".partial"
        guard FileManager.default.createFile(atPath: tmp, contents: nil), let h = FileHandle(forWritingAtPath: tmp) else {
            throw CommandFailure(message: "\(path): cannot write here")
        }
        handle = h
        temporary = tmp
        final = path
    }

    func write(_ data: Data) throws {
        do { try handle.write(contentsOf: data) } catch {
            throw CommandFailure(message: "\(final ?? "standard output"): \(error.localizedDescription)")
        }
    }

    func close() throws {
        guard let temporary, let final else { return }
        try handle.close()
        if FileManager.default.fileExists(atPath: final) { try FileManager.default.removeItem(atPath: final) }
        try FileManager.default.moveItem(atPath: temporary, toPath: final)
    }
}

/// One comment version with its interval, for researchers.
struct CommentVersionJSON: Encodable {
    var comment_id: String
    var version: Int
    var parent: String?
    var author: String?
    var posted: String?
    var kind: String
    var text: String
    var first_seen_capture: Int
    var first_seen_at: Date
    var last_seen_capture: Int
    var last_seen_at: Date
    var disappeared_capture: Int?
    var disappeared_at: Date?

    init(_ r: CommentVersionRow) {
        comment_id = r.commentID
        version = r.version
        parent = r.parent
        author = r.author
        posted = r.posted
        kind = r.kind
        text = r.text
        first_seen_capture = r.firstSeenCapture
        first_seen_at = r.firstSeenAt
        last_seen_capture = r.lastSeenCapture
        last_seen_at = r.lastSeenAt
        disappeared_capture = r.disappearedCapture
        disappeared_at = r.disappearedAt
    }

    static let csvHeader = "comment_id,version,parent,author,posted,kind,text,first_seen_capture,first_seen_at,"
        + "last_seen_capture,last_seen_at,disappeared_capture,disappeared_at"

    var csvLine: String {
        [comment_id, String(version), parent ?? "", author ?? "", posted ?? "", kind, text,
         String(first_seen_capture), ISOTime.format(first_seen_at), String(last_seen_capture),
         ISOTime.format(last_seen_at), disappeared_capture.map(String.init) ?? "",
         disappeared_at.map(ISOTime.format) ?? ""].map(CommentVersionJSON.csvField).joined(separator: ",")
    }

    /// RFC 4180 quoting; a leading = + - @ is prefixed with ' so that spreadsheets do not run it as a formula.
    static func csvField(_ s: String) -> String {
        var v = s
        if let f = v.first, "=+-@".contains(f) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
