import Foundation
import PalimpsestCore
import PalimpsestHTML
import Testing
@testable import PalimpsestExtract

/// The development corpus (../shared/corpus/readability-pages, Readability's test pages): body text and
/// metadata against the expected files. Skipped when ../shared is absent.
@Suite struct ArticleCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/corpus/readability-pages").standardizedFileURL

    static var available: Bool { FileManager.default.fileExists(atPath: corpus.path) }

    struct Page {
        var id: String
        var html: Data
        var expectedText: String
        var metadata: [String: Any]
    }

    static func pages() throws -> [Page] {
        let ids = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        return try ids.compactMap { id in
            let dir = corpus.appendingPathComponent(id)
            guard let html = try? Data(contentsOf: dir.appendingPathComponent("source.html")) else { return nil }
            let expected = try String(contentsOf: dir.appendingPathComponent("expected.html"), encoding: .utf8)
            let metaData = try? Data(contentsOf: dir.appendingPathComponent("expected-metadata.json"))
            let meta = metaData.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
            return Page(id: id, html: html, expectedText: expected, metadata: meta)
        }
    }

    /// Word 4-shingles of a text (words: runs of letters, digits, marks and underscores), as eval_extract.py.
    static func shingles(_ text: String) -> [String: Int] {
        var words: [String] = []
        var word = ""
        for scalar in text.unicodeScalars {
            let p = scalar.properties
            if p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark || scalar == "_" {
                word.unicodeScalars.append(scalar)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        var out: [String: Int] = [:]
        if words.isEmpty { return out }
        if words.count < 4 { return [words.joined(separator: " "): 1] }
        for i in 0...(words.count - 4) { out[words[i..<(i + 4)].joined(separator: " "), default: 0] += 1 }
        return out
    }

    /// Per-page precision and recall of shingles, averaged; F1 of the means.
    static func f1(_ pairs: [(truth: String, predicted: String)]) -> Double {
        var precisions: [Double] = [], recalls: [Double] = []
        for (truth, predicted) in pairs {
            let t = shingles(truth), p = shingles(predicted)
            let tp = t.reduce(0) { $0 + min($1.value, p[$1.key] ?? 0) }
            let pCount = p.values.reduce(0, +), tCount = t.values.reduce(0, +)
            if pCount > 0 { precisions.append(pCount == tp && tCount == tp ? 1 : Double(tp) / Double(pCount)) }
            if tCount > 0 { recalls.append(pCount == tp && tCount == tp ? 1 : Double(tp) / Double(tCount)) }
        }
        let p = precisions.reduce(0, +) / Double(max(precisions.count, 1))
        let r = recalls.reduce(0, +) / Double(max(recalls.count, 1))
        return p + r > 0 ? 2 * p * r / (p + r) : 0
    }

    /// The article half alone (the comment thread's extraction is measured by its own tests).
    static func article(_ page: Page) throws -> Article {
        let html = Charset.decode(page.html, contentType: nil).text
        let document = try HTMLDocument(html: html, url: "http://fakehost/test/page.html")
        return ArticleExtractor(rules: SiteRules()).extract(document, url: "http://fakehost/test/page.html", exclude: [])
            .article
    }

    /// The text of an expected.html fragment (tags out, entities left to libxml2 by parsing it).
    static func text(ofFragment html: String) throws -> String {
        let doc = try HTMLDocument(html: "<html><body>" + html + "</body></html>")
        return doc.root?.textContent ?? ""
    }

    @Test(.enabled(if: available, "../shared/corpus is absent")) func bodyTextAgreesWithTheCorpus() throws {
        var pairs: [(String, String)] = []
        for page in try Self.pages() {
            pairs.append((try Self.text(ofFragment: page.expectedText), try Self.article(page).plainText))
        }
        #expect(pairs.count > 100)
        let f1 = Self.f1(pairs)
        #expect(f1 > 0.95, "F1 \(f1)")
    }

    @Test(.enabled(if: available, "../shared/corpus is absent")) func metadataAgreesWithTheCorpus() throws {
        var titles = 0, titleTotal = 0, bylines = 0, bylineTotal = 0, langs = 0, langTotal = 0
        var sites = 0, siteTotal = 0, dates = 0, dateTotal = 0
        for page in try Self.pages() {
            let a = try Self.article(page)
            if let title = page.metadata["title"] as? String, !title.isEmpty {
                titleTotal += 1
                if a.title == TextWalk.fold(title) { titles += 1 }
            }
            if let byline = page.metadata["byline"] as? String, !byline.isEmpty {
                bylineTotal += 1
                if a.byline == TextWalk.fold(byline) { bylines += 1 }
            }
            if let site = page.metadata["siteName"] as? String, !site.isEmpty {
                siteTotal += 1
                if a.siteName == TextWalk.fold(site) { sites += 1 }
            }
            if let date = page.metadata["publishedTime"] as? String, !date.isEmpty {
                dateTotal += 1
                if a.published == date { dates += 1 }
            }
            if let lang = page.metadata["lang"] as? String, !lang.isEmpty {
                langTotal += 1
                if a.language == lang { langs += 1 }
            }
        }
        #expect(Double(titles) / Double(titleTotal) > 0.9, "titles \(titles)/\(titleTotal)")
        #expect(Double(bylines) / Double(bylineTotal) > 0.85, "bylines \(bylines)/\(bylineTotal)")
        #expect(langs == langTotal, "languages \(langs)/\(langTotal)")
        #expect(sites == siteTotal, "site names \(sites)/\(siteTotal)")
        #expect(dates == dateTotal, "published times \(dates)/\(dateTotal)")
    }
}
