import Foundation
import PalimpsestCore
import Testing
@testable import PalimpsestExtract

@Suite struct ThreadCompletenessTests {
    @Test func documentCutInsideTheCommentListIsIncomplete() throws {
        let html = try ThreadFixtures.html("wordpress-html5.html")
        let cut = String(html[..<html.range(of: "<li id=\"comment-505\"")!.lowerBound])
        let e = PageExtractor().extract(html: cut)
        #expect(!e.complete)
        #expect(e.problems.contains { $0.code == "truncated-document" && $0.severity == .incomplete })
        #expect(e.thread.items.map(\.id) == ["501", "502", "503", "504"])
    }

    @Test func maintenancePageServedWith200IsIncomplete() {
        let html = """
            <!DOCTYPE html><html><head><title>Site en maintenance</title></head><body><h1>Maintenance</h1>
            <p>Nous revenons très vite.</p></body></html>
            """
        let e = PageExtractor().extract(html: html)
        #expect(e.problems.contains { $0.code == "error-page" })
        #expect(!e.complete)
    }

    @Test func anArticleAboutMaintenanceIsNotAnErrorPage() throws {
        let words = String(repeating: "La maintenance des voies ferrées coûte cher aux régions et aux usagers. ", count: 20)
        let html = "<html><head><title>Maintenance du réseau</title></head><body><article><h1>Maintenance du réseau</h1><p>\(words)</p><p>\(words)</p></article></body></html>"
        let e = PageExtractor().extract(html: html)
        #expect(!e.problems.contains { $0.code == "error-page" })
    }

    @Test func declaredCountsInTheirManyForms() {
        #expect(ThreadExtractor.count(in: "34 Commentaires") == 34)
        #expect(ThreadExtractor.count(in: "91 comments") == 91)
        #expect(ThreadExtractor.count(in: "Kommentare (45)") == 45)
        #expect(ThreadExtractor.count(in: "Un commentaire") == 1)
        #expect(ThreadExtractor.count(in: "1.977 commentaires") == 1977)
        #expect(ThreadExtractor.count(in: "21 thoughts on “Harbour”") == 21)
        #expect(ThreadExtractor.count(in: "33 LESER-KOMMENTARE") == 33)
        #expect(ThreadExtractor.count(in: "12 تعليقات") == 12)
        #expect(ThreadExtractor.count(in: "Laisser un commentaire") == nil)
        #expect(ThreadExtractor.count(in: "Aucun commentaire") == 0)
    }
}
