import Foundation
import PalimpsestCore
import Testing

@testable import PalimpsestStore

/// The lifecycle rules on crafted sequences of captures.
@Suite struct LifecycleTests {
    let c = Fixture.comment

    @Test func appearEditDisappearReappearAndOrphans() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        let a = c("1", "Top.", nil, "Ann", .comment)
        let b = c("2", "Reply to one.", "1", "Bob", .comment)
        let d = c("3", "Another.", nil, "Cy", .comment)

        let r1 = try store.record(Fixture.capture([a, b, d], hour: 0))
        #expect(r1.info.outcome == .fetched && r1.info.complete && r1.info.number == 1)
        #expect(r1.changes.appeared == ["1", "2", "3"] && r1.changes.articleChanged && r1.changes.present == 3)

        // Edit 3, remove 1: 2 is left an orphan, printed at top level by the site (depth kept).
        var orphan = b
        orphan.parent = nil
        let d2 = c("3", "Another, edited.", nil, "Cy", .comment)
        let r2 = try store.record(Fixture.capture([orphan, d2], hour: 1))
        #expect(r2.changes.disappeared == ["1"] && r2.changes.edited == ["3"] && r2.changes.appeared.isEmpty)
        #expect(!r2.changes.articleChanged && r2.changes.present == 2)
        let s2 = try store.snapshot(url: Fixture.url, at: 2, includeRemoved: false)
        #expect(s2.ids == ["2", "3"])
        #expect(s2.state("2")?.orphan == true && s2.state("2")?.comment.parent == "1")
        #expect(s2.state("3")?.comment.text == "Another, edited.")
        let s2all = try store.snapshot(url: Fixture.url, at: 2, includeRemoved: true)
        #expect(s2all.ids == ["1", "2", "3"])
        #expect(s2all.state("1")?.present == false && s2all.state("1")?.disappearedAt?.number == 2)
        #expect(s2all.state("2")?.comment.depth == 1, "under its removed parent when removed ones are shown")

        // 1 is back (moderation undone): a reappearance, and 2 is no longer an orphan.
        let r3 = try store.record(Fixture.capture([a, b, d2], hour: 2))
        #expect(r3.changes.reappeared == ["1"] && r3.changes.appeared.isEmpty && r3.changes.disappeared.isEmpty)
        #expect(r3.changes.edited.isEmpty && r3.changes.present == 3)
        let s3 = try store.snapshot(url: Fixture.url, at: 3, includeRemoved: false)
        #expect(s3.ids == ["1", "2", "3"] && s3.comments.allSatisfy { !$0.orphan })
        #expect(s3.state("1")?.appearedAt == 1)

        // The past stays as it was.
        let s1 = try store.snapshot(url: Fixture.url, at: 1, includeRemoved: true)
        #expect(s1.ids == ["1", "2", "3"] && s1.state("3")?.comment.text == "Another.")
        #expect(s1.comments.allSatisfy { $0.present })

        let history = try store.history(url: Fixture.url)
        #expect(history.map(\.changes) == [r1.changes, r2.changes, r3.changes])
        #expect(history.map(\.info) == [r1.info, r2.info, r3.info])

        // Versions with the captures where each was first and last seen.
        let rows = try store.commentVersions(url: Fixture.url)
        let three = rows.filter { $0.commentID == "3" }
        #expect(three.map(\.version) == [1, 2])
        #expect(three.map(\.firstSeenCapture) == [1, 2] && three.map(\.lastSeenCapture) == [1, 3])
        let one = rows.filter { $0.commentID == "1" }
        #expect(one.count == 1 && one[0].lastSeenCapture == 3 && one[0].disappearedCapture == nil)
    }

    @Test func anIncompleteCaptureChangesNothing() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        let items = (1...5).map { c(String($0), "Comment \($0).", nil, "R", .comment) }
        _ = try store.record(Fixture.capture(items, hour: 0))
        // Truncated inside the thread: two comments missing, one edited, one new, a new article body.
        var seen = Array(items.prefix(3))
        seen[0].paragraphs = ["Edited."]
        seen.append(c("9", "New.", nil, "R", .comment))
        let truncated = Fixture.capture(seen, hour: 1, article: Fixture.article(["Changed."]),
                                        problems: [Problem("truncated-document", "the page ends inside the thread")])
        let r2 = try store.record(truncated)
        #expect(r2.info.outcome == .fetched && !r2.info.complete)
        #expect(r2.changes == CaptureChanges(present: 5))
        #expect(r2.info.problems.map(\.code) == ["truncated-document"])
        // A comment page that failed to fetch makes it incomplete too.
        let r3 = try store.record(Fixture.capture(Array(items.prefix(2)), hour: 2,
                                                  extraProblems: [Problem("comment-page-missing", "page 2: HTTP 500")]))
        #expect(!r3.info.complete && r3.changes == CaptureChanges(present: 5))
        // A warning does not.
        let r4 = try store.record(Fixture.capture(items, hour: 3,
                                                  problems: [Problem("count-mismatch", "6 declared", severity: .warning)]))
        #expect(r4.info.complete && r4.changes == CaptureChanges(present: 5))

        let s = try store.snapshot(url: Fixture.url, at: 3, includeRemoved: true)
        #expect(s.ids == ["1", "2", "3", "4", "5"] && s.comments.allSatisfy { $0.present })
        #expect(s.state("1")?.comment.text == "Comment 1." && s.article.paragraphs == Fixture.article().paragraphs)
        #expect(try store.resolve(url: Fixture.url, .latestComplete).number == 4)
        let (x, y) = try store.lastTwoComplete(url: Fixture.url)
        #expect((x.number, y.number) == (1, 4))
    }

    @Test func failuresNotModifiedAndGonePagesChangeNothing() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        let items = [c("1", "One.", nil, "R", .comment), c("2", "Two.", "1", "S", .comment)]
        _ = try store.record(Fixture.capture(items, hour: 0))
        let failed = try store.record(Fixture.failure(hour: 1))
        #expect(failed.info.outcome == .failed && !failed.info.complete && failed.changes == CaptureChanges(present: 2))
        #expect(failed.info.problems.first?.message.contains("curl error 7") == true)
        let notModified = try store.record(Fixture.status(304, hour: 2))
        #expect(notModified.info.outcome == .unchanged && !notModified.info.complete && notModified.info.httpStatus == 304)
        #expect(notModified.changes == CaptureChanges(present: 2))
        let unavailable = try store.record(Fixture.status(503, hour: 3))
        #expect(unavailable.info.outcome == .failed && unavailable.info.problems.map(\.code) == ["http-status"])
        let gone = try store.record(Fixture.status(404, hour: 4))
        #expect(gone.info.outcome == .gone && gone.info.problems.map(\.code) == ["page-gone"])
        #expect(gone.changes == CaptureChanges(present: 2))
        let gone410 = try store.record(Fixture.status(410, hour: 5))
        #expect(gone410.info.outcome == .gone)
        // Back again, one comment fewer: only now does one disappear.
        let back = try store.record(Fixture.capture([items[0]], hour: 6))
        #expect(back.info.complete && back.changes.disappeared == ["2"] && back.changes.present == 1)
        let history = try store.history(url: Fixture.url)
        #expect(history.map(\.info.outcome) == [.fetched, .failed, .unchanged, .failed, .gone, .gone, .fetched])
        #expect(history.map(\.changes.present) == [2, 2, 2, 2, 2, 2, 1])
        let all = try store.snapshot(url: Fixture.url, at: 7, includeRemoved: true)
        #expect(all.state("2")?.disappearedAt?.number == 7)
        // A time names the last complete capture at or before it.
        #expect(try store.resolve(url: Fixture.url, .time(Fixture.start.addingTimeInterval(5.5 * 3600))).number == 1)
        #expect(try store.resolve(url: Fixture.url, .number(4)).outcome == .failed)
        #expect(throws: StoreError.self) { try store.resolve(url: Fixture.url, .time(Fixture.start.addingTimeInterval(-1))) }
        #expect(throws: StoreError.self) { try store.resolve(url: Fixture.url, .number(99)) }
        #expect(throws: StoreError.self) { try store.history(url: "https://elsewhere.example/") }
    }

    @Test func pingbacksPlaceholdersMovesAndArticleVersions() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        let a = c("1", "One.", nil, "R", .comment)
        let b = c("2", "Two.", nil, "S", .comment)
        let ping = c("p1", "Some blog linked here.", nil, "Blog", .pingback)
        let r1 = try store.record(Fixture.capture([a, b, ping], hour: 0))
        #expect(r1.changes.appeared == ["1", "2"] && r1.changes.present == 2)

        // 1 replaced by a placeholder (an edit into the placeholder kind); 2 moved under 1 (not an edit);
        // the pingback removed (not a comment: not listed).
        let removed = c("1", "This comment has been removed.", nil, "", .placeholder)
        let moved = c("2", "Two.", "1", "S", .comment)
        let r2 = try store.record(Fixture.capture([removed, moved], hour: 1, article: Fixture.article(title: "A thread, updated")))
        #expect(r2.changes.edited == ["1"] && r2.changes.disappeared.isEmpty && r2.changes.articleChanged)
        #expect(r2.changes.present == 2)
        let s2 = try store.snapshot(url: Fixture.url, at: 2, includeRemoved: false)
        #expect(s2.ids == ["1", "2"] && s2.state("1")?.comment.kind == .placeholder && s2.state("2")?.comment.depth == 1)
        #expect(s2.article.title == "A thread, updated")
        #expect(try store.snapshot(url: Fixture.url, at: 1, includeRemoved: false).article.title == "A thread")
        let versions = try store.commentVersions(url: Fixture.url)
        #expect(versions.filter { $0.commentID == "2" }.map(\.parent) == [nil, "1"])
        #expect(versions.first { $0.commentID == "p1" }?.disappearedCapture == 2)

        // Same title, byline and body: no new article version even if other metadata changed.
        var same = Fixture.article(title: "A thread, updated")
        same.modified = "2025-11-06T10:00:00Z"
        let r3 = try store.record(Fixture.capture([removed, moved], hour: 2, article: same))
        #expect(!r3.changes.articleChanged && r3.changes == CaptureChanges(present: 2))
    }

    @Test func commentsWithoutSiteIDsAndDuplicates() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        let fp = Item.fingerprint(author: "Anon", posted: nil, text: "No id here.")
        var anon = Item(id: fp, hasSiteID: false, author: "Anon", paragraphs: ["No id here."])
        anon.depth = 0
        let a = c("1", "One.", nil, "R", .comment)
        let r1 = try store.record(Fixture.capture([a, anon, a], hour: 0))
        #expect(r1.changes.appeared == ["1", fp] && r1.changes.present == 2, "a repeated item counts once")
        let s = try store.snapshot(url: Fixture.url, at: 1, includeRemoved: false)
        #expect(s.state(fp)?.comment.hasSiteID == false)
        let r2 = try store.record(Fixture.capture([a], hour: 1))
        #expect(r2.changes.disappeared == [fp])
    }

    @Test func paragraphsRoundTrip() {
        for p in [[], [""], ["a"], ["a", "", "b"], ["\u{301}combining after the separator", "x"], ["has \u{1F} inside", "y"],
                  ["[looks like json]"], ["line\nbreak", "tab\there"]] {
            #expect(Paragraphs.decode(Paragraphs.encode(p)) == p)
        }
    }
}
