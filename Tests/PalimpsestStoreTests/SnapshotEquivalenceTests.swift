import Foundation
import GRDB
import PalimpsestCore
import Testing

@testable import PalimpsestStore

/// Snapshots, as the store assembles them from its range reads, against a plain reading of the tables one
/// comment at a time, on a thread where comments appear, are edited, disappear, come back, are orphaned,
/// reply to comments never seen, form a parent cycle, and where some captures are incomplete.
@Suite struct SnapshotEquivalenceTests {
    @Test func snapshotsMatchAPlainReadingOfTheTables() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        let captures = try SnapshotEquivalenceTests.record(store)
        let reference = try Reference(path: path, store: store)
        // The cases are there: comments that came back, an incomplete capture, orphans, removed ones.
        #expect(try reference.queue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM presence GROUP BY comment_id HAVING count(*) > 1")
        } != nil)
        #expect(try !store.resolve(url: Fixture.url, .number(5)).complete)
        let last = try reference.comments(at: captures, includeRemoved: true)
        #expect(last.contains(where: \.orphan) && last.contains { !$0.present && $0.disappearedAt != nil })
        for n in 1...captures {
            for removed in [false, true] {
                let s = try store.snapshot(url: Fixture.url, at: n, includeRemoved: removed)
                #expect(s.capture == (try store.resolve(url: Fixture.url, .number(n))), "capture \(n)")
                #expect(s.comments == (try reference.comments(at: n, includeRemoved: removed)),
                        "capture \(n), removed shown: \(removed)")
            }
        }
        // Several captures at once (a diff's two sides, in any order, the same one twice, three).
        for numbers in [[1, captures], [captures, 2], [7, 7], [5, 2, 9], [3, 12, 6]] {
            for removed in [false, true] {
                let together = try store.snapshots(url: Fixture.url, at: numbers, includeRemoved: removed)
                #expect(together.map(\.comments) == (try numbers.map { try reference.comments(at: $0, includeRemoved: removed) }),
                        "captures \(numbers), removed shown: \(removed)")
                #expect(together == (try numbers.map { try store.snapshot(url: Fixture.url, at: $0, includeRemoved: removed) }))
            }
        }
    }

    /// Slots in order of first appearance, whether the ids are close together (a flat table) or far apart.
    @Test func slotTableNumbersIDsInOrderOfFirstAppearance() {
        for ids: [Int64] in [[7, 5, 7, 9, 5], [7, 5_000_000, 7, 9, 5_000_000]] {
            let table = SlotTable(ids: ids)
            #expect(table.count == 3)
            #expect([ids[0], ids[1], ids[3]].map { table.slot(of: $0) } == [0, 1, 2])
            #expect([0, 6, 8, 10, 4_999_999, 5_000_001].allSatisfy { table.slot(of: $0) == nil })
        }
        #expect(SlotTable(ids: [Int64]()).slot(of: 1) == nil)
    }

    /// 14 captures of a changing 120-comment thread (every fifth incomplete), with the odd cases added by
    /// hand. Returns the number of captures.
    static func record(_ store: Store) throws -> Int {
        var thread = SyntheticThread(comments: 120, seed: 7)
        let odd = [
            Fixture.comment("x1", "Replies to a comment never captured.", parent: "never-seen"),
            Fixture.comment("x2", "In a cycle.", parent: "x3"),
            Fixture.comment("x3", "In the same cycle.", parent: "x2"),
            Fixture.comment("x4", "Its own parent.", parent: "x4"),
            Fixture.comment("x5", "Two paragraphs.\n\nThe second, with a \u{1F} separator in it."),
            Fixture.comment("x6", "A pingback.", kind: .pingback),
            Fixture.comment("x7", "Cut at a NUL\u{0} as the store has always read it."),
            Item(id: "x8", paragraphs: []),
        ]
        let captures = 14
        for n in 1...captures {
            if n > 1 { thread.change(16) }
            var items = thread.items
            // The odd ones come and go too: all of them at first, then each on some captures only.
            items += odd.enumerated().filter { i, _ in n < 3 || (n + i) % 4 != 0 }.map(\.1)
            var input = Fixture.capture(items, hour: Double(n))
            if n % 5 == 0 {
                input.extraction?.thread.items.removeLast(30)
                input.extraction?.problems = [Problem("truncated-document", "cut")]
            }
            _ = try store.record(input)
        }
        return captures
    }

    /// What a snapshot means, read from the tables one comment at a time.
    struct Reference {
        let queue: DatabaseQueue
        let store: Store
        let pageID: Int64

        init(path: String, store: Store) throws {
            var config = Configuration()
            config.readonly = true
            queue = try DatabaseQueue(path: path, configuration: config)
            self.store = store
            pageID = try queue.read { db in
                try Int64.fetchOne(db, sql: "SELECT id FROM page WHERE url = ?", arguments: [Fixture.url])!
            }
        }

        func comments(at n: Int, includeRemoved: Bool) throws -> [CommentState] {
            var shown: [(order: Int64, state: CommentState)] = []
            try queue.read { db in
                for row in try Row.fetchAll(db, sql: "SELECT id FROM comment WHERE page_id = ? ORDER BY id", arguments: [pageID]) {
                    let id: Int64 = row[0]
                    if let state = try state(db, comment: id, at: n, includeRemoved: includeRemoved) { shown.append((id, state)) }
                }
                let present = Set(shown.filter(\.state.present).map(\.state.comment.id))
                for i in shown.indices where shown[i].state.present {
                    guard let p = shown[i].state.comment.parent, !present.contains(p) else { continue }
                    shown[i].state.orphan = try Bool.fetchOne(db, sql: """
                        SELECT 1 FROM comment WHERE page_id = ? AND site_id = ? AND first_capture <= ?
                        """, arguments: [pageID, p, n]) == true
                }
            }
            return Reference.threadOrder(shown)
        }

        /// One comment at capture `n`: nil when it was not seen by then, has no version then, or is gone and
        /// removed ones are not shown.
        func state(_ db: Database, comment id: Int64, at n: Int, includeRemoved: Bool) throws -> CommentState? {
            let intervals = try Row.fetchAll(db, sql: """
                SELECT start_capture, end_capture FROM presence WHERE comment_id = ? AND start_capture <= ?
                """, arguments: [id, n]).map { (start: $0[0] as Int, end: $0[1] as Int?) }
            guard let appeared = intervals.map(\.start).min() else { return nil }
            let present = intervals.contains { $0.end.map { $0 > n } ?? true }
            guard present || includeRemoved else { return nil }
            guard let v = try Row.fetchOne(db, sql: """
                SELECT site_id, has_site_id, parent, author, author_url, posted, posted_text, kind, paragraphs, permalink
                FROM comment_version WHERE comment_id = ? AND first_capture <= ? AND (until_capture IS NULL OR until_capture > ?)
                """, arguments: [id, n, n])
            else { return nil }
            let comment = Comment(id: v[0], hasSiteID: v[1], parent: v[2], author: v[3], authorURL: v[4], posted: v[5],
                                  postedText: v[6], paragraphs: Paragraphs.decode(v[8] as String), permalink: v[9],
                                  kind: Comment.Kind(rawValue: v[7]) ?? .comment)
            var disappeared: CaptureInfo?
            if !present, let end = intervals.compactMap(\.end).max() {
                let info = try store.resolve(url: Fixture.url, .number(end))
                disappeared = info.complete ? info : nil
            }
            return CommentState(comment: comment, present: present, appearedAt: appeared, disappearedAt: disappeared)
        }

        /// Replies under their parents, siblings by comment row id; what no root reaches (a cycle) at top level.
        static func threadOrder(_ shown: [(order: Int64, state: CommentState)]) -> [CommentState] {
            let sorted = shown.sorted { $0.order < $1.order }.map(\.state)
            var place: [String: Int] = [:]
            for (i, s) in sorted.enumerated() { place[s.comment.id] = i }
            var children = [[Int]](repeating: [], count: sorted.count)
            var roots: [Int] = []
            for (i, s) in sorted.enumerated() {
                if let p = s.comment.parent, let pi = place[p], pi != i { children[pi].append(i) } else { roots.append(i) }
            }
            var out: [CommentState] = []
            var visited = [Bool](repeating: false, count: sorted.count)
            func visit(_ i: Int, depth: Int) {
                visited[i] = true
                var s = sorted[i]
                s.comment.depth = depth
                out.append(s)
                for c in children[i] { visit(c, depth: depth + 1) }
            }
            for r in roots { visit(r, depth: 0) }
            for i in sorted.indices where !visited[i] {
                var s = sorted[i]
                s.comment.depth = 0
                out.append(s)
            }
            return out
        }
    }
}
