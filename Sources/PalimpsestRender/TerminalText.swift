import Foundation

/// Text from the web made inert for a terminal: control characters (C0 but tab and newline, DEL, C1),
/// bidi overrides and isolates, and other invisible format characters are shown escaped (`\u{1B}`),
/// never written raw. JSON output does not need this: JSON escapes as JSON does.
public enum TerminalText {
    /// Escapes everything a terminal could act on. `keepNewlines` keeps "\n" (for multi-line blocks).
    public static func safe(_ text: String, keepNewlines: Bool = false) -> String {
        // Fast path: no byte that could start anything to escape (C0 and DEL; C1 is 0xC2 0x80-0x9F; the
        // format characters below start with 0xD8, 0xE2 or 0xEF), which is nearly every comment.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 || $0 == 0xEF }) {
            return text
        }
        var out = String.UnicodeScalarView()
        var changed = false
        for scalar in text.unicodeScalars {
            if needsEscape(scalar, keepNewlines: keepNewlines) {
                changed = true
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return changed ? String(out) : text
    }

    static func needsEscape(_ s: Unicode.Scalar, keepNewlines: Bool) -> Bool {
        switch s.value {
        case 0x0A: return !keepNewlines
        case 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x200E, 0x200F,  // LRM, RLM
             0x202A...0x202E,  // LRE RLE PDF LRO RLO
             0x2066...0x2069,  // LRI RLI FSI PDI
             0x061C,  // Arabic letter mark
             0xFFF9...0xFFFB,  // interlinear annotations
             0xFEFF:  // BOM / zero-width no-break space
            return true
        default: return false
        }
    }
}

/// Where output goes and what it may use: colour only on a terminal, never when NO_COLOR is set.
public struct OutputStyle: Sendable {
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    /// Colour when standard output is a terminal and NO_COLOR is not set.
    public static func forStandardOutput() -> OutputStyle {
        let tty = isatty(STDOUT_FILENO) == 1
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return OutputStyle(color: tty && !noColor)
    }

    public func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    public func green(_ t: String) -> String { paint(t, "32") }
    public func red(_ t: String) -> String { paint(t, "31") }
    public func yellow(_ t: String) -> String { paint(t, "33") }
    public func dim(_ t: String) -> String { paint(t, "2") }
    public func bold(_ t: String) -> String { paint(t, "1") }
    public func strike(_ t: String) -> String { paint(t, "9;31") }
}
