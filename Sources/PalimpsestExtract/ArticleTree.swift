import PalimpsestHTML

/// Text measures of an element's subtree, summed bottom-up in one pass (no repeated `textContent`).
struct TextStats {
    /// Characters of text, each whitespace run counted as one (as in Readability's normalised inner text).
    var text: Int32 = 0
    var commas: Int32 = 0
    /// Characters of text inside links (in-page `#` links weigh 0.3).
    var link: Float = 0
    var paragraphs: Int32 = 0
    var images: Int32 = 0
    var listItems: Int32 = 0
    var inputs: Int32 = 0
    var headingText: Int32 = 0
    var textishText: Int32 = 0
    var listText: Int32 = 0

    static func += (a: inout TextStats, b: TextStats) {
        a.text += b.text; a.commas += b.commas; a.link += b.link
        a.paragraphs += b.paragraphs; a.images += b.images; a.listItems += b.listItems; a.inputs += b.inputs
        a.headingText += b.headingText; a.textishText += b.textishText; a.listText += b.listText
    }

    static func -= (a: inout TextStats, b: TextStats) {
        a.text -= b.text; a.commas -= b.commas; a.link -= b.link
        a.paragraphs -= b.paragraphs; a.images -= b.images; a.listItems -= b.listItems; a.inputs -= b.inputs
        a.headingText -= b.headingText; a.textishText -= b.textishText; a.listText -= b.listText
    }

    var linkDensity: Float { text > 0 ? link / Float(text) : 0 }
}

/// One element kept for scoring, in document order.
struct ArticleElement {
    var node: HTMLNode
    var parent: Int32
    /// One past the last index of this element's subtree: the subtree is `index..<end`.
    var end: Int32
    var tag: ArticleTag
    var classHints: BoilerplateHints
    var idHints: BoilerplateHints
    var classWeight: Float
    /// This element and its ancestors: 1 table, 2 code, 4 figure.
    var context: UInt8
    var linkWeight: Float = 1
    var stats = TextStats()
    /// Text in direct text nodes and phrasing children (what Readability wraps in a `<p>` inside a div).
    var inlineText: Int32 = 0
    var inlineCommas: Int32 = 0
    var hasBlockBelow = false
    var elementChildren: Int32 = 0
    /// A div holding one paragraph and nothing else: skipped when paragraphs score their ancestors, and its
    /// paragraph stands for it among siblings.
    var transparent = false
    var score: Float = 0
    var isCandidate = false
    var removed = false

    static let inTable: UInt8 = 1, inCode: UInt8 = 2, inFigure: UInt8 = 4

    /// What this element adds to its parent's stats.
    var contribution: TextStats {
        var c = stats
        if tag == .a { c.link = Float(stats.text) * linkWeight }
        if tag == .p { c.paragraphs += 1 }
        if tag == .img { c.images += 1 }
        if tag == .li { c.listItems += 1 }
        if tag == .input { c.inputs += 1 }
        if tag.isHeading { c.headingText = stats.text }
        if tag.isTextish { c.textishText = stats.text }
        if tag == .ul || tag == .ol { c.listText = stats.text }
        return c
    }
}

/// Which Readability passes are on: each retry turns one more off when the article came out too short.
struct ArticlePasses {
    var stripUnlikely = true
    var weightClasses = true
    var cleanConditionally = true
}

/// The page's elements that may hold the article, flattened in document order with their text stats.
/// Hidden, unlikely (sidebars, menus, comments) and never-text (scripts, styles, form controls, embeds)
/// subtrees and the comment thread are left out; one walk with an explicit cursor (no recursion), then one
/// bottom-up pass.
struct ArticleTree {
    var elements: [ArticleElement] = []
    /// The author line found in the markup (rel=author, class "byline"), removed from the body.
    var byline: String?

    /// An empty tree: no article.
    init() {}

    init(document: HTMLDocument, passes: ArticlePasses, exclude: Set<HTMLNode>, title: String?) {
        guard let root = document.root else { return }
        elements.reserveCapacity(1024)
        var titleHeaderPending = title.map { !$0.isEmpty } ?? false
        var lower: [UInt8] = []
        lower.reserveCapacity(128)

        var parentIndex: Int32 = -1
        var current: HTMLNode? = root
        while let node = current {
            var enteredIndex: Int32 = -1
            if node.isElement {
                let tag = ArticleTag(node)
                if !tag.neverText && (exclude.isEmpty || !exclude.contains(node)) && Self.isProbablyVisible(node) {
                    let classHints = Self.hints(node, "class", &lower)
                    let idHints = Self.hints(node, "id", &lower)
                    let hints = classHints.union(idHints)
                    let parentContext = parentIndex >= 0 ? elements[Int(parentIndex)].context : 0
                    var keep = true
                    if byline == nil, tag != .body, tag != .html, Self.looksLikeByline(node, hints) {
                        let text = TextWalk.fold(node.textContent)
                        if !text.isEmpty && text.count < 100 {
                            byline = Self.itempropName(in: node).map { TextWalk.fold($0.textContent) } ?? text
                            keep = false
                        }
                    }
                    if keep, titleHeaderPending, tag == .h1 || tag == .h2, let title,
                       TextWalk.similarity(title, node.textContent) > 0.75
                    {
                        titleHeaderPending = false
                        keep = false
                    }
                    if keep, passes.stripUnlikely, tag != .body, tag != .html, tag != .a,
                       parentContext & (ArticleElement.inTable | ArticleElement.inCode) == 0
                    {
                        if !hints.contains(.maybe) && (hints.contains(.unlikely) || (hints.contains(.box) && !tag.isPhrasing)) {
                            keep = false
                        }
                        if keep && Self.hasUnlikelyRole(node) { keep = false }
                    }
                    if keep {
                        var context = parentContext
                        if tag == .table { context |= ArticleElement.inTable }
                        if tag == .code { context |= ArticleElement.inCode }
                        if tag == .figure { context |= ArticleElement.inFigure }
                        var element = ArticleElement(
                            node: node, parent: parentIndex, end: Int32(elements.count + 1), tag: tag,
                            classHints: classHints, idHints: idHints,
                            classWeight: passes.weightClasses ? BoilerplateHints.weight(class: classHints, id: idHints) : 0,
                            context: context)
                        if tag == .a, node.withAttributeBytes("href", { $0.first == UInt8(ascii: "#") }) == true {
                            element.linkWeight = 0.3
                        }
                        enteredIndex = Int32(elements.count)
                        elements.append(element)
                    }
                }
            } else if node.isText, parentIndex >= 0 {
                let (chars, commas) = node.withTextBytes(Self.measure) ?? (0, 0)
                elements[Int(parentIndex)].stats.text += chars
                elements[Int(parentIndex)].stats.commas += commas
                if chars > 1 {  // not whitespace alone: loose text
                    elements[Int(parentIndex)].inlineText += chars
                    elements[Int(parentIndex)].inlineCommas += commas
                }
            }
            // Next node in document order: down into kept elements, else across, else up.
            if enteredIndex >= 0, let child = node.firstChild {
                parentIndex = enteredIndex
                current = child
                continue
            }
            current = nil
            var n = node
            while n != root {
                if let next = n.nextSibling {
                    current = next
                    break
                }
                guard let up = n.parent else { break }
                n = up
                parentIndex = elements[Int(parentIndex)].parent
            }
        }
        sumUp()
    }

    /// Adds each element's stats into its parent (children come after parents in document order), turns
    /// divs without block content into paragraphs, and counts the paragraph Readability would wrap around
    /// a div's loose text.
    private mutating func sumUp() {
        var i = elements.count - 1
        while i > 0 {
            if elements[i].tag == .div {
                if !elements[i].hasBlockBelow {
                    elements[i].tag = .p
                } else if elements[i].inlineText > 0 {
                    elements[i].stats.paragraphs += 1
                }
            }
            // A div around one paragraph and nothing else stands aside for it (Readability replaces it).
            if elements[i].tag == .div && elements[i].elementChildren == 1 && elements[i].inlineText == 0
                && i + 1 < elements.count && elements[i + 1].node.hasName("p") && elements[i].stats.linkDensity < 0.25
            {
                elements[i].transparent = true
            }
            let e = elements[i]
            let p = Int(e.parent)
            if p >= 0 {
                elements[p].stats += e.contribution
                elements[p].elementChildren += 1
                if e.end > elements[p].end { elements[p].end = e.end }
                if e.hasBlockBelow || e.tag.makesDivAContainer || e.tag == .div { elements[p].hasBlockBelow = true }
                if e.tag.isPhrasing {
                    elements[p].inlineText += e.stats.text
                    elements[p].inlineCommas += e.stats.commas
                }
            }
            i -= 1
        }
    }

    /// Counts characters (not bytes) with each whitespace run as one (whitespace alone counts 1); and commas
    /// of several scripts.
    private static func measure(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int32, Int32) {
        var chars: Int32 = 0
        var commas: Int32 = 0
        var pendingSpace = false
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 32 || b == 10 || b == 9 || b == 13 || b == 12 {
                pendingSpace = true
            } else if b & 0xC0 != 0x80 {
                if pendingSpace { chars += 1; pendingSpace = false }
                chars += 1
                if b == 44 {
                    commas += 1
                } else if b >= 0xD8, i + 2 < n || b == 0xD8 {
                    commas += isWideComma(bytes, i) ? 1 : 0
                }
            }
            i += 1
        }
        if pendingSpace { chars += 1 }
        return (chars, commas)
    }

    /// The non-ASCII commas Readability counts: Arabic, CJK full-width and small forms, and a few more.
    private static func isWideComma(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b0 = s[i]
        if b0 == 0xD8 { return i + 1 < s.count && s[i + 1] == 0x8C }  // U+060C
        guard i + 2 < s.count else { return false }
        let b1 = s[i + 1], b2 = s[i + 2]
        switch (b0, b1, b2) {
        case (0xEF, 0xB9, 0x90), (0xEF, 0xB8, 0x90), (0xEF, 0xB8, 0x91), (0xEF, 0xBC, 0x8C): return true  // FE50 FE10 FE11 FF0C
        case (0xE2, 0xB9, 0x81), (0xE2, 0xB8, 0xB4), (0xE2, 0xB8, 0xB2): return true  // 2E41 2E34 2E32
        default: return false
        }
    }

    private static func hints(_ node: HTMLNode, _ name: StaticString, _ lower: inout [UInt8]) -> BoilerplateHints {
        node.withAttributeBytes(name) { bytes -> BoilerplateHints in
            guard !bytes.isEmpty else { return [] }
            lower.removeAll(keepingCapacity: true)
            for b in bytes { lower.append(b >= 65 && b <= 90 ? b + 32 : b) }
            return lower.withUnsafeBufferPointer(BoilerplateHints.scan)
        } ?? []
    }

    private static func looksLikeByline(_ node: HTMLNode, _ hints: BoilerplateHints) -> Bool {
        if hints.contains(.byline) { return true }
        if node.withAttributeBytes("rel", { TextWalk.equalsIgnoringCase($0, "author") }) == true { return true }
        return node.withAttributeBytes("itemprop", { TextWalk.containsIgnoringCase($0, "author") }) == true
    }

    /// The first element below `node` whose itemprop says "name" (the author's name inside a byline).
    static func itempropName(in node: HTMLNode) -> HTMLNode? {
        var current = node.firstChild
        while let n = current {
            if n.withAttributeBytes("itemprop", { TextWalk.containsIgnoringCase($0, "name") }) == true { return n }
            if let child = n.firstChild {
                current = child
                continue
            }
            current = nil
            var m = n
            while m != node {
                if let next = m.nextSibling {
                    current = next
                    break
                }
                guard let up = m.parent else { break }
                m = up
            }
        }
        return nil
    }

    /// Classes that hide text from the eye and show it to screen readers only (skip links, "Share this page").
    private static let screenReaderClasses = ["visually-hidden", "visuallyhidden", "sr-only", "screen-reader-text"]

    /// Readability's visibility test: no `hidden`, no `display:none` or `visibility:hidden`, no aria-hidden
    /// (except image fallbacks), no modal dialog; and no screen-reader-only text.
    private static func isProbablyVisible(_ node: HTMLNode) -> Bool {
        if !node.hasAttributes { return true }  // most paragraphs and list items: nothing to read
        if node.hasAttribute("hidden") { return false }
        let hiddenStyle = node.withAttributeBytes("style") { s -> Bool in
            TextWalk.containsIgnoringCase(s, "display:none", ignoringSpaces: true)
                || TextWalk.containsIgnoringCase(s, "visibility:hidden", ignoringSpaces: true)
        }
        if hiddenStyle == true { return false }
        if node.withAttributeBytes("aria-hidden", { TextWalk.equalsIgnoringCase($0, "true") }) == true,
           node.withAttributeBytes("class", { TextWalk.containsIgnoringCase($0, "fallback-image") }) != true
        {
            return false
        }
        let screenReaderOnly = node.withAttributeBytes("class") { c in
            screenReaderClasses.contains { TextWalk.containsIgnoringCase(c, $0) }
        }
        if screenReaderOnly == true { return false }
        if node.withAttributeBytes("aria-modal", { TextWalk.equalsIgnoringCase($0, "true") }) == true,
           node.withAttributeBytes("role", { TextWalk.equalsIgnoringCase($0, "dialog") }) == true
        {
            return false
        }
        return true
    }

    private static let unlikelyRoles = ["menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"]

    private static func hasUnlikelyRole(_ node: HTMLNode) -> Bool {
        node.withAttributeBytes("role") { s in
            unlikelyRoles.contains { TextWalk.equalsIgnoringCase(s, $0) }
        } ?? false
    }

    /// The indexes of these nodes that were kept, in document order, leaving out any inside another.
    func indexes(of nodes: [HTMLNode]) -> [Int] {
        let wanted = Set(nodes)
        var out: [Int] = []
        var i = 0
        while i < elements.count {
            if wanted.contains(elements[i].node) {
                out.append(i)
                i = Int(elements[i].end)
            } else {
                i += 1
            }
        }
        return out
    }

    /// The element children of `index` that were kept, in order.
    func children(of index: Int) -> [Int] {
        var out: [Int] = []
        var i = index + 1
        let end = Int(elements[index].end)
        while i < end {
            out.append(i)
            i = Int(elements[i].end)
        }
        return out
    }

    /// Marks a subtree removed and takes its stats out of its ancestors.
    mutating func remove(_ index: Int) {
        guard !elements[index].removed else { return }
        let c = elements[index].contribution
        var a = Int(elements[index].parent)
        if a >= 0 { elements[a].elementChildren -= 1 }
        while a >= 0 {
            elements[a].stats -= c
            a = Int(elements[a].parent)
        }
        for i in index..<Int(elements[index].end) { elements[i].removed = true }
    }
}
