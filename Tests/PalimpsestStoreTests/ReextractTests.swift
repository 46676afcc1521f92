import Foundation
import PalimpsestCore
import Testing

@testable import PalimpsestStore

/// Derived data rebuilt from the raw bodies.
@Suite struct ReextractTests {
    /// Reads back what `Fixture.html` wrote; a page cut short is incomplete. `skipping` drops an author's
    /// comments (an extractor that reads differently).
    static func extract(_ responses: [StoredResponse], skipping: String? = nil) -> Extraction {
        guard let main = responses.first else { return Extraction() }
        let text = String(decoding: main.response.body, as: UTF8.self)
        var items: [Item] = []
        var title: String?
        var blocks: [Block] = []
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("<html><body><h1>") {
                title = line.components(separatedBy: "<h1>")[1].components(separatedBy: "</h1>")[0]
                if let p = line.components(separatedBy: "<p>").dropFirst().first {
                    blocks.append(Block(.paragraph, p.components(separatedBy: "</p>")[0]))
                }
            } else if line.hasPrefix("<p>") {
                blocks.append(Block(.paragraph, line.components(separatedBy: "<p>")[1].components(separatedBy: "</p>")[0]))
            } else if line.hasPrefix("<li id=\"comment-") {
                let id = line.components(separatedBy: "comment-")[1].components(separatedBy: "\"")[0]
                let parent = line.components(separatedBy: "data-parent=\"")[1].components(separatedBy: "\"")[0]
                let author = line.components(separatedBy: "<b>")[1].components(separatedBy: "</b>")[0]
                let paragraphs = line.components(separatedBy: "<p>").dropFirst().map { $0.components(separatedBy: "</p>")[0] }
                if author == skipping { continue }
                items.append(Fixture.comment(id, paragraphs.joined(separator: "\n\n"), parent: parent.isEmpty ? nil : parent,
                                             author: author))
            }
        }
        let complete = text.hasSuffix("</html>\n")
        return Extraction(url: Fixture.url, article: Article(title: title, byline: "A. Writer", blocks: blocks),
                          thread: CommentThread(items: items, declaredCount: items.count),
                          problems: complete ? [] : [Problem("truncated-document", "the page is cut short")])
    }

    @Test func rebuildsTheSameLifecycleFromRawBodies() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        let c = Fixture.comment
        let a = c("1", "One.", nil, "Ann", .comment), b = c("2", "Two.", "1", "Bob", .comment)
        let d = c("3", "Three.", nil, "Cy", .comment)
        var inputs = [Fixture.capture([a, b], hour: 0), Fixture.capture([a, b, d], hour: 1)]
        // A truncated page: recorded from its bytes, incomplete.
        var cut = Fixture.capture([a], hour: 2)
        cut.responses[0].body = cut.responses[0].body.prefix(cut.responses[0].body.count - 30)
        cut.extraction = ReextractTests.extract([StoredResponse(captureNumber: 0, ordinal: 0, capturedAt: Date(),
                                                                sha256: "", response: cut.responses[0])])
        inputs.append(cut)
        inputs.append(Fixture.status(304, hour: 3))
        inputs.append(Fixture.capture([b, c("3", "Three, edited.", nil, "Cy", .comment)], hour: 4))
        for input in inputs {
            let r = try store.record(input)
            #expect(r.info.complete == (r.info.number != 3 && r.info.number != 4))
        }
        let history = try store.history(url: Fixture.url)
        let snapshots = try (1...5).map { try store.snapshot(url: Fixture.url, at: $0, includeRemoved: true) }
        let versions = try store.commentVersions(url: Fixture.url)

        #expect(try store.reextract(url: Fixture.url) { ReextractTests.extract($0) } == 4)
        #expect(try store.history(url: Fixture.url) == history)
        #expect(try (1...5).map { try store.snapshot(url: Fixture.url, at: $0, includeRemoved: true) } == snapshots)
        #expect(try store.commentVersions(url: Fixture.url) == versions)

        // An extractor that reads the page differently (it misses Bob): the lifecycle follows it.
        #expect(try store.reextract(url: nil) { ReextractTests.extract($0, skipping: "Bob") } == 4)
        let after = try store.history(url: Fixture.url)
        #expect(after[0].changes.appeared == ["1"] && after[4].changes.disappeared == ["1"])
        #expect(after[4].changes.edited == ["3"] && after.map(\.changes.present) == [1, 2, 2, 2, 1])
        #expect(after.map(\.info.complete) == history.map(\.info.complete))
        #expect(try store.integrityCheck())
        #expect(throws: StoreError.self) { try store.reextract(url: "https://unknown.example/") { _ in Extraction() } }
    }
}
