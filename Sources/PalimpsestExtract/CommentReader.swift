import Foundation
import PalimpsestCore
import PalimpsestHTML

/// Reads one comment: its own region is its element (and any extension) less the comments nested in it.
struct CommentReader {
    let item: ThreadExtractor.Item
    let owner: [HTMLNode: Int]
    let index: Int
    let url: String?

    /// What one walk over the region found: the first element for each hint, the first <time>, links.
    struct Found {
        var text: [String: HTMLNode] = [:]
        var author: [String: HTMLNode] = [:]
        var time: [String: HTMLNode] = [:]
        var timeElement: HTMLNode?
        var dateCreated: String?
        var fallbackAuthor: HTMLNode?
        var profileLink: HTMLNode?
        /// An element that names the author in an attribute (`data-username`).
        var namedAuthor: HTMLNode?
        var permalink: String?
    }

    func read() -> Comment {
        var found = Found()
        for root in [item.node] + item.extensions { scan(root, &found) }
        let kind = kindOfItem()
        // Text.
        var content: HTMLNode?
        for hint in CommentSelectors.textHints { if let n = found.text[hint] { content = n; break } }
        let authorNode = found.namedAuthor ?? CommentSelectors.authorHints.lazy.compactMap { found.author[$0] }
            .first { $0 != content && !CommentText.fold($0.textContent).isEmpty && !CommentText.isReplyContext($0) }
            ?? found.profileLink ?? found.fallbackAuthor
        var paragraphs = CommentText.paragraphs(content ?? item.node, skip: { node in
            if let o = owner[node], o != index { return true }
            if node == authorNode { return true }
            return content == nil && CommentText.isMeta(node)
        })
        if content == nil, paragraphs.isEmpty {
            for e in item.extensions { paragraphs += CommentText.paragraphs(e, skip: { owner[$0].map { $0 != index } ?? false }) }
        }
        // Author.
        var author = authorNode.flatMap(CommentText.author(in:))
        if author?.isEmpty == true { author = nil }
        let authorURL = authorNode.flatMap { n -> String? in
            if n.hasName("a") { return n.attribute("href") }
            for c in n.children where c.hasName("a") { return c.attribute("href") }
            if let p = n.parent, p.hasName("a") { return p.attribute("href") }
            return nil
        }
        // Time.
        var posted: String?
        var postedText: String?
        if let t = found.timeElement {
            let text = CommentText.fold(t.textContent)
            postedText = text.isEmpty ? nil : text
            if let dt = t.attribute("datetime"), CommentText.looksISO(dt) { posted = dt }
            else if let dt = t.attribute("datetime"), postedText == nil { postedText = dt }
        }
        if posted == nil, let dc = found.dateCreated, CommentText.looksISO(dc) { posted = dc }
        if postedText == nil {
            for hint in CommentSelectors.timeHints {
                if let n = found.time[hint] {
                    let text = CommentText.fold(n.textContent)
                    if !text.isEmpty, text.count < 80 { postedText = text; break }
                }
            }
        }
        var comment = Comment(id: item.number, hasSiteID: true, author: author, authorURL: authorURL, posted: posted,
                              postedText: postedText, paragraphs: paragraphs, permalink: found.permalink.map(absolute),
                              kind: kind)
        if kind == .comment, let first = paragraphs.first, paragraphs.count <= 2,
           CommentSelectors.placeholder.firstMatch(in: first, range: NSRange(first.startIndex..., in: first)) != nil
        {
            comment.kind = .placeholder
            comment.paragraphs = []
        }
        return comment
    }

    func kindOfItem() -> Comment.Kind {
        let tokens = ThreadExtractor.classTokens(item.node).map { $0.lowercased() }
        if tokens.contains(where: { $0 == "pingback" || $0.hasSuffix("-pingback") }) { return .pingback }
        if tokens.contains(where: { $0 == "trackback" || $0.hasSuffix("-trackback") }) { return .trackback }
        return .comment
    }

    func absolute(_ href: String) -> String {
        guard let url, let base = URL(string: url), let u = URL(string: href, relativeTo: base) else { return href }
        return u.absoluteString
    }

    /// One walk over the region (not into nested comments): the first element matching each hint.
    func scan(_ root: HTMLNode, _ found: inout Found) {
        var stack: [HTMLNode] = [root]
        var steps = 0
        while let node = stack.popLast(), steps < 20_000 {
            steps += 1
            guard node.isElement else { continue }
            if node != root, let o = owner[node], o != index { continue }
            let cls = node.attribute("class")
            var marks = cls == nil ? [] : ThreadExtractor.classTokens(node).map(String.init)
            if let id = node.attribute("id") { marks.append(id) }
            if let p = node.attribute("property") { marks.append(p) }
            if let p = node.attribute("itemprop") { marks.append(p) }
            for m in marks {
                if found.text[m] == nil, CommentSelectors.textHints.contains(m), node != root { found.text[m] = node }
                if found.author[m] == nil, CommentSelectors.authorHints.contains(m), node != root { found.author[m] = node }
                if found.time[m] == nil, CommentSelectors.timeHints.contains(m) { found.time[m] = node }
            }
            if node.hasName("time"), found.timeElement == nil { found.timeElement = node }
            if found.namedAuthor == nil, node.attribute("data-username") != nil || node.attribute("data-author") != nil {
                found.namedAuthor = node
            }
            if found.dateCreated == nil, node.attribute("property") == "schema:dateCreated" || node.attribute("itemprop") == "dateCreated" {
                found.dateCreated = node.attribute("content") ?? node.attribute("datetime")
            }
            if found.fallbackAuthor == nil, node.hasName("strong") || node.hasName("cite") || node.hasName("h6") || node.hasName("h5") {
                found.fallbackAuthor = node
            }
            if found.profileLink == nil, node.hasName("a"), let href = node.attribute("href")?.lowercased(),
               node.attribute("rel") == "author" || ["/profile", "/user/", "/users/", "/member", "/members/", "/u/", "/benutzer/", "/author/"]
                .contains(where: { href.contains($0) }),
               !CommentText.fold(node.textContent).isEmpty
            {
                found.profileLink = node
            }
            if found.permalink == nil, node.hasName("a"), let href = node.attribute("href"), href.has("#"),
               href.contains(item.number)
            {
                found.permalink = href
            }
            let children = node.elementChildren
            for c in children.reversed() { stack.append(c) }
        }
    }
}

/// Text as published: ASCII white space folded inside a paragraph, everything else kept (U+00A0, quotes...).
enum CommentText {
    static func fold(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var space = false
        for scalar in s.unicodeScalars {
            switch scalar {
            case " ", "\t", "\n", "\r", "\u{0C}":
                space = !out.isEmpty
            default:
                if space { out.unicodeScalars.append(" ") }
                space = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let blocks: Set<String> = ["p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "ul", "ol",
                                      "section", "article", "dd", "dt", "table", "tr"]

    static func isMeta(_ node: HTMLNode) -> Bool {
        let tokens = ThreadExtractor.classTokens(node).map(String.init)
        return tokens.contains { CommentSelectors.notTextHints.contains($0) } || CommentSelectors.notTextTags.contains(node.name)
    }

    /// The paragraphs under `root`: blocks and <br> break them; actions, meta and quotes of others are skipped.
    static func paragraphs(_ root: HTMLNode, skip: (HTMLNode) -> Bool) -> [String] {
        var paragraphs: [String] = []
        var current = ""
        var breaks = 0  // <br> seen since the last text: one is a line break, two start a new paragraph
        func flush() {
            let lines = current.split(separator: "\u{0}", omittingEmptySubsequences: false).map { fold(String($0)) }
            let t = lines.drop { $0.isEmpty }.reversed().drop { $0.isEmpty }.reversed().joined(separator: "\n")
            if !t.isEmpty { paragraphs.append(t) }
            current = ""
            breaks = 0
        }
        // Iterative walk with explicit exits to flush after blocks.
        enum Step { case enter(HTMLNode), exit }
        var stack: [Step] = [.enter(root)]
        var steps = 0
        while let step = stack.popLast(), steps < 200_000 {
            steps += 1
            switch step {
            case .exit:
                flush()
            case .enter(let node):
                if node.isText {
                    let text = node.ownText ?? ""
                    if !fold(text).isEmpty { breaks = 0 }
                    current += text
                    continue
                }
                guard node.isElement else { continue }
                if node != root {
                    if skip(node) { continue }
                    let tokens = ThreadExtractor.classTokens(node).map(String.init)
                    if tokens.contains(where: { CommentSelectors.notTextHints.contains($0) }) { continue }
                    if CommentSelectors.notTextTags.contains(node.name) { continue }
                    if node.hasName("blockquote"), tokens.contains(where: { $0.lowercased().has("quote") }) { continue }
                }
                if node.hasName("br") {
                    breaks += 1
                    if breaks >= 2 { flush() } else { current += "\u{0}" }  // a line break (libxml2 text never holds NUL)
                    continue
                }
                let isBlock = blocks.contains(node.name)
                if isBlock {
                    flush()
                    stack.append(.exit)
                }
                for c in Array(node.children).reversed() { stack.append(.enter(c)) }
            }
        }
        flush()
        return paragraphs
    }

    /// The author's name in an author element: a `data-username`, else a name-like child (`.fn`, <strong>,
    /// <cite>, a profile link), else the element's own text without times, reply links and "says".
    static func author(in node: HTMLNode) -> String? {
        for attr in ["data-username", "data-author", "data-name"] {
            if let v = node.attribute(attr).map(fold), !v.isEmpty { return v }
        }
        var preferred: [HTMLNode] = []
        var stack = Array(node.elementChildren.reversed())
        var steps = 0
        while let n = stack.popLast(), steps < 200 {
            steps += 1
            let tokens = ThreadExtractor.classTokens(n).map { $0.lowercased() }
            if n.hasName("time") || tokens.contains(where: { CommentSelectors.timeHints.contains($0) || $0.has("reply") }) { continue }
            let named = tokens.contains { ["fn", "name", "author-name", "username", "nickname"].contains($0) }
            if named || n.hasName("strong") || n.hasName("b") || n.hasName("cite") {
                preferred.append(n)
            } else if n.hasName("a"), !(n.attribute("href") ?? "").has("#"), n.elementChildren.allSatisfy({ !$0.hasName("img") && !$0.hasName("time") }) {
                preferred.append(n)
            }
            stack += n.elementChildren.reversed()
        }
        for p in preferred {
            let t = cleanAuthor(fold(p.textContent))
            if !t.isEmpty { return t }
        }
        let own = paragraphs(node, skip: { n in
            n.hasName("time") || n.hasName("img")
                || ThreadExtractor.classTokens(n).contains { CommentSelectors.timeHints.contains(String($0)) || $0.has("reply") || $0 == "says" }
        }).joined(separator: " ")
        let t = cleanAuthor(own)
        return t.isEmpty ? nil : t
    }

    /// Inside "In reply to: <a class="fn">…</a>": the name of what is answered, not of the author.
    static func isReplyContext(_ node: HTMLNode) -> Bool {
        var before = ""
        var sibling = node.previousSibling
        while let x = sibling, before.count < 200 {
            before = (x.isText ? (x.ownText ?? "") : x.textContent) + before
            sibling = x.previousSibling
        }
        let text = fold(before).lowercased()
        return ["réponse à", "reply to", "in response to", "antwort auf", "replying to", "en respuesta a", "رد على"]
            .contains { text.contains($0) }
    }

    /// "Karim B. dit :" → "Karim B."; ", par voltaire" → "voltaire"; "Soumis par X, le lundi" → handled by hints.
    static func cleanAuthor(_ raw: String) -> String {
        var s = raw
        if let bar = s.range(of: " | "), s[bar.upperBound...].contains(where: \.isNumber) { s = String(s[..<bar.lowerBound]) }
        for suffix in [" says:", " says", " dit :", " dit:", " sagt:", " schreibt:", " a écrit :", " wrote:", ":"] where s.hasSuffix(suffix) {
            s = String(s.dropLast(suffix.count))
        }
        s = s.trimmingCharacters(in: CharacterSet(charactersIn: " ,;:-–—·|").union(.whitespaces))
        for prefix in ["par ", "Par ", "by ", "By ", "von ", "Von ", "Soumis par "] where s.hasPrefix(prefix) {
            s = String(s.dropFirst(prefix.count))
        }
        return s.trimmingCharacters(in: .whitespaces)
    }

    /// "2025-11-05T09:00:00+01:00", "2019-07-02T06:19:20Z", "2023-11-02T1643", "2020-04-21".
    static func looksISO(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count >= 10 else { return false }
        func digit(_ i: Int) -> Bool { u[i] >= 48 && u[i] <= 57 }
        return digit(0) && digit(1) && digit(2) && digit(3) && u[4] == 45 && digit(5) && digit(6) && u[7] == 45 && digit(8) && digit(9)
    }
}
