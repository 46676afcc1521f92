import Foundation
import PalimpsestCore
import Testing

@testable import PalimpsestStore

/// A larger changing thread (500 comments, 30 captures, some incomplete): every snapshot and every
/// capture's changes match what the generator did.
@Suite struct SyntheticThreadTests {
    @Test func everySnapshotMatchesTheThreadAsItWas() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        let url = Fixture.url
        var thread = SyntheticThread(comments: 500)
        var expected: [Int: [String: [String]]] = [:]  // capture → id → paragraphs, present comments
        var seenByStore = Set<String>()  // ids in any complete capture so far
        for n in 1...30 {
            let at = Fixture.start.addingTimeInterval(Double(n) * 3600)
            if n > 1 { thread.change(20) }
            let body = Fixture.html(thread.items)
            if n % 7 == 0 {
                // Truncated: the end of the thread is missing. Nothing may change.
                var cut = thread.extraction(url: url)
                cut.thread.items.removeLast(40)
                cut.problems = [Problem("truncated-document", "cut")]
                let r = try store.record(CaptureInput(url: url, capturedAt: at, responses: [Fixture.response(body)],
                                                      extraction: cut))
                #expect(!r.info.complete && r.changes == CaptureChanges(present: expected[n - 1]!.count))
                expected[n] = expected[n - 1]
                continue
            }
            let r = try store.record(CaptureInput(url: url, capturedAt: at, responses: [Fixture.response(body)],
                                                  extraction: thread.extraction(url: url)))
            expected[n] = Dictionary(uniqueKeysWithValues: thread.items.map { ($0.id, $0.paragraphs) })
            if n == 1 {
                #expect(r.changes.appeared.count == 500)
            } else {
                // Against the last complete capture: what an incomplete one did not record comes due now.
                let net = SyntheticThreadTests.net(seenByStore, before: expected[n - 1]!, after: expected[n]!)
                #expect(r.changes.appeared == net.appeared, "capture \(n)")
                #expect(r.changes.reappeared == net.reappeared, "capture \(n)")
                #expect(r.changes.disappeared == net.disappeared, "capture \(n)")
                #expect(r.changes.edited == net.edited, "capture \(n)")
            }
            #expect(r.changes.present == thread.items.count)
            seenByStore.formUnion(thread.items.map(\.id))
        }
        for n in 1...30 {
            let s = try store.snapshot(url: url, at: n, includeRemoved: false)
            let got = Dictionary(uniqueKeysWithValues: s.comments.map { ($0.comment.id, $0.comment.paragraphs) })
            #expect(got == expected[n]!, "snapshot at \(n)")
            #expect(s.comments.allSatisfy { $0.present })
            // Replies follow their parents.
            var seen = Set<String>()
            for c in s.comments {
                if let p = c.comment.parent, got[p] != nil { #expect(seen.contains(p)) }
                #expect(c.orphan == (c.comment.parent.map { got[$0] == nil } ?? false))
                seen.insert(c.comment.id)
            }
            let all = try store.snapshot(url: url, at: n, includeRemoved: true)
            #expect(all.comments.filter(\.present).count == got.count)
            #expect(all.comments.filter { !$0.present }.allSatisfy { $0.disappearedAt.map { $0.number <= n } == true })
        }
        #expect(try store.history(url: url).map(\.changes.present) == (1...30).map { expected[$0]!.count })
        // Read together (a diff's two sides), snapshots are the same as read one by one.
        for (a, b) in [(1, 30), (6, 7), (12, 3), (20, 20)] {
            for removed in [false, true] {
                let pair = try store.snapshots(url: url, at: [a, b], includeRemoved: removed)
                #expect(pair == [try store.snapshot(url: url, at: a, includeRemoved: removed),
                                 try store.snapshot(url: url, at: b, includeRemoved: removed)])
            }
        }
    }

    struct Changes {
        var appeared: [String] = []
        var reappeared: [String] = []
        var edited: [String] = []
        var disappeared: [String] = []
    }

    /// The changes a complete capture should report: the present comments before and after it, and every id
    /// a complete capture showed before.
    static func net(_ seen: Set<String>, before: [String: [String]], after: [String: [String]])
        -> Changes
    {
        var out = Changes()
        for (id, text) in after {
            if let old = before[id] {
                if old != text { out.edited.append(id) }
            } else if seen.contains(id) {
                out.reappeared.append(id)
            } else {
                out.appeared.append(id)
            }
        }
        out.disappeared = before.keys.filter { after[$0] == nil }
        for key in [\Changes.appeared, \.reappeared, \.edited, \.disappeared] {
            out[keyPath: key].sort { Int($0)! < Int($1)! }
        }
        return out
    }
}
