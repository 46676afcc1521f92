import Foundation
import PalimpsestCore

/// Plain-text rendering of articles and threads, shared by `extract`, `restore` and `diff`.
/// Every piece of web text goes through `TerminalText.safe` here, and nowhere else.
public struct TextRenderer: Sendable {
    public var style: OutputStyle
    /// Spaces per level of nesting.
    public var indentWidth = 4

    public init(style: OutputStyle) {
        self.style = style
    }

    func safe(_ s: String) -> String { TerminalText.safe(s) }

    /// Title, then byline and dates, then the body blocks separated by blank lines.
    public func article(_ a: Article, source: String? = nil) -> String {
        var lines: [String] = []
        lines.append(style.bold(safe(a.title ?? "(no title)")))
        var meta: [String] = []
        if let b = a.byline, !b.isEmpty { meta.append("By \(safe(b))") }
        if let p = a.published { meta.append("published \(safe(p))") }
        if let m = a.modified, m != a.published { meta.append("modified \(safe(m))") }
        if !meta.isEmpty { lines.append(meta.joined(separator: " · ")) }
        var facts: [String] = []
        if let s = a.siteName { facts.append(safe(s)) }
        if let l = a.language { facts.append("language \(safe(l))") }
        if let c = a.canonicalURL { facts.append(safe(c)) }
        if !facts.isEmpty { lines.append(style.dim(facts.joined(separator: " · "))) }
        if let source { lines.append(style.dim(source)) }
        var out = lines.joined(separator: "\n")
        for block in a.blocks {
            out += "\n\n" + self.block(block)
        }
        return out
    }

    func block(_ b: Block) -> String {
        let t = b.text.split(separator: "\n", omittingEmptySubsequences: false).map { safe(String($0)) }.joined(separator: "\n")
        switch b.kind {
        case .heading: return style.bold(t)
        case .listItem: return "• " + t
        case .quote: return "> " + t
        case .preformatted, .paragraph: return t
        }
    }

    /// One comment's header line: author, time, id and marks.
    public func commentHeader(_ c: Comment, marks: [String] = []) -> String {
        var parts = [style.bold(safe(c.author ?? "(anonymous)"))]
        if let p = c.posted ?? c.postedText { parts.append(safe(p)) }
        parts.append(style.dim("#" + safe(c.id)))
        switch c.kind {
        case .pingback: parts.append("[pingback]")
        case .trackback: parts.append("[trackback]")
        case .placeholder: parts.append("[removed by the site]")
        case .comment: break
        }
        parts += marks
        return parts.joined(separator: " · ")
    }

    /// A comment: its header, then its paragraphs, indented by depth.
    public func comment(_ c: Comment, depth: Int, prefix: String = "  ", marks: [String] = []) -> String {
        let pad = String(repeating: " ", count: depth * indentWidth)
        var lines = [prefix + pad + commentHeader(c, marks: marks)]
        for p in c.paragraphs {
            for line in p.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(prefix + pad + "  " + safe(String(line)))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A whole thread in thread order, replies indented under their parents.
    public func thread(_ comments: [Comment]) -> String {
        comments.map { comment($0, depth: $0.depth) }.joined(separator: "\n\n")
    }
}
