import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decoding a body to text. The charset comes from, in order: a byte-order mark (it cannot be wrong, as
/// browsers agree), the Content-Type header's `charset`, the page's `<meta charset>` or
/// `<meta http-equiv="content-type">` in its first 4 KB, else UTF-8. Any charset glibc's iconv knows is
/// decoded (windows-1256, iso-8859-1, windows-1252, shift_jis, koi8-r...); bytes invalid in it become U+FFFD,
/// so a page is never lost. A charset iconv does not know is skipped for the next source.
public enum Charset {
    public struct Decoded: Sendable, Hashable {
        public var text: String
        /// The charset the text was decoded with, by its canonical name (`canonical(_:)`): "utf-8",
        /// "windows-1252" (also for a page labelled iso-8859-1), "windows-1256".
        public var charset: String
        /// Where it was found: "bom", "header", "meta" or "default".
        public var source: String

        public init(text: String, charset: String, source: String) {
            self.text = text
            self.charset = charset
            self.source = source
        }
    }

    /// How many leading bytes are scanned for a meta charset.
    static let metaScanBytes = 4096

    public static func decode(_ data: Data, contentType: String?) -> Decoded {
        if let (label, bomLength) = byteOrderMark(data),
           let text = decode(data.dropFirst(bomLength), label: label) {
            return Decoded(text: text, charset: label, source: "bom")
        }
        if let label = contentType.flatMap(charsetParameter), let text = decode(data, label: label) {
            return Decoded(text: text, charset: canonical(label), source: "header")
        }
        if let label = metaCharset(data), let text = decode(data, label: label) {
            return Decoded(text: text, charset: canonical(label), source: "meta")
        }
        return Decoded(text: String(decoding: data, as: UTF8.self), charset: "utf-8", source: "default")
    }

    /// The `charset` parameter of a Content-Type value, lowercased and unquoted.
    public static func charsetParameter(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2,
                  pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")).lowercased()
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The charset a byte-order mark announces, and the mark's length.
    static func byteOrderMark(_ data: Data) -> (String, Int)? {
        let b = [UInt8](data.prefix(3))
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { return ("utf-8", 3) }
        if b.starts(with: [0xFE, 0xFF]) { return ("utf-16be", 2) }
        if b.starts(with: [0xFF, 0xFE]) { return ("utf-16le", 2) }
        return nil
    }

    /// The charset a `<meta>` declares in the first `metaScanBytes` bytes, if any.
    static func metaCharset(_ data: Data) -> String? {
        // ASCII lower-cased, other bytes read as "?" (a charset label is ASCII): the scan never trips over
        // invalid sequences, and it is a byte search (Foundation's range(of:) cost more than the rest).
        let bytes = data.prefix(metaScanBytes).map { b -> UInt8 in b >= 0x80 ? 0x3F : (b >= 65 && b <= 90 ? b + 32 : b) }
        let meta = Array("<meta".utf8)
        var from = 0
        while let open = firstIndex(of: meta, in: bytes, from: from) {
            let start = open + meta.count
            guard let close = bytes[start...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
            let attributes = tagAttributes(String(decoding: bytes[start..<close], as: UTF8.self)[...])
            if let charset = attributes["charset"], !charset.isEmpty {
                return normalizedMetaLabel(charset)
            }
            if attributes["http-equiv"] == "content-type", let content = attributes["content"],
               let charset = charsetParameter(content) {
                return normalizedMetaLabel(charset)
            }
            from = close
        }
        return nil
    }

    private static func firstIndex(of needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        var i = from
        while i <= hay.count - needle.count {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// A UTF-16 label in a meta is a lie (the meta itself was readable as ASCII): it means UTF-8 (WHATWG).
    private static func normalizedMetaLabel(_ label: String) -> String {
        let l = label.trimmingCharacters(in: .whitespaces)
        return l.hasPrefix("utf-16") ? "utf-8" : l
    }

    /// Attributes of a tag (lowercased text after the tag name), quoted or not.
    static func tagAttributes(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var i = text.startIndex
        func skipSpace() {
            while i < text.endIndex, text[i].isWhitespace || text[i] == "/" { i = text.index(after: i) }
        }
        while i < text.endIndex {
            skipSpace()
            let nameStart = i
            while i < text.endIndex, !text[i].isWhitespace, text[i] != "=", text[i] != "/" { i = text.index(after: i) }
            let name = String(text[nameStart..<i])
            while i < text.endIndex, text[i].isWhitespace { i = text.index(after: i) }
            var value = ""
            if i < text.endIndex, text[i] == "=" {
                i = text.index(after: i)
                while i < text.endIndex, text[i].isWhitespace { i = text.index(after: i) }
                if i < text.endIndex, text[i] == "\"" || text[i] == "'" {
                    let quote = text[i]
                    i = text.index(after: i)
                    let valueStart = i
                    while i < text.endIndex, text[i] != quote { i = text.index(after: i) }
                    value = String(text[valueStart..<i])
                    if i < text.endIndex { i = text.index(after: i) }
                } else {
                    let valueStart = i
                    while i < text.endIndex, !text[i].isWhitespace { i = text.index(after: i) }
                    value = String(text[valueStart..<i])
                }
            }
            if name.isEmpty {
                if i < text.endIndex { i = text.index(after: i) }
            } else if result[name] == nil {
                result[name] = value.trimmingCharacters(in: .whitespaces)
            }
        }
        return result
    }

    /// Decodes `data` in the charset `label`, or nil when iconv does not know it.
    static func decode<D: DataProtocol>(_ data: D, label: String) -> String? {
        let name = canonical(label)
        if name == "utf-8" { return String(decoding: Data(data), as: UTF8.self) }
        guard let converter = IconvConverter(from: iconvName(name)) else { return nil }
        return converter.convert(Data(data))
    }

    /// The name a label stands for, as browsers read labels (WHATWG Encoding): latin-1 and ASCII labels mean
    /// windows-1252, the superset pages so labelled really use; likewise latin-5 means windows-1254.
    public static func canonical(_ label: String) -> String {
        let l = label.trimmingCharacters(in: .whitespaces).lowercased()
        switch l {
        case "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8":
            return "utf-8"
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591", "latin1", "l1", "us-ascii", "ascii",
             "ansi_x3.4-1968", "cp819", "ibm819", "iso-ir-100", "csisolatin1", "x-cp1252", "cp1252":
            return "windows-1252"
        case "iso-8859-9", "iso8859-9", "iso_8859-9", "latin5", "l5", "cp1254", "x-cp1254":
            return "windows-1254"
        case "tis-620", "iso-8859-11", "iso8859-11", "dos-874":
            return "windows-874"
        case "cp1256", "x-cp1256":
            return "windows-1256"
        case "gb2312", "x-gbk", "chinese", "csgb2312", "iso-ir-58":
            return "gbk"
        case "ks_c_5601-1987", "korean", "windows-949", "csksc56011987":
            return "euc-kr"
        case "x-sjis", "shift-jis", "sjis", "ms_kanji", "windows-31j", "csshiftjis":
            return "shift_jis"
        case "utf-16", "unicode", "ucs-2":
            return "utf-16le"
        default:
            return l
        }
    }

    /// glibc's name for a canonical charset: the Microsoft supersets browsers use for two CJK labels.
    static func iconvName(_ canonical: String) -> String {
        switch canonical {
        case "shift_jis": return "CP932"
        case "euc-kr": return "CP949"
        default: return canonical.uppercased()
        }
    }
}

/// One iconv conversion descriptor to UTF-8, closed in `deinit`.
private final class IconvConverter {
    private let descriptor: iconv_t

    init?(from name: String) {
        let d = iconv_open("UTF-8", name)
        guard let d, d != iconv_t(bitPattern: -1) else { return nil }
        descriptor = d
    }

    deinit {
        iconv_close(descriptor)
    }

    /// Converts all of `data`; an invalid or truncated sequence becomes U+FFFD and decoding goes on.
    func convert(_ data: Data) -> String {
        var input = [UInt8](data)
        var output = [UInt8](repeating: 0, count: max(64, input.count * 2 + 16))
        var produced = 0
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        input.withUnsafeMutableBytes { inRaw in
            var inPointer: UnsafeMutablePointer<CChar>? = inRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
            var inLeft = inRaw.count
            while inLeft > 0 {
                if output.count - produced < 16 { output += [UInt8](repeating: 0, count: output.count) }
                let before = produced
                var outLeft = output.count - produced
                let result = output.withUnsafeMutableBytes { outRaw -> Int in
                    var outPointer: UnsafeMutablePointer<CChar>? =
                        outRaw.baseAddress!.advanced(by: produced).assumingMemoryBound(to: CChar.self)
                    return iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                }
                produced = output.count - outLeft
                if result != -1 { continue }
                switch errno {
                case E2BIG:
                    if produced == before { output += [UInt8](repeating: 0, count: output.count) }
                case EILSEQ, EINVAL:
                    // An invalid (or, at the end, incomplete) sequence: one replacement, skip one byte.
                    if output.count - produced < replacement.count { output += [UInt8](repeating: 0, count: output.count) }
                    output.replaceSubrange(produced..<produced + replacement.count, with: replacement)
                    produced += replacement.count
                    inPointer = inPointer?.advanced(by: 1)
                    inLeft -= 1
                default:
                    inLeft = 0
                }
            }
        }
        // Ends a stateful encoding's shift sequence (ISO-2022-JP and the like).
        if output.count - produced < 16 { output += [UInt8](repeating: 0, count: 16) }
        var outLeft = output.count - produced
        output.withUnsafeMutableBytes { outRaw in
            var outPointer: UnsafeMutablePointer<CChar>? =
                outRaw.baseAddress!.advanced(by: produced).assumingMemoryBound(to: CChar.self)
            _ = iconv(descriptor, nil, nil, &outPointer, &outLeft)
        }
        produced = output.count - outLeft
        return String(decoding: output[..<produced], as: UTF8.self)
    }
}
