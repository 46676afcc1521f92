import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Decoding a body to text: the Content-Type charset, else the page's meta charset, else a BOM, else UTF-8
/// with invalid bytes replaced. Conversion goes through iconv, so every charset the C library knows works
/// (windows-1256, ISO-8859-x, KOI8-R, Shift_JIS...). Invalid bytes become U+FFFD; the page is never lost.
public enum Charset {
    public struct Decoded: Sendable, Hashable {
        public var text: String
        /// The charset used ("utf-8", "windows-1252", "windows-1256"...).
        public var charset: String
        /// Where it was found: "header", "meta", "bom" or "default".
        public var source: String

        public init(text: String, charset: String, source: String) {
            self.text = text
            self.charset = charset
            self.source = source
        }
    }

    public static func decode(_ data: Data, contentType: String?) -> Decoded {
        if let declared = contentType.flatMap(charsetParameter), let text = convert(data, from: declared) {
            return Decoded(text: text, charset: canonical(declared), source: "header")
        }
        if let meta = metaCharset(data.prefix(4096)), let text = convert(data, from: meta) {
            return Decoded(text: text, charset: canonical(meta), source: "meta")
        }
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            return Decoded(text: String(decoding: data.dropFirst(3), as: UTF8.self), charset: "utf-8", source: "bom")
        }
        if data.starts(with: [0xFF, 0xFE]), let t = convert(data.dropFirst(2), from: "UTF-16LE") {
            return Decoded(text: t, charset: "utf-16le", source: "bom")
        }
        if data.starts(with: [0xFE, 0xFF]), let t = convert(data.dropFirst(2), from: "UTF-16BE") {
            return Decoded(text: t, charset: "utf-16be", source: "bom")
        }
        return Decoded(text: String(decoding: data, as: UTF8.self), charset: "utf-8", source: "default")
    }

    /// The `charset=` parameter of a Content-Type value.
    public static func charsetParameter(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            let v = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")).lowercased()
            return v.isEmpty ? nil : v
        }
        return nil
    }

    /// `<meta charset="...">` or `<meta http-equiv="Content-Type" content="...; charset=...">` in the first bytes.
    static func metaCharset(_ head: Data) -> String? {
        let text = String(decoding: head, as: UTF8.self).lowercased()
        var search = text[...]
        while let r = search.range(of: "<meta") {
            let tagEnd = search[r.upperBound...].firstIndex(of: ">") ?? search.endIndex
            let tag = search[r.upperBound..<tagEnd]
            if let c = tag.range(of: "charset=") {
                var value = tag[c.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
                value = value.prefix { !"\"'; />".contains($0) }
                if !value.isEmpty { return String(value) }
            }
            search = search[tagEnd...]
        }
        return nil
    }

    /// Labels as browsers read them (the WHATWG Encoding standard): latin1 and ASCII labels mean windows-1252.
    static func canonical(_ label: String) -> String {
        switch label.lowercased() {
        case "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii", "cp1252", "x-cp1252":
            return "windows-1252"
        case "utf8", "unicode-1-1-utf-8": return "utf-8"
        case "cp1256", "x-cp1256": return "windows-1256"
        default: return label.lowercased()
        }
    }

    /// Converts with iconv; nil when the charset is unknown. Invalid sequences become U+FFFD.
    public static func convert<D: DataProtocol>(_ data: D, from label: String) -> String? {
        let name = canonical(label)
        if name == "utf-8" { return String(decoding: Data(data), as: UTF8.self) }
        let cd = iconv_open("UTF-8", name.uppercased())
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = [UInt8](data)
        var output = [UInt8]()
        output.reserveCapacity(input.count * 2)
        var chunk = [UInt8](repeating: 0, count: 16384)
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        input.withUnsafeMutableBufferPointer { inBuf in
            var inPtr = UnsafeMutableRawPointer(inBuf.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
            var inLeft = inBuf.count
            while inLeft > 0 {
                let (status, err, produced) = chunk.withUnsafeMutableBufferPointer { outBuf -> (Int, Int32, Int) in
                    var outPtr = UnsafeMutableRawPointer(outBuf.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
                    var outLeft = outBuf.count
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    return (r, errno, outBuf.count - outLeft)
                }
                output += chunk[0..<produced]
                if status == -1 {
                    if err == E2BIG { continue }
                    // EILSEQ or EINVAL: replace one byte and go on.
                    output += replacement
                    inPtr = inPtr.map { $0 + 1 }
                    inLeft -= 1
                    _ = iconv(cd, nil, nil, nil, nil)
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
