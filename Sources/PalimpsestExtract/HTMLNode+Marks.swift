import PalimpsestHTML

/// Tree walks and id/class tests in Swift, for scans over every element of a page: XPath's `translate()`
/// (libxml2 walks UTF-8 character by character for each call) made such scans most of extraction's time.
extension HTMLNode {
    /// Visits this element and every element below it, in document order (iteratively: trees can be deep).
    func forEachElement(_ visit: (HTMLNode) -> Void) {
        var stack: [HTMLNode] = [self]
        var children: [HTMLNode] = []
        while let node = stack.popLast() {
            visit(node)
            children.removeAll(keepingCapacity: true)
            var child = node.firstChild
            while let c = child {
                if c.isElement { children.append(c) }
                child = c.nextSibling
            }
            stack.append(contentsOf: children.reversed())
        }
    }

    /// The elements below this one (itself included) that `keep` accepts, in document order.
    func elements(where keep: (HTMLNode) -> Bool) -> [HTMLNode] {
        var found: [HTMLNode] = []
        forEachElement { if keep($0) { found.append($0) } }
        return found
    }

    /// Whether the id or the class, ASCII letters compared without case, contains one of `words` (given in
    /// lower case, as UTF-8).
    func idOrClassContains(any words: [[UInt8]]) -> Bool {
        let test = { (bytes: UnsafeBufferPointer<UInt8>) -> Bool in words.contains { HTMLNode.contains(bytes, $0) } }
        return withAttributeBytes("id", test) == true || withAttributeBytes("class", test) == true
    }

    /// Whether the id, or one of the class tokens, equals one of `tokens` (lower case; ASCII letters compared
    /// without case).
    func idOrClassTokenIs(any tokens: [[UInt8]]) -> Bool {
        let whole = { (bytes: UnsafeBufferPointer<UInt8>) -> Bool in tokens.contains { HTMLNode.equal(bytes, $0) } }
        if withAttributeBytes("id", whole) == true { return true }
        return withAttributeBytes("class") { bytes -> Bool in
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A
                || bytes[i] == 0x0D || bytes[i] == 0x0C {
                if i > start, whole(UnsafeBufferPointer(rebasing: bytes[start..<i])) { return true }
                start = i + 1
            }
            return false
        } == true
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
