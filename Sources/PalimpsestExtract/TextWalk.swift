import PalimpsestCore
import PalimpsestHTML

/// From the chosen containers to ordered blocks: one walk in document order (an explicit cursor, no
/// recursion), text exactly as published with ASCII whitespace runs folded to one space inside a block.
/// Non-breaking spaces, typographic quotes and every other character are kept as they are.
struct TextWalk {
    private(set) var blocks: [Block] = []
    /// Characters of all the blocks together.
    private(set) var characters = 0

    private var buffer: [UInt8] = []
    private var pendingSpace = false
    private var kinds: [Block.Kind] = []
    private var preformatted = 0

    /// The blocks of the containers `roots` of `tree`, leaving out what the tree left out or removed.
    init(tree: ArticleTree, roots: [Int]) {
        buffer.reserveCapacity(1024)
        let elements = tree.elements
        for r in roots where !elements[r].removed {
            var next = r  // the next kept element expected in document order
            var open: [ArticleTag] = []
            let root = elements[r].node
            var current: HTMLNode? = root
            while let node = current {
                var entered = false
                if node.isElement {
                    if next < elements.count && elements[next].node == node {
                        let e = elements[next]
                        if e.removed {
                            next = Int(e.end)
                        } else {
                            next += 1
                            enter(e.tag)
                            open.append(e.tag)
                            entered = true
                        }
                    }
                } else if node.isText {
                    node.withTextBytes { append($0) }
                }
                if entered, let child = node.firstChild {
                    current = child
                    continue
                }
                if entered { exit(open.removeLast()) }
                current = nil
                var n = node
                while n != root {
                    if let sibling = n.nextSibling {
                        current = sibling
                        break
                    }
                    guard let up = n.parent else { break }
                    n = up
                    exit(open.removeLast())
                }
            }
            flush()
        }
    }

    private mutating func enter(_ tag: ArticleTag) {
        switch tag {
        case .br:
            if buffer.last == 10 {
                buffer.removeLast()
                flush()
            } else if !buffer.isEmpty {
                buffer.append(10)
                pendingSpace = false
            }
            return
        case .hr:
            flush()
            return
        default:
            break
        }
        if tag.isPhrasing { return }
        flush()
        let inherited = kinds.last ?? .paragraph
        let kind: Block.Kind
        switch tag {
        case .h1, .h2, .h3, .h4, .h5, .h6: kind = .heading
        case .li: kind = .listItem
        case .blockquote: kind = .quote
        case .pre: kind = .preformatted
        default: kind = inherited == .heading ? .paragraph : inherited
        }
        kinds.append(kind)
        if tag == .pre { preformatted += 1 }
    }

    private mutating func exit(_ tag: ArticleTag) {
        if tag.isPhrasing || tag == .hr { return }
        flush()
        kinds.removeLast()
        if tag == .pre { preformatted -= 1 }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        if preformatted > 0 {
            buffer.append(contentsOf: bytes)
            return
        }
        for b in bytes {
            if b == 32 || b == 10 || b == 9 || b == 13 || b == 12 {
                pendingSpace = true
            } else {
                if pendingSpace && !buffer.isEmpty && buffer.last != 10 { buffer.append(32) }
                pendingSpace = false
                buffer.append(b)
            }
        }
    }

    private mutating func flush() {
        pendingSpace = false
        var start = 0
        var end = buffer.count
        if preformatted > 0 {
            while start < end && (buffer[start] == 10 || buffer[start] == 13) { start += 1 }
        } else {
            while start < end && Self.isSpace(buffer[start]) { start += 1 }
        }
        while end > start && Self.isSpace(buffer[end - 1]) { end -= 1 }
        if start < end {
            for i in start..<end where buffer[i] & 0xC0 != 0x80 { characters += 1 }
            blocks.append(Block(kinds.last ?? .paragraph, String(decoding: buffer[start..<end], as: UTF8.self)))
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == 32 || b == 10 || b == 9 || b == 13 || b == 12
    }

    // MARK: - Small text helpers for the extractor

    /// Folds runs of ASCII whitespace to one space and trims; keeps U+00A0 and everything else.
    static func fold(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var pending = false
        for b in s.utf8 {
            if isSpace(b) {
                pending = !out.isEmpty
            } else {
                if pending { out.append(32) }
                pending = false
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Readability's text similarity: the share of `b`'s words (by length) also in `a`, case-insensitive.
    static func similarity(_ a: String, _ b: String) -> Double {
        let wordsA = Set(words(a))
        let wordsB = words(b)
        guard !wordsA.isEmpty, !wordsB.isEmpty else { return 0 }
        let all = wordsB.joined(separator: " ").count
        let unique = wordsB.filter { !wordsA.contains($0) }.joined(separator: " ").count
        return 1 - Double(unique) / Double(all)
    }

    private static func words(_ s: String) -> [String] {
        s.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
    }

    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ word: String) -> Bool {
        let w = word.utf8
        guard bytes.count == w.count else { return false }
        var i = 0
        for c in w {
            let b = bytes[i]
            if (b >= 65 && b <= 90 ? b + 32 : b) != c { return false }
            i += 1
        }
        return true
    }

    /// Case-insensitive (ASCII) substring test; with `ignoringSpaces`, spaces in `bytes` are skipped
    /// ("display: none" contains "display:none").
    static func containsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ word: String,
                                     ignoringSpaces: Bool = false) -> Bool
    {
        // The word's own UTF-8 in place (a literal is contiguous): no array per call, this runs per element.
        var word = word
        return word.withUTF8 { w in containsIgnoringCase(bytes, w, ignoringSpaces: ignoringSpaces) }
    }

    static func containsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ w: UnsafeBufferPointer<UInt8>,
                                     ignoringSpaces: Bool) -> Bool
    {
        guard !w.isEmpty else { return true }
        var i = 0
        while i < bytes.count {
            var j = 0
            var k = i
            while k < bytes.count && j < w.count {
                let b = bytes[k]
                if ignoringSpaces && b == 32 && j > 0 {
                    k += 1
                    continue
                }
                if (b >= 65 && b <= 90 ? b + 32 : b) != w[j] { break }
                j += 1
                k += 1
            }
            if j == w.count { return true }
            i += 1
        }
        return false
    }
}
