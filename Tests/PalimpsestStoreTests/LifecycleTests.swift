import Foundation
import PalimpsestCore
import Testing

@testable import PalimpsestStore

/// Builds captures by hand: a page with these comments (id → text, parent), complete or not.
struct CaptureSequence {
    let store: Store
    let url = "https://news.example/2026/a/"
    var hour = 0.0

    init() throws {
        store = try Store(path: temporaryPath())
    }

    static func comment(_ id: String, _ text: String, parent: String? = nil, depth: Int? = nil, author: String = "A") -> PalimpsestCore.Comment {
        PalimpsestCore.Comment(id: id, parent: parent, depth: depth ?? (parent == nil ? 0 : 1), author: author, paragraphs: [text])
    }

    func response(_ status: Int = 200, body: String = "<html><body>page</body></html>") -> HTTPResponse {
        HTTPResponse(requestedURL: url, finalURL: url, status: status, headers: [HTTPHeader("Content-Type", "text/html")],
                     body: Data(body.utf8), text: body)
    }

    mutating func capture(_ comments: [PalimpsestCore.Comment], body: [String] = ["Body."], complete: Bool = true, status: Int = 200,
                          raw: String? = nil) throws -> CaptureRecord {
        hour += 1
        let problems = complete ? [] : [Problem("truncated-document", "cut")]
        let extraction = status == 200
            ? Extraction(url: url, article: Article(title: "T", blocks: body.map { Block(.paragraph, $0) }),
                         thread: CommentThread(items: comments, declaredCount: comments.count), problems: problems)
            : nil
        let text = raw ?? "<html><body>\(comments.map(\.text).joined())\(body.joined())</body></html>"
        return try store.record(CaptureInput(url: url, capturedAt: Date(timeIntervalSince1970: 1_767_225_600 + hour * 3600),
                                             responses: [response(status, body: text)], extraction: extraction))
    }
}

func temporaryPath(_ name: String = "store.sqlite") -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("palimpsest-store-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

@Suite struct LifecycleTests {
    typealias C = CaptureSequence

    @Test func appearEditDisappearReappear() throws {
        var s = try CaptureSequence()
        let a = try s.capture([C.comment("1", "first"), C.comment("2", "second")])
        #expect(a.changes.appeared == ["1", "2"])
        #expect(a.changes.articleChanged)
        let b = try s.capture([C.comment("1", "first, edited"), C.comment("2", "second"), C.comment("3", "third")])
        #expect(b.changes.appeared == ["3"])
        #expect(b.changes.edited == ["1"])
        #expect(!b.changes.articleChanged)
        let c = try s.capture([C.comment("1", "first, edited"), C.comment("3", "third")])
        #expect(c.changes.disappeared == ["2"])
        #expect(c.changes.present == 2)
        let d = try s.capture([C.comment("1", "first, edited"), C.comment("2", "second"), C.comment("3", "third")])
        #expect(d.changes.reappeared == ["2"])
        #expect(d.changes.appeared.isEmpty)

        // The state at each capture.
        let atB = try s.store.snapshot(url: s.url, at: 2, includeRemoved: false)
        #expect(atB.comments.map(\.comment.id) == ["1", "2", "3"])
        #expect(atB.comments.first?.comment.text == "first, edited")
        let atA = try s.store.snapshot(url: s.url, at: 1, includeRemoved: false)
        #expect(atA.comments.first?.comment.text == "first")
        let atC = try s.store.snapshot(url: s.url, at: 3, includeRemoved: true)
        let gone = try #require(atC.comments.first { $0.comment.id == "2" })
        #expect(!gone.present)
        #expect(gone.disappearedAt?.number == 3)
        #expect(try s.store.snapshot(url: s.url, at: 3, includeRemoved: false).comments.count == 2)

        // Versions with the captures where each was first and last seen.
        let rows = try s.store.commentVersions(url: s.url)
        let first = rows.filter { $0.commentID == "1" }
        #expect(first.map(\.version) == [1, 2])
        #expect(first.map(\.firstSeenCapture) == [1, 2])
        #expect(first.map(\.lastSeenCapture) == [1, 4])
    }

    @Test func anIncompleteCaptureChangesNothing() throws {
        var s = try CaptureSequence()
        _ = try s.capture([C.comment("1", "one"), C.comment("2", "two"), C.comment("3", "three")])
        let cut = try s.capture([C.comment("1", "one")], body: [], complete: false)
        #expect(!cut.info.complete)
        #expect(cut.changes.disappeared.isEmpty && cut.changes.appeared.isEmpty && !cut.changes.articleChanged)
        #expect(cut.changes.present == 3)
        let next = try s.capture([C.comment("1", "one"), C.comment("2", "two"), C.comment("3", "three")])
        #expect(next.changes.appeared.isEmpty && next.changes.disappeared.isEmpty && next.changes.reappeared.isEmpty)
    }

    @Test func failuresGoneAndUnchangedChangeNothing() throws {
        var s = try CaptureSequence()
        _ = try s.capture([C.comment("1", "one"), C.comment("2", "two")])
        let gone = try s.capture([], status: 404)
        #expect(gone.info.outcome == .gone)
        #expect(gone.changes.disappeared.isEmpty)
        #expect(gone.changes.present == 2)
        let busy = try s.capture([], status: 503)
        #expect(busy.info.outcome == .failed)
        let same = try s.capture([], status: 304)
        #expect(same.info.outcome == .unchanged)
        let failed = try s.store.record(CaptureInput(url: s.url, capturedAt: Date(),
                                                     failure: FetchFailure(.network, url: s.url, message: "refused", curlCode: 7)))
        #expect(failed.info.outcome == .failed)
        #expect(failed.info.problems.first?.message.contains("curl error 7") == true)
        let back = try s.capture([C.comment("1", "one"), C.comment("2", "two")])
        #expect(back.changes.appeared.isEmpty && back.changes.disappeared.isEmpty)
        #expect(try s.store.history(url: s.url).map(\.info.complete) == [true, false, false, false, false, true])
    }

    @Test func orphansKeepTheirParentAndAreMarked() throws {
        var s = try CaptureSequence()
        _ = try s.capture([C.comment("10", "parent"), C.comment("11", "reply", parent: "10"), C.comment("12", "other")])
        // The parent is removed; the theme shows its reply at top level with its depth kept, and no parent link.
        let r = try s.capture([C.comment("11", "reply", parent: nil, depth: 1), C.comment("12", "other")])
        #expect(r.changes.disappeared == ["10"])
        #expect(r.changes.edited.isEmpty, "losing the parent link in the markup is not an edit")
        let snap = try s.store.snapshot(url: s.url, at: 2, includeRemoved: false)
        let orphan = try #require(snap.comments.first { $0.comment.id == "11" })
        #expect(orphan.orphan)
        #expect(orphan.comment.parent == "10")
        #expect(!(snap.comments.first { $0.comment.id == "12" }?.orphan ?? true))
        // With the removed comments, the reply sits under its parent again.
        let all = try s.store.snapshot(url: s.url, at: 2, includeRemoved: true)
        #expect(all.comments.map(\.comment.id) == ["10", "11", "12"])
        #expect(all.comments.map(\.comment.depth) == [0, 1, 0])
    }

    @Test func articleVersionsOnlyWhenTitleBylineOrBodyChange() throws {
        var s = try CaptureSequence()
        _ = try s.capture([], body: ["One."])
        #expect(try !s.capture([], body: ["One."]).changes.articleChanged)
        #expect(try s.capture([], body: ["One.", "Two."]).changes.articleChanged)
        #expect(try s.store.snapshot(url: s.url, at: 1, includeRemoved: false).article.paragraphs == ["One."])
        #expect(try s.store.snapshot(url: s.url, at: 3, includeRemoved: false).article.paragraphs == ["One.", "Two."])
    }

    @Test func refsResolveToCompleteCaptures() throws {
        var s = try CaptureSequence()
        _ = try s.capture([C.comment("1", "x")])  // 01:00
        _ = try s.capture([C.comment("1", "x")], complete: false)  // 02:00
        _ = try s.capture([C.comment("1", "x")])  // 03:00
        let t = Date(timeIntervalSince1970: 1_767_225_600 + 2.5 * 3600)
        #expect(try s.store.resolve(url: s.url, .time(t)).number == 1, "a time names the last complete capture at or before it")
        #expect(try s.store.resolve(url: s.url, .number(2)).number == 2)
        #expect(try s.store.resolve(url: s.url, .latestComplete).number == 3)
        #expect(try s.store.lastTwoComplete(url: s.url).0.number == 1)
        #expect(throws: StoreError.self) { try s.store.resolve(url: s.url, .number(9)) }
        #expect(throws: StoreError.self) { try s.store.resolve(url: s.url, .time(Date(timeIntervalSince1970: 0))) }
        #expect(throws: StoreError.self) { try s.store.history(url: "https://never.example/") }
    }

    @Test func rawBodiesAreKeptByteForByteAndDeduplicated() throws {
        var s = try CaptureSequence()
        let page = String(repeating: "<p>a long comment thread that grows</p>\n", count: 400)
        _ = try s.capture([], raw: "<html><body>" + page + "</body></html>")
        _ = try s.capture([], raw: "<html><body>" + page + "</body></html>")
        _ = try s.capture([], raw: "<html><body>" + page + "<p>one more comment</p></body></html>")
        let responses = try s.store.responses(url: s.url, capture: nil)
        #expect(responses.count == 3)
        #expect(String(decoding: responses[2].response.body, as: UTF8.self).hasSuffix("<p>one more comment</p></body></html>"))
        #expect(responses[0].sha256 == responses[1].sha256)
        let stored = try s.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM body") }
        #expect(stored == 2, "identical bodies are stored once")
        let deltaSize = try s.store.read { db in
            try Int.fetchOne(db, sql: "SELECT length(data) FROM body WHERE base IS NOT NULL")
        }
        #expect((deltaSize ?? .max) < 200, "a body that differs a little is stored as a small delta")
    }

    @Test func reextractRebuildsTheLifecycle() throws {
        var s = try CaptureSequence()
        _ = try s.capture([C.comment("1", "one")], raw: "<html><body><p id='c-1'>one</p></body></html>")
        _ = try s.capture([C.comment("1", "one"), C.comment("2", "two")], raw: "<html><body><p id='c-1'>one</p><p id='c-2'>two</p></body></html>")
        // An "improved extractor" that reads ids from the raw bodies.
        let n = try s.store.reextract(url: s.url) { responses in
            let html = String(decoding: responses[0].response.body, as: UTF8.self)
            let ids = html.components(separatedBy: "id='c-").dropFirst().map { String($0.prefix { $0.isNumber }) }
            return Extraction(article: Article(title: "T", blocks: [Block(.paragraph, "Body.")]),
                              thread: CommentThread(items: ids.map { C.comment($0, "re-read \($0)") }))
        }
        #expect(n == 2)
        let h = try s.store.history(url: s.url)
        #expect(h.map(\.changes.appeared) == [["1"], ["2"]])
        #expect(try s.store.snapshot(url: s.url, at: 2, includeRemoved: false).comments.map(\.comment.text) == ["re-read 1", "re-read 2"])
    }
}

@Suite struct StoreFileTests {
    @Test func aFileThatIsNotAStoreIsRefusedAndLeftAlone() throws {
        let path = temporaryPath("notes.txt")
        try Data("my notes\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { try Store(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("my notes\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func anotherApplicationsDatabaseIsRefused() throws {
        let path = temporaryPath("other.sqlite")
        let q = try DatabaseQueueForTests(path: path)
        try q.create()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { try Store(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aStoreFromANewerVersionIsRefused() throws {
        let path = temporaryPath()
        let store = try Store(path: path)
        try store.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        #expect {
            try Store(path: path)
        } throws: { error in
            "\(error)".contains("newer version")
        }
    }

    @Test func readersWorkWhileAWriterWrites() async throws {
        let path = temporaryPath()
        var s = CaptureSequence(store: try Store(path: path))
        _ = try s.capture([CaptureSequence.comment("1", "one")])
        let reader = try Store.openExisting(path: path)
        let url = s.url
        let writer = Task.detached {
            var w = s
            for i in 0..<40 { _ = try w.capture((0...i).map { CaptureSequence.comment(String($0), "c\($0)") }) }
        }
        var reads = 0
        for _ in 0..<40 {
            let h = try reader.history(url: url)
            let last = try #require(h.last)
            let snap = try reader.snapshot(url: url, at: last.info.number, includeRemoved: false)
            #expect(snap.comments.count == last.changes.present, "a reader sees whole captures only")
            reads += 1
        }
        try await writer.value
        #expect(reads == 40)
        #expect(try reader.history(url: url).count == 41)
    }
}

extension CaptureSequence {
    init(store: Store) {
        self.store = store
    }
}
