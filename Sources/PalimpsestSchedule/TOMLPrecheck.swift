import Foundation

/// Checks for TOML that toml++ (under TOMLKit) crashes on instead of rejecting, before it sees the text.
/// Found by fuzzing (Tests/Fuzz): a table header whose key starts with anything but a bare-key character or
/// a quote (`[[(watch]]`) trips an assertion in toml++'s `parse_key`, in debug and release builds alike.
enum TOMLPrecheck {
    /// The first line toml++ must not see, and why; nil when the text can go to toml++.
    static func problem(in text: String) -> (line: Int, message: String)? {
        var inMultiLineString: String?  // the delimiter of the multi-line string we are in, if any
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Substring(raw)
            for delimiter in ["\"\"\"", "'''"] where inMultiLineString == nil || inMultiLineString == delimiter {
                if line.components(separatedBy: delimiter).count % 2 == 0 {
                    inMultiLineString = inMultiLineString == nil ? delimiter : nil
                }
            }
            guard inMultiLineString == nil else { continue }
            var rest = line.drop { $0 == " " || $0 == "\t" }
            guard rest.first == "[" else { continue }
            rest = rest.dropFirst()
            let isArray = rest.first == "["
            if isArray { rest = rest.dropFirst() }
            rest = rest.drop { $0 == " " || $0 == "\t" }
            // "[ [" is refused by toml++ itself ("brackets must be contiguous").
            guard let first = rest.unicodeScalars.first, isArray || first != "[" else { continue }
            let isBare = ("a"..."z").contains(first) || ("A"..."Z").contains(first) || ("0"..."9").contains(first)
                || first == "_" || first == "-"
            if !(isBare || first == "\"" || first == "'" || first == "]") {
                return (index + 1, "a table header must start with a name, as in [[watch]], not '\(first.escaped(asASCII: true))'")
            }
        }
        return nil
    }
}
