import Foundation
import PalimpsestCore
import Testing

@testable import PalimpsestStore

/// The shared scenario (../shared/scenarios/bamako-thread), fed as hand-built extractions from its
/// expected.json with the real page bytes as bodies: what the store must report at each capture.
@Suite struct ScenarioTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/scenarios/bamako-thread")
    static var available: Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent("expected.json").path) }

    struct Expected: Decodable {
        struct Capture: Decodable {
            var file: String
            var captured_at: String
            var appeared: [Int]
            var disappeared: [Int]
            var edited: [Int]
            var orphans: [Int]?
        }
        struct Entry: Decodable {
            var id: Int
            var parent: Int?
            var author: String
            var posted: String
            var text_start: String
        }
        var url: String
        var title: String
        var captures: [Capture]
        var thread: [Entry]
    }

    @Test(.enabled(if: ScenarioTests.available)) func theBamakoThread() throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: ScenarioTests.folder.appendingPathComponent("expected.json")))
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        let entries = Dictionary(uniqueKeysWithValues: expected.thread.map { ($0.id, $0) })
        func item(_ id: Int, removedParent: Set<Int> = [], edited: Bool = false) -> Item {
            let e = entries[id]!
            // WordPress prints a reply whose parent was removed at top level, its depth class kept.
            let parent = e.parent.flatMap { removedParent.contains($0) ? nil : String($0) }
            return Item(id: String(id), parent: parent, depth: e.parent == nil ? 0 : 1, author: e.author, posted: e.posted,
                        paragraphs: [e.text_start + (edited ? " [modifié]" : "…")])
        }
        func input(_ file: String, _ at: String, _ items: [Item], problems: [Problem] = []) throws -> CaptureInput {
            let body = try Data(contentsOf: ScenarioTests.folder.appendingPathComponent(file))
            let article = Article(title: expected.title, byline: "La rédaction", blocks: [Block(.paragraph, "Corps.")])
            return CaptureInput(url: expected.url, capturedAt: ISO8601DateFormatter().date(from: at)!,
                                responses: [Fixture.response(body)],
                                extraction: Extraction(url: expected.url, article: article,
                                                       thread: CommentThread(items: items), problems: problems))
        }
        var present: [Int] = []
        var removed = Set<Int>()
        var editedIDs = Set<Int>()
        for (i, capture) in expected.captures.enumerated() {
            present = present.filter { !capture.disappeared.contains($0) } + capture.appeared
            removed.formUnion(capture.disappeared)
            editedIDs.formUnion(capture.edited)
            let items = present.sorted().map { item($0, removedParent: removed, edited: editedIDs.contains($0)) }
            let r = try store.record(try input(capture.file, capture.captured_at, items))
            #expect(r.info.complete && r.info.number == i + 1)
            #expect(r.changes.appeared == capture.appeared.map(String.init), "\(capture.file) #\(i + 1)")
            #expect(r.changes.disappeared == capture.disappeared.map(String.init), "\(capture.file) #\(i + 1)")
            #expect(r.changes.edited == capture.edited.map(String.init), "\(capture.file) #\(i + 1)")
            #expect(r.changes.present == present.count)
            let snapshot = try store.snapshot(url: expected.url, at: r.info.number, includeRemoved: false)
            if let orphans = capture.orphans {
                #expect(snapshot.comments.filter(\.orphan).map(\.comment.id) == orphans.map(String.init))
            }
        }
        // The faulty pages: incomplete, so nothing disappears.
        let last = present.sorted().map { item($0, removedParent: removed, edited: editedIDs.contains($0)) }
        let truncated = try store.record(try input("truncated.html", "2025-11-06T15:00:00+01:00", Array(last.prefix(10)),
                                                   problems: [Problem("truncated-document", "cut inside the comment list")]))
        let soft = try store.record(try input("soft-error.html", "2025-11-06T16:00:00+01:00", [],
                                              problems: [Problem("error-page", "a maintenance page")]))
        for r in [truncated, soft] {
            #expect(!r.info.complete && r.changes == CaptureChanges(present: present.count))
        }
        let final = try store.snapshot(url: expected.url, at: try store.resolve(url: expected.url, .latestComplete).number,
                                       includeRemoved: true)
        #expect(final.comments.filter { !$0.present }.map(\.comment.id) == ["48100"])
        #expect(final.state("48101")?.comment.depth == 1, "orphans shown under their removed parent")
        let history = try store.history(url: expected.url)
        #expect(history.map(\.changes.present) == [6, 19, 31, 31, 31, 31])
        #expect(history.map(\.info.complete) == [true, true, true, true, false, false])
        // Raw bytes kept: every body restored; t2 twice is stored once.
        let responses = try store.responses(url: expected.url, capture: nil)
        #expect(Set(responses.map(\.sha256)).count == 5)
        #expect(try responses[2].response.body == Data(contentsOf: ScenarioTests.folder.appendingPathComponent("t2.html")))
    }
}
