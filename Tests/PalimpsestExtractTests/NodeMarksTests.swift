import Foundation
import PalimpsestHTML
import Testing
@testable import PalimpsestExtract

/// The Swift walks and byte tests that replaced whole-document XPath scans: they must see exactly what
/// the expressions saw.
@Suite struct NodeMarksTests {
    static let page = """
        <html><body><!-- a comment --><div id="a1" class="x">text<span>in</span><p id=p>para</p></div>
        <ul><li><a name="c12">x</a></li><li class="Comment c 1234567">y</li><li class="comment 1234">z</li><li class="comment byuser 7654321">w</li></ul>
        <section id="comments"><h3 class="comments-title">3 comments</h3><div class="comment-respond  x">f</div></section>
        <table><tr><td id="cell9">t</td></tr></table><a id="x" name="c13">not a candidate: it has an id</a>
        </body></html>
        """

    @Test func theWalkVisitsEveryElementInDocumentOrderAsXPathDoes() throws {
        let document = try HTMLDocument(html: Self.page)
        let root = try #require(document.root)
        var walked: [HTMLNode] = []
        root.forEachElement { walked.append($0) }
        #expect(walked == document.select("//*"))
        #expect(walked.count > 15)
        // Below an inner element, only its subtree.
        let section = try #require(document.first("//section"))
        var inner: [String] = []
        section.forEachElement { inner.append($0.name) }
        #expect(inner == ["section", "h3", "div"])
        #expect(root.elements { $0.hasName("td") } == document.select("//td"))
    }

    @Test func candidateMarksMatchTheExpressionsTheyReplaced() throws {
        let document = try HTMLDocument(html: Self.page)
        let root = try #require(document.root)
        let walked = root.elements { node in CommentSelectors.candidates.contains { $0.marks(node) } }
        let xpath = document.select("""
            //*[@id][contains(translate(@id,'123456789','000000000'),'0')] | \
            //a[@name][not(@id)][contains(translate(@name,'123456789','000000000'),'0')] | \
            //*[@class][contains(@class,'comment')][contains(translate(@class,'0123456789','0000000000'),'00000')]
            """)
        #expect(walked == xpath)
        // The page scan (id and class read once per element) finds the same.
        let scan = ThreadScan(root)
        #expect(scan.candidates == xpath)
        #expect(scan.places.map(\.name) == ["section", "div"])
        #expect(scan.emptyThreadPlace?.name == "section")
        #expect(scan.labels.contains(document.first("//h3")!))
        // "Comment" (case kept) and four digits are no marks; an anchor with an id is read by its id.
        #expect(walked.map { $0.attribute("id") ?? $0.attribute("name") ?? $0.attribute("class") ?? "" }
            == ["a1", "c12", "comment byuser 7654321", "cell9"])
    }

    @Test func threadPlacesAreExactIDsAndClassTokens() throws {
        let document = try HTMLDocument(html: Self.page)
        let root = try #require(document.root)
        let places = ThreadScan(root).places
        #expect(places.map(\.name) == ["section", "div"])
        let h3 = try #require(document.first("//h3"))
        #expect(h3.withAttributeBytes("class") { HTMLNode.hasToken(of: CommentSelectors.threadPlaceClasses, in: $0) } == false)
    }

    @Test func byteWordsFindAnyWordWithoutASCIICase() {
        let words = ByteWords(["comment", "count", "réaction"])
        func occurs(_ s: String) -> Bool { Array(s.utf8).withUnsafeBufferPointer { words.occurs(in: $0) } }
        #expect(occurs("post-COMMENTS"))
        #expect(occurs("Count"))
        #expect(occurs("xx-réaction"))
        #expect(!occurs("comm"))
        #expect(!occurs("commend"))
        #expect(!occurs(""))
        // The first word of the list found, wherever it stands.
        let lowest = Array("x-COUNT-comment".utf8).withUnsafeBufferPointer { words.lowestMatch(in: $0, below: 3) }
        #expect(lowest == 0)
        let below = Array("x-COUNT-comment".utf8).withUnsafeBufferPointer { words.lowestMatch(in: $0, below: 0) }
        #expect(below == nil)
    }

    @Test func boundedTextGivesUpOnLongText() throws {
        let document = try HTMLDocument(html: "<div><h3> 12 <b>comments</b> </h3><p>\(String(repeating: "x", count: 5000))</p></div>")
        let h3 = try #require(document.first("//h3"))
        #expect(h3.text(maxBytes: 100) == h3.textContent)
        #expect(document.first("//div")!.text(maxBytes: 2000) == nil)
        #expect(document.first("//div")!.elementChildCount(upTo: 5) == 2)
    }
}
