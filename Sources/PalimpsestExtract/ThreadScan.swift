import PalimpsestHTML

/// What the thread extractor looks for across the whole page, gathered in one walk in which each element's
/// id and class are read once: comment candidates, the thread's places, count labels, containers for the
/// generic reader, and the marks that name the comment system. (Separate scans cost more than the parse.)
struct ThreadScan {
    /// Elements a `CommentSelectors.candidates` mark matches, in document order.
    var candidates: [HTMLNode] = []
    /// The thread's places (`threadPlaceIDs`, `threadPlaceClasses`): never article body.
    var places: [HTMLNode] = []
    /// The first place where a thread with no comment would be (`emptyThreadIDs`, `emptyThreadClasses`).
    var emptyThreadPlace: HTMLNode?
    /// Headings, and small elements whose id or class speaks of comments, a count or reactions.
    var labels: [HTMLNode] = []
    /// Elements whose id or class speaks of comments (`containerWords`), not links or form parts.
    var genericContainers: [HTMLNode] = []
    /// A class names WordPress's comment list; a class token is Drupal's `indented`.
    var wordPressList = false
    var drupalIndented = false

    static let labelWords = ByteWords(["comment", "count", "reaction"])
    static let containerWords = ByteWords(CommentSelectors.containerWords)

    init(_ root: HTMLNode?) {
        root?.forEachElement { node in
            let tag = ArticleTag(node)
            node.withIDAndClass { id, cls in visit(node, tag, id, cls) }
        }
    }

    private mutating func visit(_ node: HTMLNode, _ tag: ArticleTag, _ id: UnsafeBufferPointer<UInt8>?,
                                _ cls: UnsafeBufferPointer<UInt8>?) {
        if id == nil && cls == nil && tag != .a {
            // Only a named anchor is a candidate without id or class; only headings are labels.
            if tag == .h2 || tag == .h3 || tag == .h4 { labels.append(node) }
            return
        }
        func idOrClass(_ words: ByteWords) -> Bool {
            (id.map { words.occurs(in: $0) } ?? false) || (cls.map { words.occurs(in: $0) } ?? false)
        }
        if CommentSelectors.candidates.contains(where: { $0.marks(node, id: id, class: cls) }) {
            candidates.append(node)
        }
        func idIs(_ values: [[UInt8]]) -> Bool { id.map { HTMLNode.isOne(of: values, $0) } ?? false }
        func tokenIs(_ tokens: [[UInt8]]) -> Bool { cls.map { HTMLNode.hasToken(of: tokens, in: $0) } ?? false }
        if idIs(CommentSelectors.threadPlaceIDs) || tokenIs(CommentSelectors.threadPlaceClasses) { places.append(node) }
        if emptyThreadPlace == nil, idIs(CommentSelectors.emptyThreadIDs) || tokenIs(CommentSelectors.emptyThreadClasses) {
            emptyThreadPlace = node
        }
        switch tag {
        case .h2, .h3, .h4: labels.append(node)
        case .h1, .h5, .span, .div, .p, .a, .button, .li: if idOrClass(ThreadScan.labelWords) { labels.append(node) }
        case .other: if node.hasName("strong"), idOrClass(ThreadScan.labelWords) { labels.append(node) }
        default: break
        }
        if tag != .a && tag != .form && tag != .input, idOrClass(ThreadScan.containerWords) { genericContainers.append(node) }
        if let cls {
            if !wordPressList, HTMLNode.containsOne(of: CommentSelectors.wordPressListClasses, in: cls) { wordPressList = true }
            if !drupalIndented, HTMLNode.hasToken(of: CommentSelectors.drupalIndented, in: cls) { drupalIndented = true }
        }
    }
}
