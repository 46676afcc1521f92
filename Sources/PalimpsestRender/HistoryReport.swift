import Foundation
import PalimpsestCore

/// `history --json`: {"url", "captures": [{"number", "captured_at", "http_status", "complete", "problems",
/// "declared_count", "comments", "appeared", "disappeared", "edited", "article_changed", ...}]}.
public struct HistoryJSON: Encodable {
    struct Entry: Encodable {
        var number: Int
        var captured_at: Date
        var http_status: Int?
        var outcome: String
        var complete: Bool
        var problems: [ProblemJSON]
        var declared_count: Int?
        var comments: Int
        var appeared: [String]
        var disappeared: [String]
        var reappeared: [String]
        var edited: [String]
        var article_changed: Bool

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(number, forKey: .number)
            try c.encode(captured_at, forKey: .captured_at)
            try c.encode(http_status, forKey: .http_status)
            try c.encode(outcome, forKey: .outcome)
            try c.encode(complete, forKey: .complete)
            try c.encode(problems, forKey: .problems)
            try c.encode(declared_count, forKey: .declared_count)
            try c.encode(comments, forKey: .comments)
            try c.encode(appeared, forKey: .appeared)
            try c.encode(disappeared, forKey: .disappeared)
            try c.encode(reappeared, forKey: .reappeared)
            try c.encode(edited, forKey: .edited)
            try c.encode(article_changed, forKey: .article_changed)
        }
        enum CodingKeys: String, CodingKey {
            case number, captured_at, http_status, outcome, complete, problems, declared_count, comments, appeared,
                 disappeared, reappeared, edited, article_changed
        }
    }

    var url: String
    var captures: [Entry]

    public init(url: String, captures: [(CaptureInfo, CaptureChanges)]) {
        self.url = url
        self.captures = captures.map { info, ch in
            Entry(number: info.number, captured_at: info.capturedAt, http_status: info.httpStatus,
                  outcome: info.outcome.rawValue, complete: info.complete, problems: info.problems.map(ProblemJSON.init),
                  declared_count: info.declaredCount, comments: ch.present, appeared: ch.appeared,
                  disappeared: ch.disappeared, reappeared: ch.reappeared, edited: ch.edited,
                  article_changed: ch.articleChanged)
        }
    }
}

/// One human line per capture: what it changed and whether it can be trusted whole.
public struct CaptureLine {
    public var style: OutputStyle

    public init(style: OutputStyle) {
        self.style = style
    }

    public func render(_ info: CaptureInfo, _ ch: CaptureChanges) -> String {
        var parts: [String] = []
        parts.append(String(format: "#%-3d", info.number))
        parts.append(ISOTime.format(info.capturedAt))
        parts.append(info.httpStatus.map { "HTTP \($0)" } ?? "no response")
        switch info.outcome {
        case .unchanged:
            parts.append("unchanged (304)")
        case .gone:
            parts.append(style.red("page gone"))
        case .failed:
            parts.append(style.red("failed"))
        case .fetched:
            parts.append("\(ch.present) comment\(ch.present == 1 ? "" : "s")")
            var delta = style.green("+\(ch.appeared.count + ch.reappeared.count)") + " " + style.red("-\(ch.disappeared.count)")
                + " " + style.yellow("~\(ch.edited.count)")
            if ch.articleChanged { delta += " article changed" }
            parts.append(delta)
            if let d = info.declaredCount { parts.append("page says \(d)") }
        }
        parts.append(info.complete ? "complete" : style.yellow("INCOMPLETE"))
        var line = parts.joined(separator: "  ")
        let blocking = info.problems.filter { $0.severity == .incomplete }
        if !blocking.isEmpty {
            line += "  (" + blocking.map { TerminalText.safe($0.message) }.joined(separator: "; ") + ")"
        }
        return line
    }
}
