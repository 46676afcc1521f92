/// Substring search on UTF-8 bytes: the hot paths of extraction test many short ids and class names against
/// short words, where Foundation's `contains` (CFStringFind) and the generic `firstRange(of:)` cost far more
/// than this plain loop.
extension StringProtocol {
    func has(_ needle: String) -> Bool {
        var hay = String(self)
        var pin = needle
        return hay.withUTF8 { h in
            pin.withUTF8 { n in
                if n.isEmpty { return true }
                if h.count < n.count { return false }
                let first = n[0]
                var i = 0
                let last = h.count - n.count
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count && h[i + j] == n[j] { j += 1 }
                        if j == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}
