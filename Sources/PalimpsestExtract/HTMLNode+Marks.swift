import PalimpsestHTML

/// Tree walks and id/class tests in Swift, for scans over every element of a page: XPath's `translate()`
/// (libxml2 walks UTF-8 character by character for each call) made such scans most of extraction's time.
extension HTMLNode {
    /// Visits this element and every element below it, in document order. The walk follows the tree's own
    /// links (first child, next sibling, parent): no stack, no allocation, any depth.
    func forEachElement(_ visit: (HTMLNode) -> Void) {
        visit(self)
        forEachNode { node in
            if node.isElement { visit(node) }
            return true
        }
    }

    /// `bytes` is exactly one of `values` (case kept).
    static func isOne(of values: [[UInt8]], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        values.contains { $0.elementsEqual(bytes) }
    }

    /// One of the space-separated tokens of `bytes` is exactly one of `tokens` (case kept).
    static func hasToken(of tokens: [[UInt8]], in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        anyToken(of: bytes) { token in tokens.contains { $0.elementsEqual(token) } }
    }

    /// Whether `test` accepts one of the space-separated tokens of `bytes`.
    static func anyToken(of bytes: UnsafeBufferPointer<UInt8>, _ test: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        var start = 0
        for i in 0...bytes.count where i == bytes.count || isSpace(bytes[i]) {
            if i > start, test(UnsafeBufferPointer(rebasing: bytes[start..<i])) { return true }
            start = i + 1
        }
        return false
    }

    /// `bytes` contains one of `words` (case kept).
    static func containsOne(of words: [[UInt8]], in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        words.contains { w in w.withUnsafeBytes { cMemmem(bytes.baseAddress, bytes.count, $0.baseAddress, $0.count) } != nil }
    }

    /// A name of one to eight bytes packed in an integer (little end first); nil for longer names.
    static func nameKey(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 8 else { return nil }
        var key: UInt64 = 0
        for (i, b) in bytes.enumerated() { key |= UInt64(b) << (8 * UInt64(i)) }
        return key
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
    }

    /// The number of element children, counted up to `limit` (no array is built).
    func elementChildCount(upTo limit: Int) -> Int {
        var n = 0
        var child = firstChild
        while let c = child, n < limit {
            if c.isElement { n += 1 }
            child = c.nextSibling
        }
        return n
    }

    /// The text below this node as `textContent` gives it, or nil when it is longer than `maxBytes` bytes
    /// (a label is short: the text of a whole container is never gathered to learn that).
    func text(maxBytes: Int) -> String? {
        var bytes: [UInt8] = []
        var tooLong = false
        func take(_ node: HTMLNode) {
            _ = node.withTextBytes { b in
                if bytes.count + b.count > maxBytes { tooLong = true } else { bytes.append(contentsOf: b) }
            }
        }
        if isText { take(self) } else {
            forEachNode { node in
                if !tooLong { take(node) }
                return !tooLong
            }
        }
        return tooLong ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// Visits every node below this one (of any kind) in document order while `visit` returns true.
    func forEachNode(_ visit: (HTMLNode) -> Bool) {
        var next = firstChild
        while var node = next {
            if !visit(node) { return }
            if node.isElement, let child = node.firstChild { next = child; continue }
            next = nil
            while true {
                if let sibling = node.nextSibling { next = sibling; break }
                guard let up = node.parent, up != self else { break }
                node = up
            }
        }
    }

    /// The elements below this one (itself included) that `keep` accepts, in document order.
    func elements(where keep: (HTMLNode) -> Bool) -> [HTMLNode] {
        var found: [HTMLNode] = []
        forEachElement { if keep($0) { found.append($0) } }
        return found
    }

    /// Whether the id or the class, ASCII letters compared without case, contains one of `words`.
    func idOrClassContains(any words: ByteWords) -> Bool {
        // Closures, not the method itself: a method reference would allocate a context on every call.
        withAttributeBytes("id", { words.occurs(in: $0) }) == true || withAttributeBytes("class", { words.occurs(in: $0) }) == true
    }

    /// Whether the id, or one of the class tokens, equals one of `tokens` (lower case; ASCII letters compared
    /// without case).
    func idOrClassTokenIs(any tokens: [[UInt8]]) -> Bool {
        func isOne(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { tokens.contains { HTMLNode.equal(bytes, $0) } }
        if withAttributeBytes("id", isOne) == true { return true }
        return withAttributeBytes("class") { HTMLNode.anyToken(of: $0, isOne) } == true
    }

    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ lowered: [UInt8]) -> Bool {
        guard a.count == lowered.count else { return false }
        for i in 0..<a.count where lower(a[i]) != lowered[i] { return false }
        return true
    }

    /// Case-insensitive (ASCII) search of a lower-case needle.
    static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard hay.count >= needle.count else { return false }
        let first = needle[0]
        var i = 0
        while i <= hay.count - needle.count {
            if lower(hay[i]) == first {
                var j = 1
                while j < needle.count && lower(hay[i + j]) == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        b >= 65 && b <= 90 ? b + 32 : b
    }
}

/// libc's memmem (a GNU extension, not in Glibc's Swift module without _GNU_SOURCE).
@_silgen_name("memmem")
func cMemmem(_ haystack: UnsafeRawPointer?, _ haystackLength: Int, _ needle: UnsafeRawPointer?, _ needleLength: Int)
    -> UnsafeMutableRawPointer?

/// Words searched for together in bytes, ASCII letters without case: one pass over the bytes, where only
/// a position that starts one of the words (a table of first bytes) is compared further.
struct ByteWords: Sendable {
    /// The words, lower case, as UTF-8.
    let words: [[UInt8]]
    private let starts: [Bool]
    private let shortest: Int

    init(_ words: [String]) {
        self.words = words.map { Array($0.lowercased().utf8) }.filter { !$0.isEmpty }
        var starts = [Bool](repeating: false, count: 256)
        for w in self.words {
            starts[Int(w[0])] = true
            if w[0] >= 97 && w[0] <= 122 { starts[Int(w[0] - 32)] = true }
        }
        self.starts = starts
        shortest = self.words.map(\.count).min() ?? 0
    }

    /// The lowest index of a word found in `hay`, among the words before `limit`.
    func lowestMatch(in hay: UnsafeBufferPointer<UInt8>, below limit: Int) -> Int? {
        match(in: hay, below: limit, first: false)
    }

    func occurs(in hay: UnsafeBufferPointer<UInt8>) -> Bool {
        match(in: hay, below: words.count, first: true) != nil
    }

    /// The index of a word (before `limit`) found in `hay`: the first one met with `first`, else the lowest.
    private func match(in hay: UnsafeBufferPointer<UInt8>, below limit: Int, first: Bool) -> Int? {
        guard shortest > 0, hay.count >= shortest else { return nil }
        var best: Int?
        return starts.withUnsafeBufferPointer { starts in
            for i in 0...(hay.count - shortest) where starts[Int(hay[i])] {
                let start = HTMLNode.lower(hay[i])
                for (k, w) in words.enumerated() where k < (best ?? limit) && w[0] == start && i + w.count <= hay.count {
                    var j = 1
                    while j < w.count && HTMLNode.lower(hay[i + j]) == w[j] { j += 1 }
                    if j == w.count {
                        if first { return k }
                        best = k
                    }
                }
            }
            return best
        }
    }
}
