import Foundation
import PalimpsestCore
import PalimpsestHTML

struct ThreadResult {
    var thread: CommentThread
    /// The nodes that hold the thread (never part of the article body).
    var containers: [HTMLNode]
    var problems: [Problem]
}

/// The comment half: every comment, its author, time and place in the thread.
///
/// Comments are found by the numbers sites put in their ids (`comment-48101`, `div-comment-48101`, Blogger's
/// `c1234…`, SPIP's `forum81474`, wpDiscuz's `wc-comm-803440_0`, a class `fig-comment 16060957`): the outermost
/// element carrying a number is the comment, other elements with the same number outside it are part of it
/// (a Thesis `<dd>` beside its `<dt>`). Nesting comes from the markup in this order: wpDiscuz ids, a comment
/// inside another, Drupal's `indented` containers, and, in flat lists only, depth classes (`depth-3`).
/// Text, author and time are found through hint lists (`CommentSelectors`), inside the comment but outside
/// its replies.
struct ThreadExtractor {
    var rules: SiteRules
    /// The comments' elements, once found (a declared count is never inside one).
    var itemNodes: Set<HTMLNode> = []

    struct Item {
        var number: String
        var node: HTMLNode
        var extensions: [HTMLNode] = []
        var order: Int
        var wpDiscuzParent: String?
    }

    func extract(_ document: HTMLDocument, url: String?) -> ThreadResult {
        var reader = self
        return reader.extractThread(document, url: url)
    }

    private mutating func extractThread(_ document: HTMLDocument, url: String?) -> ThreadResult {
        if let rule = rules.rule(forURL: url), rule.commentXPath != nil {
            return RuleThreadExtractor(rule: rule).extract(document, url: url)
        }
        let scan = ThreadScan(document.root)
        var items = findItems(scan)
        let generic = items.isEmpty
        if generic { items = genericItems(scan) }
        itemNodes = Set(items.map(\.node) + items.flatMap(\.extensions))
        var comments = read(items: &items, document: document, url: url)
        for i in comments.indices where comments[i].id.isEmpty {
            comments[i].id = Comment.fingerprint(author: comments[i].author, posted: comments[i].posted ?? comments[i].postedText,
                                                 text: comments[i].text)
            comments[i].hasSiteID = false
        }
        comments = comments.filter { $0.kind != .comment || !$0.paragraphs.isEmpty || $0.author != nil }
        var thread = CommentThread(items: comments)
        let container = commentsContainer(scan, items: items)
        thread.declaredCount = declaredCount(scan, container: container)
        thread.pages = commentPages(document, url: url)
        thread.system = items.isEmpty ? nil : generic ? "generic" : system(scan, items: items)
        if comments.isEmpty, let widget = scriptWidget(document) {
            thread.inMarkup = false
            thread.scriptWidget = widget
        }
        var containers: [HTMLNode] = []
        if let container { containers.append(container) }
        containers += scan.places
        var problems: [Problem] = []
        if !thread.inMarkup {
            // Not "0 comments": the thread is elsewhere, so this capture proves nothing about it.
            problems.append(Problem("comments-by-script", "comments are loaded by a script (\(thread.scriptWidget ?? "a widget")), not in the markup"))
        }
        if let d = thread.declaredCount, d != thread.comments.count {
            problems.append(Problem("declared-count-differs", "the page says \(d) comments; \(thread.comments.count) are in the markup", severity: .warning))
        }
        return ThreadResult(thread: thread, containers: containers, problems: problems)
    }

    // MARK: - Finding the comments

    func findItems(_ scan: ThreadScan) -> [Item] {
        let candidates = scan.candidates
        var groups: [String: [HTMLNode]] = [:]
        var firstSeen: [String: Int] = [:]
        var wpDiscuz: [String: String] = [:]
        for (order, node) in candidates.enumerated() {
            guard let (number, parent) = ThreadExtractor.commentNumber(node) else { continue }
            let resolved = ThreadExtractor.promoteToListItem(ThreadExtractor.resolveAnchor(node))
            if isForeign(resolved) { continue }
            groups[number, default: []].append(resolved)
            if firstSeen[number] == nil { firstSeen[number] = order }
            if let parent { wpDiscuz[number] = parent }
        }
        var items: [Item] = []
        for (number, nodes) in groups {
            var unique: [HTMLNode] = []
            for n in nodes where !unique.contains(n) { unique.append(n) }
            let outer = unique.filter { n in !unique.contains { $0 != n && ThreadExtractor.contains($0, n) } }
            guard let main = outer.first else { continue }
            items.append(Item(number: number, node: main, extensions: Array(outer.dropFirst()), order: firstSeen[number] ?? 0,
                              wpDiscuzParent: wpDiscuz[number]))
        }
        items.sort { $0.order < $1.order }
        // An item nested in another item with the same node (two numbers on one element) is dropped.
        var seenNodes = Set<HTMLNode>()
        return items.filter { seenNodes.insert($0.node).inserted }
    }

    /// The comment number an element carries, and wpDiscuz's parent number.
    static func commentNumber(_ node: HTMLNode) -> (String, String?)? {
        if let id = node.attribute("id") ?? node.attribute("name") {
            let lower = id.lowercased()
            if lower.hasPrefix("wc-comm-"),
               let m = CommentSelectors.wpDiscuzID.firstMatch(in: id, range: NSRange(id.startIndex..., in: id)),
               let a = Range(m.range(at: 1), in: id), let b = Range(m.range(at: 2), in: id)
            {
                let parent = String(id[b])
                return (String(id[a]), parent == "0" ? nil : parent)
            }
            if lower.hasPrefix("c"), lower.count >= 8, lower.dropFirst().allSatisfy(\.isNumber) {
                return (String(lower.dropFirst()), nil)  // Blogger
            }
            if CommentSelectors.idWords.contains(where: { lower.has($0) }),
               !CommentSelectors.idStopWords.contains(where: { lower.has($0) }),
               let digits = firstDigitRun(lower), digits.count >= 2 || lower.hasSuffix(digits)
            {
                return (digits, nil)
            }
        }
        if let cls = node.attribute("class"), cls.lowercased().has("comment") {
            for token in cls.split(separator: " ") where token.count >= 5 && token.allSatisfy(\.isNumber) {
                return (String(token), nil)
            }
        }
        return nil
    }

    static func firstDigitRun(_ s: String) -> String? {
        var run = ""
        for ch in s {
            if ch.isASCII && ch.isNumber {
                run.append(ch)
            } else if !run.isEmpty {
                break
            }
        }
        return run.isEmpty ? nil : run
    }

    /// An empty anchor (`<a id="comment-5"></a>`) stands for the comment beside it: its parent when the parent
    /// holds no other comment's anchor, else the next element with text.
    static func resolveAnchor(_ node: HTMLNode) -> HTMLNode {
        guard node.hasName("a"), node.elementChildren.isEmpty,
              node.textContent.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else { return node }
        let number = commentNumber(node)?.0
        if let parent = node.parent, !classTokens(parent).contains("indented"),
           !parent.elementChildren.contains(where: { $0 != node && commentNumber($0).map { $0.0 != number } ?? false })
        {
            return parent
        }
        var next = node.nextSibling
        while let n = next {
            if n.isElement {
                if commentNumber(n).map({ $0.0 != number }) ?? false { break }
                if !n.textContent.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return n }
            }
            next = n.nextSibling
        }
        return node
    }

    /// A comment that is the first thing in a list item without a number of its own stands for that item:
    /// its replies sit in the item's nested list (`<li><div id="comment-5">…</div><ul class="children">`).
    static func promoteToListItem(_ node: HTMLNode) -> HTMLNode {
        guard let p = node.parent, p.hasName("li"), commentNumber(p) == nil, p.elementChildren.first == node else { return node }
        return p
    }

    static func contains(_ ancestor: HTMLNode, _ node: HTMLNode) -> Bool {
        var p = node.parent
        while let x = p {
            if x == ancestor { return true }
            p = x.parent
        }
        return false
    }

    static func classTokens(_ node: HTMLNode) -> [Substring] {
        (node.attribute("class") ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
    }

    /// Inside a sidebar, a "recent comments" widget, a list of most-commented stories...
    static let sidebarBytes = CommentSelectors.sidebarTokens.map { Array($0.utf8) }
    static let foreignWords = ByteWords(CommentSelectors.foreignContainers)

    func isForeign(_ node: HTMLNode) -> Bool {
        var p = node.parent
        // Bytes in place, no String per ancestor: this runs for every candidate of every scan.
        while let x = p, !x.hasName("body") {
            if x.idOrClassTokenIs(any: ThreadExtractor.sidebarBytes) || x.idOrClassContains(any: ThreadExtractor.foreignWords) {
                return true
            }
            p = x.parent
        }
        return false
    }

    // MARK: - Reading each comment

    func read(items: inout [Item], document: HTMLDocument, url: String?) -> [Comment] {
        var owner: [HTMLNode: Int] = [:]
        for (i, item) in items.enumerated() {
            owner[item.node] = i
            for e in item.extensions { owner[e] = i }
        }
        // Structure first: which item holds which.
        var structuralParent = [Int?](repeating: nil, count: items.count)
        var indented = [Int](repeating: 0, count: items.count)
        var depthClass = [Int?](repeating: nil, count: items.count)
        for (i, item) in items.enumerated() {
            var p = item.node.parent
            while let x = p {
                if let o = owner[x], o != i {
                    if structuralParent[i] == nil { structuralParent[i] = o }
                }
                if ThreadExtractor.classTokens(x).contains("indented") { indented[i] += 1 }
                p = x.parent
            }
            depthClass[i] = ThreadExtractor.depth(fromClass: item.node.attribute("class"))
        }
        let nested = structuralParent.contains { $0 != nil }

        var comments: [Comment] = []
        comments.reserveCapacity(items.count)
        var depths = [Int](repeating: 0, count: items.count)
        for (i, item) in items.enumerated() {
            var parentIndex: Int?
            if let wp = item.wpDiscuzParent {
                parentIndex = items.firstIndex { $0.number == wp }
            } else if let s = structuralParent[i] {
                parentIndex = s
            } else if indented[i] > 0 {
                parentIndex = (0..<i).reversed().first { indented[$0] == indented[i] - 1 }
            } else if !nested, let d = depthClass[i], d > 1 {
                parentIndex = (0..<i).reversed().first { depthClass[$0] == d - 1 }
            }
            var comment = CommentReader(item: item, owner: owner, index: i, url: url).read()
            if let p = parentIndex, p != i {
                comment.parent = items[p].number
                depths[i] = depths[p] + 1
            } else if let wp = item.wpDiscuzParent {
                comment.parent = wp  // its parent is not on this page
                depths[i] = max((depthClass[i] ?? 2) - 1, 1)
            } else if let d = depthClass[i] {
                depths[i] = max(d - 1, 0)  // an orphan keeps its depth: its parent is gone from the markup
            }
            comment.depth = depths[i]
            comments.append(comment)
        }
        return comments
    }

    static func depth(fromClass cls: String?) -> Int? {
        guard let cls else { return nil }
        let range = NSRange(cls.startIndex..., in: cls)
        guard let m = CommentSelectors.depthClass.firstMatch(in: cls, range: range), let r = Range(m.range(at: 1), in: cls)
        else { return nil }
        return Int(cls[r])
    }

    // MARK: - Around the thread

    func commentsContainer(_ scan: ThreadScan, items: [Item]) -> HTMLNode? {
        guard let first = items.first else { return scan.emptyThreadPlace }
        var p = first.node.parent
        var best: HTMLNode?
        while let x = p {
            let marks = ((x.attribute("id") ?? "") + " " + (x.attribute("class") ?? "")).lowercased()
            if ["comments", "comment-list", "commentlist", "kommentare", "commentaires", "reactions", "discussion", "forum"]
                .contains(where: { marks.contains($0) })
            {
                best = x
                if items.allSatisfy({ ThreadExtractor.contains(x, $0.node) || $0.node == x }) { return x }
            }
            p = x.parent
        }
        return best ?? first.node.parent
    }

    func isInsideItem(_ node: HTMLNode) -> Bool {
        var p: HTMLNode? = node
        while let x = p {
            if itemNodes.contains(x) { return true }
            p = x.parent
        }
        return false
    }

    func declaredCount(_ scan: ThreadScan, container: HTMLNode?) -> Int? {
        // Headings, and small elements whose class or id speaks of comments, a count or reactions.
        let labels = scan.labels
        var best: (score: Int, value: Int)?
        for node in labels {
            // A count label is small and never inside a comment.
            if node.elementChildCount(upTo: 5) > 4 || isInsideItem(node) || isForeign(node) { continue }
            if node.hasName("a"), let href = node.attribute("href"), !href.hasPrefix("#") { continue }
            // At most 80 characters once folded: a text of kilobytes is never gathered to learn that.
            guard let raw = node.text(maxBytes: ThreadExtractor.labelBytes) else { continue }
            let text = CommentText.fold(raw)
            let inside = container.map { ThreadExtractor.contains($0, node) || $0 == node } ?? false
            // A bare number in a count element of the thread (wpDiscuz's `wpd-cc-value`).
            let cls = (node.attribute("class") ?? "").lowercased()
            if inside, !text.isEmpty, text.count <= 7, text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "," }),
               cls.has("count") || cls.has("cc-value"), let value = Int(text.filter(\.isNumber))
            {
                if best == nil || 3 > best!.score { best = (3, value) }
                continue
            }
            guard !text.isEmpty, text.count <= 80, let value = ThreadExtractor.count(in: text) else { continue }
            let score = (inside ? 2 : 0) + (node.hasName("h2") || node.hasName("h3") || node.hasName("h4") ? 1 : 0)
            if best == nil || score > best!.score { best = (score, value) }
        }
        return best?.value
    }

    /// The longest text (in bytes, spaces included) read as a count label.
    static let labelBytes = 2_000

    static func count(in text: String) -> Int? {
        // Most headings have no digit and start with none of the words of "no comment" / "one comment": no
        // regular expression needs to run on them (NSRegularExpression is slow on Linux).
        // ASCII digits by value; only other scalars need the Unicode property (a slow table lookup).
        if !text.unicodeScalars.contains(where: { $0.isASCII ? $0.value >= 48 && $0.value <= 57 : $0.properties.numericType == .decimal }) {
            let start = text.prefix(8).lowercased()
            guard CommentSelectors.countWithoutDigitStarts.contains(where: { start.hasPrefix($0) }) else { return nil }
        }
        let range = NSRange(text.startIndex..., in: text)
        if CommentSelectors.noComment.firstMatch(in: text, range: range) != nil { return 0 }
        if CommentSelectors.oneComment.firstMatch(in: text, range: range) != nil { return 1 }
        guard let m = CommentSelectors.declaredCount.firstMatch(in: text, range: range) else { return nil }
        for g in 1...2 {
            if let r = Range(m.range(at: g), in: text) {
                let digits = text[r].filter { $0.isASCII && $0.isNumber }
                return Int(digits)
            }
        }
        return nil
    }

    func commentPages(_ document: HTMLDocument, url: String?) -> [String] {
        guard let url, let base = URL(string: url) else { return [] }
        let basePath = ThreadExtractor.postPath(base.path)
        var out: [String] = []
        let page = Array("page".utf8)
        for node in document.select("//a[@href]") {
            // Every form of a comment-page link says "page": the regular expression only runs on those.
            guard node.withAttributeBytes("href", { HTMLNode.contains($0, page) }) == true,
                  let href = node.attribute("href") else { continue }
            let range = NSRange(href.startIndex..., in: href)
            guard CommentSelectors.commentPageLink.firstMatch(in: href, range: range) != nil,
                  let target = URL(string: href, relativeTo: base)?.absoluteURL,
                  target.host == base.host, ThreadExtractor.postPath(target.path) == basePath
            else { continue }
            var c = URLComponents(url: target, resolvingAgainstBaseURL: true)
            c?.fragment = nil
            guard let s = c?.string, s != url, !out.contains(s) else { continue }
            var current = URLComponents(string: url)
            current?.fragment = nil
            if s == current?.string { continue }
            out.append(s)
        }
        return out
    }

    /// The post's path without its comment-page part: "/2025/11/05/x/comment-page-2/" → "/2025/11/05/x".
    static func postPath(_ path: String) -> String {
        var p = path
        if let r = p.range(of: "/comment-page-", options: .caseInsensitive) { p = String(p[..<r.lowerBound]) }
        while p.hasSuffix("/") { p.removeLast() }
        return p
    }

    func system(_ scan: ThreadScan, items: [Item]) -> String? {
        guard let first = items.first else { return nil }
        if first.wpDiscuzParent != nil || (first.node.attribute("id") ?? "").hasPrefix("wc-comm-") { return "wpdiscuz" }
        let cls = (first.node.attribute("class") ?? "") + " " + (first.node.attribute("id") ?? "")
        if cls.has("depth-") || scan.wordPressList {
            return "wordpress"
        }
        if (first.node.attribute("id") ?? "").hasPrefix("c"), cls.has("comment") { return "blogger" }
        if cls.has("comment-li") || (first.node.attribute("id") ?? "").hasPrefix("forum") { return "spip" }
        if scan.drupalIndented || first.node.attribute("typeof") == "schema:Comment" {
            return "drupal"
        }
        return "generic"
    }

    /// The script widgets' needles as UTF-8, in the order of `CommentSelectors.scriptWidgets`.
    static let widgetNeedles = CommentSelectors.scriptWidgets.map { Array($0.1.utf8) }
    static let widgetWords = ByteWords(CommentSelectors.scriptWidgets.map(\.1))

    func scriptWidget(_ document: HTMLDocument) -> String? {
        // Script and iframe sources, inline scripts (their first 4,000 bytes), div ids and classes: bytes
        // searched in place, without case, in one walk; the first widget of the list found anywhere wins.
        let needles = ThreadExtractor.widgetNeedles
        var found: Int?
        var lowered = [UInt8](repeating: 0, count: 4000)
        func look(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard bytes.count > 64 else {
                // Short values (ids, classes, most sources): one pass over the bytes for all the needles.
                if let k = ThreadExtractor.widgetWords.lowestMatch(in: bytes, below: found ?? needles.count) { found = k }
                return
            }
            // Long ones: lower-cased once, then memmem per needle (vectorised in libc).
            let count = min(bytes.count, 4000)
            lowered.withUnsafeMutableBufferPointer { out in
                for i in 0..<count { out[i] = HTMLNode.lower(bytes[i]) }
            }
            lowered.withUnsafeBytes { hay in
                needles.withUnsafeBufferPointer { needles in
                    for i in 0..<min(found ?? needles.count, needles.count) {
                        if needles[i].withUnsafeBytes({ cMemmem(hay.baseAddress, count, $0.baseAddress, $0.count) }) != nil {
                            found = i
                            return
                        }
                    }
                }
            }
        }
        document.root?.forEachElement { node in
            switch ArticleTag(node) {
            case .script:
                if node.withAttributeBytes("src", look) == nil { _ = node.firstChild?.withTextBytes(look) }
            case .iframe:
                _ = node.withAttributeBytes("src", look)
            case .div:
                _ = node.withAttributeBytes("id", look)
                _ = node.withAttributeBytes("class", look)
            default:
                break
            }
        }
        return found.map { CommentSelectors.scriptWidgets[$0].0 }
    }
}
