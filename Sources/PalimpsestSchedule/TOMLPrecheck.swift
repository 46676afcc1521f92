import Foundation

/// Checks for TOML that toml++ (under TOMLKit) crashes on instead of rejecting, before it sees the text.
/// Found by fuzzing (Tests/Fuzz): a table header whose key starts with anything but a bare-key character or
/// a quote (`[[(watch]]`) trips an assertion in toml++'s `parse_key`, in debug and release builds alike.
/// Every line is checked, even inside a multi-line string: refusing such a line there is a clear error,
/// missing one anywhere would be a crash.
enum TOMLPrecheck {
    /// The first line toml++ must not see, and why; nil when the text can go to toml++.
    static func problem(in text: String) -> (line: Int, message: String)? {
        let bytes = Array(text.utf8)
        var line = 1
        var i = 0
        while i < bytes.count {
            // At the start of a line: skip blanks, look for a table header.
            var j = i
            while j < bytes.count, bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t") { j += 1 }
            if j < bytes.count, bytes[j] == UInt8(ascii: "[") {
                j += 1
                let isArray = j < bytes.count && bytes[j] == UInt8(ascii: "[")
                if isArray { j += 1 }
                while j < bytes.count, bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t") { j += 1 }
                // "[ [" is refused by toml++ itself ("brackets must be contiguous"); the end of the text too.
                if j < bytes.count, isArray || bytes[j] != UInt8(ascii: "["), !startsAName(bytes[j]) {
                    let shown = Unicode.Scalar(bytes[j]).escaped(asASCII: true)
                    return (line, "a table header must start with a name, as in [[watch]], not '\(shown)'")
                }
            }
            // On to the next line.
            while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
            i += 1
            line += 1
        }
        return nil
    }

    /// A bare-key character, a quote, or the "]" toml++ reports itself.
    static func startsAName(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "]"):
            return true
        default:
            return false
        }
    }
}
