import Foundation
import PalimpsestCore

/// `diff --json`: {"from", "to", "article": {"changed", "added", "removed"}, "comments": {"added", "removed",
/// "edited": [{"id", "before", "after"}], "moved"}}.
public struct DiffJSON: Encodable {
    public struct CaptureRefJSON: Encodable {
        var number: Int
        var captured_at: Date
        var complete: Bool
    }
    struct ArticleJSON: Encodable {
        var changed: Bool
        var title: TitleChange?
        var added: [String]
        var removed: [String]
    }
    struct TitleChange: Encodable {
        var before: String?
        var after: String?
    }
    struct CommentsJSON: Encodable {
        var added: [DiffComment]
        var removed: [DiffComment]
        var edited: [EditJSON]
        var moved: [MoveJSON]
    }
    struct EditJSON: Encodable {
        var id: String
        var before: DiffComment
        var after: DiffComment
    }
    struct MoveJSON: Encodable {
        var id: String
        var from_parent: String?
        var to_parent: String?
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(from_parent, forKey: .from_parent)
            try c.encode(to_parent, forKey: .to_parent)
        }
        enum CodingKeys: String, CodingKey { case id, from_parent, to_parent }
    }

    var url: String
    var from: CaptureRefJSON
    var to: CaptureRefJSON
    var article: ArticleJSON
    var comments: CommentsJSON

    public init(url: String, diff d: ThreadDiff) {
        self.url = url
        from = CaptureRefJSON(number: d.from.number, captured_at: d.from.capturedAt, complete: d.from.complete)
        to = CaptureRefJSON(number: d.to.number, captured_at: d.to.capturedAt, complete: d.to.complete)
        article = ArticleJSON(
            changed: d.articleChanged,
            title: d.titleBefore == d.titleAfter ? nil : TitleChange(before: d.titleBefore, after: d.titleAfter),
            added: d.addedParagraphs, removed: d.removedParagraphs)
        comments = CommentsJSON(
            added: d.added.map(DiffComment.init), removed: d.removed.map(DiffComment.init),
            edited: d.edited.map { EditJSON(id: $0.after.id, before: DiffComment($0.before), after: DiffComment($0.after)) },
            moved: d.moved.map { MoveJSON(id: $0.comment.id, from_parent: $0.fromParent, to_parent: $0.toParent) })
    }
}

/// A comment in diff and history JSON: {"id", "parent", "author", "posted", "text"} (nulls kept).
public struct DiffComment: Encodable, Hashable {
    var id: String
    var parent: String?
    var author: String?
    var posted: String?
    var text: String
    var kind: String

    public init(_ c: Comment) {
        id = c.id
        parent = c.parent
        author = c.author
        posted = c.posted ?? c.postedText
        text = c.text
        kind = c.kind.rawValue
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(parent, forKey: .parent)
        try c.encode(author, forKey: .author)
        try c.encode(posted, forKey: .posted)
        try c.encode(text, forKey: .text)
        try c.encode(kind, forKey: .kind)
    }
    enum CodingKeys: String, CodingKey { case id, parent, author, posted, text, kind }
}

/// The human diff: a threaded view of what changed, with + - ~ marks and word-level changes in edits.
/// Unchanged comments appear only as the context of a changed reply (their header line, dimmed).
public struct DiffText {
    public var renderer: TextRenderer

    public init(renderer: TextRenderer) {
        self.renderer = renderer
    }

    public func render(url: String, diff d: ThreadDiff) -> String {
        let style = renderer.style
        func safe(_ s: String) -> String { TerminalText.safe(s) }
        /// A paragraph on one line: its line breaks shown as " / ".
        func oneLine(_ p: String) -> String {
            p.split(separator: "\n", omittingEmptySubsequences: false).map { safe(String($0)) }.joined(separator: " / ")
        }
        var out: [String] = []
        out.append(style.bold(safe(url)))
        out.append("from capture \(d.from.number) (\(ISOTime.format(d.from.capturedAt))) to capture \(d.to.number) (\(ISOTime.format(d.to.capturedAt)))")
        out.append("comments: " + style.green("+\(d.added.count)") + " " + style.red("-\(d.removed.count)") + " "
            + style.yellow("~\(d.edited.count)") + (d.moved.isEmpty ? "" : " ↷\(d.moved.count) moved")
            + " · article " + (d.articleChanged ? style.yellow("changed") : "unchanged"))
        if d.isEmpty {
            out.append("\nNo change.")
            return out.joined(separator: "\n")
        }
        if d.articleChanged {
            out.append("\n" + style.bold("Article"))
            if d.titleBefore != d.titleAfter {
                out.append(style.red("- title: " + safe(d.titleBefore ?? "")))
                out.append(style.green("+ title: " + safe(d.titleAfter ?? "")))
            }
            if d.bylineBefore != d.bylineAfter {
                out.append(style.red("- byline: " + safe(d.bylineBefore ?? "")))
                out.append(style.green("+ byline: " + safe(d.bylineAfter ?? "")))
            }
            for p in d.removedParagraphs { out.append(style.red("- " + safe(p))) }
            for p in d.addedParagraphs { out.append(style.green("+ " + safe(p))) }
        }
        let addedIDs = Set(d.added.map(\.id))
        let removedIDs = Set(d.removed.map(\.id))
        let edits = Dictionary(d.edited.map { ($0.after.id, $0) }, uniquingKeysWith: { a, _ in a })
        let moves = Dictionary(d.moved.map { ($0.comment.id, $0) }, uniquingKeysWith: { a, _ in a })
        let changed = addedIDs.union(removedIDs).union(edits.keys).union(moves.keys)
        guard !changed.isEmpty else { return out.joined(separator: "\n") }
        // Context: the ancestors of every changed comment.
        let byID = Dictionary(d.merged.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var context = Set<String>()
        for id in changed {
            var p = byID[id]?.parent
            var guardCount = 0
            while let pid = p, guardCount < 1000, !context.contains(pid) {
                context.insert(pid)
                p = byID[pid]?.parent
                guardCount += 1
            }
        }
        out.append("\n" + style.bold("Comments"))
        for c in d.merged where changed.contains(c.id) || context.contains(c.id) {
            let pad = String(repeating: " ", count: c.depth * renderer.indentWidth)
            if addedIDs.contains(c.id) {
                out.append(style.green("+ " + pad + plain(renderer.commentHeader(c))))
                for p in c.paragraphs { out.append(style.green("+ " + pad + "  " + oneLine(p))) }
            } else if removedIDs.contains(c.id) {
                out.append(style.red("- " + pad + plain(renderer.commentHeader(c))))
                for p in c.paragraphs { out.append(style.red("- " + pad + "  " + oneLine(p))) }
            } else if let e = edits[c.id] {
                out.append(style.yellow("~ ") + pad + renderer.commentHeader(c))
                out.append("  " + pad + "  " + words(before: e.before.text, after: e.after.text))
                if e.before.author != e.after.author {
                    out.append("  " + pad + "  author: " + safe(e.before.author ?? "") + " → " + safe(e.after.author ?? ""))
                }
            } else if let m = moves[c.id] {
                out.append("↷ " + pad + renderer.commentHeader(c) + "  reply to #\(safe(m.fromParent ?? "top")) → #\(safe(m.toParent ?? "top"))")
            } else {
                out.append(style.dim("  " + pad + plain(renderer.commentHeader(c))))
            }
        }
        return out.joined(separator: "\n")
    }

    /// A header line without the renderer's own colouring (the whole line is coloured instead).
    private func plain(_ s: String) -> String {
        guard renderer.style.color else { return s }
        var out = ""
        var inEscape = false
        for ch in s.unicodeScalars {
            if ch == "\u{1B}" { inEscape = true; continue }
            if inEscape { if ch == "m" { inEscape = false }; continue }
            out.unicodeScalars.append(ch)
        }
        return out
    }

    /// Word-level changes: [-removed-]{+added+} without colour, red and green with it.
    func words(before: String, after: String) -> String {
        let style = renderer.style
        return WordDiff.pieces(before: before, after: after).map { piece in
            switch piece {
            case .same(let w): return TerminalText.safe(w)
            case .removed(let w): return style.color ? style.strike(TerminalText.safe(w)) : "[-" + TerminalText.safe(w) + "-]"
            case .added(let w): return style.color ? style.green(TerminalText.safe(w)) : "{+" + TerminalText.safe(w) + "+}"
            }
        }.joined(separator: " ")
    }
}
