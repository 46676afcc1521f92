import Foundation

/// A lexical check of a schedule file before toml++ (under TOMLKit) parses it. toml++ asserts things about
/// its input instead of checking them in places, and aborts (debug builds) or runs into undefined behaviour
/// (release builds) on some malformed files; the fuzzer (Tests/Fuzz) found `[[(watch]]` and
/// `start = 2026-01-10T?0:00Z`. This check lets through only text made of well-formed tokens of the TOML
/// that schedule files use (comments, table headers, keys, one-line strings, integers, floats, booleans,
/// dates and times, arrays, inline tables), so toml++ only ever sees well-formed tokens; grammar errors
/// (a missing "=", an unclosed array) are still toml++'s to report. Multi-line strings are refused.
enum TOMLPrecheck {
    /// The first line that toml++ must not see, and why; nil when the text can go to toml++.
    static func problem(in text: String) -> (line: Int, message: String)? {
        var lexer = Lexer(Array(text.unicodeScalars))
        do {
            try lexer.run()
            return nil
        } catch let failure as Failure {
            return (lexer.line, failure.message)
        } catch {
            return (lexer.line, "\(error)")
        }
    }

    struct Failure: Error {
        var message: String
    }

    struct Lexer {
        enum Context { case array, table }

        let s: [Unicode.Scalar]
        var i = 0
        var line = 1
        var stack: [Context] = []
        var afterEquals = false

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var inValuePosition: Bool { afterEquals || stack.last == .array }

        func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

        mutating func run() throws {
            while let c = peek() {
                switch c {
                case " ", "\t": i += 1
                case "\r":
                    guard peek(1) == "\n" else { throw Failure(message: "a carriage return must be followed by a line feed") }
                    i += 1
                case "\n":
                    i += 1
                    line += 1
                    if stack.isEmpty { afterEquals = false }
                case "\u{FEFF}" where i == 0: i += 1
                case "#":
                    while let d = peek(), d != "\n" {
                        if Self.isControl(d) && d != "\r" { throw Failure(message: "a control character in a comment") }
                        i += 1
                    }
                case "\"", "'": try string(c); afterEquals = false
                case "=": i += 1; afterEquals = true
                case "[":
                    i += 1
                    if inValuePosition {
                        stack.append(.array)
                        afterEquals = false
                    } else {
                        try tableHeader()
                    }
                case "]":
                    i += 1
                    if stack.last == .array { stack.removeLast() }
                case "{":
                    i += 1
                    guard inValuePosition else { throw Failure(message: "'{' where a key was expected") }
                    stack.append(.table); afterEquals = false
                case "}":
                    i += 1
                    if stack.last == .table { stack.removeLast() }
                case ",": i += 1
                case ".":
                    guard !inValuePosition else { throw Failure(message: "'.' where a value was expected") }
                    i += 1
                default:
                    guard Self.isTokenCharacter(c) else {
                        throw Failure(message: "unexpected character '\(c.escaped(asASCII: true))' (text goes in quotes)")
                    }
                    try token()
                }
            }
        }

        /// After a header's first "[": toml++ asserts that the name starts right after "[[" and blanks.
        mutating func tableHeader() throws {
            let isArray = peek() == "["
            if isArray { i += 1 }
            var j = i
            while let c = j < s.count ? s[j] : nil, c == " " || c == "\t" { j += 1 }
            guard j < s.count else { return }
            let first = s[j]
            let startsAName = (first.isASCII && (first.properties.isAlphabetic || ("0"..."9").contains(first)))
                || first == "_" || first == "-" || first == "\"" || first == "'" || first == "]"
            // "[ [" is refused by toml++ itself ("brackets must be contiguous").
            if !startsAName && (isArray || first != "[") {
                throw Failure(message: "a table header must start with a name, as in [[watch]], not '\(first.escaped(asASCII: true))'")
            }
        }

        mutating func string(_ quote: Unicode.Scalar) throws {
            if peek(1) == quote && peek(2) == quote {
                throw Failure(message: "multi-line strings are not used in schedule files; write the text on one line")
            }
            i += 1
            while true {
                guard let c = peek(), c != "\n" else { throw Failure(message: "a string is not closed on its line") }
                i += 1
                if c == quote { return }
                if Self.isControl(c) && c != "\t" { throw Failure(message: "a control character in a string (write it as \\uXXXX)") }
                guard quote == "\"", c == "\\" else { continue }
                guard let e = peek() else { throw Failure(message: "a string is not closed on its line") }
                i += 1
                switch e {
                case "b", "t", "n", "f", "r", "\"", "\\": break
                case "u", "U":
                    let count = e == "u" ? 4 : 8
                    let digits = (0..<count).compactMap { peek($0) }.filter { $0.properties.isASCIIHexDigit }
                    let value = UInt32(String(String.UnicodeScalarView(digits)), radix: 16)
                    guard digits.count == count, let value, Unicode.Scalar(value) != nil else {
                        throw Failure(message: "a \\\(e) escape needs \(count) hex digits naming a Unicode scalar")
                    }
                    i += count
                default: throw Failure(message: "unknown escape '\\\(e.escaped(asASCII: true))' in a string")
                }
            }
        }

        mutating func token() throws {
            let start = i
            while let c = peek(), Self.isTokenCharacter(c) || c == "." { i += 1 }
            // A date and a time may be separated by one space ("2026-01-10 08:00:00").
            if inValuePosition, peek() == " ", let a = peek(1), let b = peek(2), peek(3) == ":",
               ("0"..."9").contains(a), ("0"..."9").contains(b),
               Self.matches(String(String.UnicodeScalarView(s[start..<i])), Self.date) {
                i += 1
                while let c = peek(), Self.isTokenCharacter(c) || c == "." { i += 1 }
            }
            let text = String(String.UnicodeScalarView(s[start..<i]))
            if inValuePosition {
                guard Self.values.contains(where: { Self.matches(text, $0) }) else {
                    throw Failure(message: "'\(text)' is not a TOML value (text goes in quotes)")
                }
                afterEquals = false
            } else if !Self.matches(text, Self.key) {
                throw Failure(message: "'\(text)' is not a key")
            }
        }

        static func isControl(_ c: Unicode.Scalar) -> Bool { c.value < 0x20 || c.value == 0x7F }

        static func isTokenCharacter(_ c: Unicode.Scalar) -> Bool {
            c.isASCII && (c.properties.isAlphabetic || c.properties.numericType != nil || c == "_" || c == "-" || c == "+" || c == ":")
        }

        static func matches(_ text: String, _ pattern: NSRegularExpression) -> Bool {
            pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }

        static func regex(_ p: String) -> NSRegularExpression { try! NSRegularExpression(pattern: "^(?:" + p + ")$") }

        static let key = regex("[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*")
        static let date = regex("[0-9]{4}-[0-9]{2}-[0-9]{2}")
        static let values: [NSRegularExpression] = [
            "true|false",
            "[+-]?(?:0|[1-9](?:_?[0-9])*)",
            "0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*",
            "[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?",
            "[+-]?(?:inf|nan)",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})?",
            "[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?",
        ].map(regex)
    }
}
