import Foundation
import PalimpsestCore

/// `restore`: the article and its thread as they stood at one capture.
public struct RestoreReport {
    public enum Format: String, CaseIterable, Sendable {
        case text, markdown, json
    }

    public var snapshot: Snapshot
    public var renderer: TextRenderer

    public init(snapshot: Snapshot, renderer: TextRenderer) {
        self.snapshot = snapshot
        self.renderer = renderer
    }

    var source: String {
        let c = snapshot.capture
        return "Restored from capture \(c.number) of \(TerminalText.safe(snapshot.url)) at \(ISOTime.format(c.capturedAt))"
            + (c.complete ? "" : " (incomplete capture)")
    }

    /// Plain text: title; byline and dates; the capture; body paragraphs; then the thread, replies indented.
    public var text: String {
        var out = renderer.article(snapshot.article, source: source)
        let present = snapshot.comments.filter(\.present)
        let gone = snapshot.comments.count - present.count
        out += "\n\n" + String(repeating: "─", count: 60) + "\n"
        out += "\(present.count) comment\(present.count == 1 ? "" : "s")"
        if gone > 0 { out += ", and \(gone) gone by then (shown marked)" }
        out += "\n"
        for state in snapshot.comments {
            var marks: [String] = []
            if !state.present, let d = state.disappearedAt {
                marks.append(renderer.style.red("[disappeared at capture \(d.number), \(ISOTime.format(d.capturedAt))]"))
            }
            if state.orphan { marks.append("[reply to a removed comment]") }
            out += "\n" + renderer.comment(state.comment, depth: state.comment.depth, marks: marks) + "\n"
        }
        return out
    }

    /// Markdown: the same content, headings and quotes for nesting.
    public var markdown: String {
        let a = snapshot.article
        func md(_ s: String) -> String { TerminalText.safe(s, keepNewlines: true) }
        var out = "# \(md(a.title ?? "(no title)"))\n\n"
        var meta: [String] = []
        if let b = a.byline { meta.append("By \(md(b))") }
        if let p = a.published { meta.append("published \(md(p))") }
        if let m = a.modified, m != a.published { meta.append("modified \(md(m))") }
        if !meta.isEmpty { out += "*" + meta.joined(separator: " · ") + "*\n\n" }
        out += "_\(source)_\n\n"
        for b in a.blocks {
            switch b.kind {
            case .heading: out += "## \(md(b.text))\n\n"
            case .listItem: out += "- \(md(b.text))\n\n"
            case .quote: out += "> \(md(b.text))\n\n"
            case .preformatted: out += "```\n\(md(b.text))\n```\n\n"
            case .paragraph: out += "\(md(b.text))\n\n"
            }
        }
        out += "## Comments (\(snapshot.comments.filter(\.present).count))\n\n"
        for s in snapshot.comments {
            let c = s.comment
            let quote = String(repeating: "> ", count: c.depth)
            var head = "**\(md(c.author ?? "(anonymous)"))**"
            if let p = c.posted ?? c.postedText { head += " · \(md(p))" }
            head += " · #\(md(c.id))"
            if !s.present, let d = s.disappearedAt { head += " · ~~disappeared at capture \(d.number)~~" }
            if s.orphan { head += " · reply to a removed comment" }
            out += quote + head + "\n" + quote + "\n"
            for p in c.paragraphs { out += quote + md(p) + "\n" + quote + "\n" }
            out += "\n"
        }
        return out
    }

    /// JSON: {"url", "capture", "article", "comments": [{... "present", "appeared_at", "disappeared_at", "orphan"}]}.
    public func json() throws -> String {
        try JSONOutput.encode(RestoreJSON(snapshot))
    }
}

struct RestoreJSON: Encodable {
    struct CaptureJSON: Encodable {
        var number: Int
        var captured_at: Date
        var complete: Bool
        var http_status: Int?
    }
    struct ArticleJSON: Encodable {
        var title, byline, published, modified, language, site_name, canonical_url: String?
        var paragraphs: [String]
    }
    struct StateJSON: Encodable {
        var comment: CommentJSON
        var present: Bool
        var appeared_at: Int
        var disappeared_at: Int?
        var orphan: Bool
    }
    var url: String
    var capture: CaptureJSON
    var article: ArticleJSON
    var comments: [StateJSON]

    init(_ s: Snapshot) {
        url = s.url
        capture = CaptureJSON(number: s.capture.number, captured_at: s.capture.capturedAt, complete: s.capture.complete,
                              http_status: s.capture.httpStatus)
        let a = s.article
        article = ArticleJSON(title: a.title, byline: a.byline, published: a.published, modified: a.modified,
                              language: a.language, site_name: a.siteName, canonical_url: a.canonicalURL,
                              paragraphs: a.paragraphs)
        comments = s.comments.map {
            StateJSON(comment: CommentJSON($0.comment), present: $0.present, appeared_at: $0.appearedAt,
                      disappeared_at: $0.disappearedAt?.number, orphan: $0.orphan)
        }
    }
}
