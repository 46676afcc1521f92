import Foundation
import PalimpsestCore
import PalimpsestHTML
import Testing
@testable import PalimpsestExtract

/// Broken, hostile or huge input gives a result or a clear problem, never a crash.
@Suite struct ArticleMalformedInputTests {
    static let sentence = "The committee met again on Thursday, and after a long discussion it agreed to publish the report in full."

    /// The article half alone, for the big inputs (the thread's extraction has its own tests).
    static func article(_ html: String) throws -> ArticleResult {
        ArticleExtractor(rules: SiteRules()).extract(try HTMLDocument(html: html), url: nil, exclude: [])
    }

    @Test func unclosedTags() {
        let html = "<html><head><title>Unclosed<body><div class=content><p>\(Self.sentence)<p>Second <b>bold <i>and italic"
            + " text, still going, with enough words to count as a paragraph of the article.<div><p>Third \(Self.sentence)"
        let e = PageExtractor().extract(html: html)
        #expect(e.article.plainText.contains(Self.sentence))
        #expect(e.article.plainText.contains("Second bold and italic text, still going"))
        #expect(e.article.plainText.contains("Third The committee"))
    }

    @Test func wrongCharsetStillGivesText() {
        // UTF-8 bytes declared as ISO-8859-1: decoded wrongly, but decoded.
        let html = "<html><head><meta charset=\"iso-8859-1\"></head><body><article><p>Café déjà vu: \(Self.sentence)</p>"
            + "<p>\(Self.sentence)</p></article></body></html>"
        let e = PageExtractor().extract(data: Data(html.utf8))
        #expect(e.article.plainText.contains("The committee met again"))
        #expect(!e.article.blocks.isEmpty)
    }

    @Test func missingCharsetWithLatin1Bytes() {
        var data = Data("<html><body><article><p>Caf".utf8)
        data.append(0xE9)  // é in ISO-8859-1: invalid as UTF-8
        data.append(Data(" au lait. \(Self.sentence)</p></article></body></html>".utf8))
        let e = PageExtractor().extract(data: data)
        #expect(e.article.plainText.contains("au lait. The committee met again"))
    }

    @Test func binaryGarbage() {
        var generator = SplitMix64(seed: 42)
        let data = Data((0..<300_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        let e = PageExtractor().extract(data: data)
        #expect(!e.article.blocks.isEmpty || e.problems.contains { $0.code == "no-article-body" || $0.code == "unreadable" })
    }

    @Test func emptyAndTinyInputs() {
        for input in ["", " ", "<", "<html>", "\0\0\0", "<p>", "<![CDATA[", "<!--"] {
            let e = PageExtractor().extract(html: input)
            #expect(!e.article.blocks.isEmpty || !e.problems.isEmpty, "input \(input.debugDescription) gave nothing and no reason")
        }
    }

    @Test func twentyMegabytePage() throws {
        let paragraph = "<p>" + String(repeating: "Word after word, the long page goes on. ", count: 12) + "</p>\n"
        let count = 20_000_000 / paragraph.utf8.count + 1
        var html = "<html><head><title>Huge page</title></head><body><nav><a href='/'>Home</a></nav><article>"
        html.reserveCapacity(20_100_000)
        for _ in 0..<count { html += paragraph }
        html += "</article><footer>Footer text</footer></body></html>"
        #expect(html.utf8.count >= 20_000_000)
        let a = try Self.article(html).article
        #expect(a.blocks.count == count)
        #expect(a.title == "Huge page")
        #expect(!a.plainText.contains("Footer text"))
    }

    @Test func markupNestedTenThousandDeep() throws {
        let depth = 10_000
        for (open, close) in [("<div>", "</div>"), ("<span>", "</span>"), ("<blockquote>", "</blockquote>"),
                              ("<ul><li>", "</li></ul>"), ("<table><tr><td>", "</td></tr></table>")]
        {
            let html = "<html><body>" + String(repeating: open, count: depth) + "<p>\(Self.sentence)</p>"
                + String(repeating: close, count: depth) + "<p>After the nesting: \(Self.sentence)</p></body></html>"
            let a = try Self.article(html).article
            // Walks use explicit cursors, never recursion: the deep paragraph and the one after both come out.
            #expect(a.paragraphs.contains(Self.sentence), "nested \(open)")
            #expect(a.paragraphs.contains("After the nesting: \(Self.sentence)"), "nested \(open)")
        }
    }
}

/// A small seeded generator, so the garbage is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
