import Foundation
import PalimpsestCore
import PalimpsestStore

/// A large thread that changes between captures, as extractions (no HTML): comments are added (some as
/// replies), edited, removed and sometimes restored. Deterministic for a seed. Keeps the expected state so
/// that the store can be checked against it.
struct SyntheticThread {
    var items: [Item] = []
    var removed: [Item] = []
    var nextID = 100_000
    var rng: SplitMix

    init(comments: Int, seed: UInt64 = 42) {
        rng = SplitMix(seed: seed)
        for _ in 0..<comments { items.append(makeItem()) }
    }

    static let words = ["the", "council", "bridge", "vote", "budget", "river", "mayor", "school", "night", "année",
                        "très", "déjà", "où", "façon", "مدينة", "جسر"]

    mutating func sentence(_ n: Int) -> String {
        (0..<n).map { _ in SyntheticThread.words[Int(rng.next() % UInt64(SyntheticThread.words.count))] }
            .joined(separator: " ")
    }

    mutating func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    mutating func makeItem() -> Item {
        let id = nextID
        nextID += 1
        let parent = items.isEmpty || rng.next() % 3 == 0 ? nil : items[pick(items.count)].id
        return Item(id: String(id), parent: parent, depth: parent == nil ? 0 : 1, author: "reader\(rng.next() % 5000)",
                    posted: "2026-01-01T00:00:00Z", paragraphs: [sentence(12 + pick(40))], kind: .comment)
    }

    /// Applies `count` changes: half new comments (a quarter of them restored ones), a quarter edits, a quarter
    /// removals; a comment is touched once per call, and a new one is neither edited nor removed.
    mutating func change(_ count: Int) {
        var touched = Set<String>()
        for k in 0..<count {
            switch k % 8 {
            case 0, 1, 2:
                let item = makeItem()
                items.append(item)
                touched.insert(item.id)
            case 7 where !removed.isEmpty:
                let r = pick(removed.count)
                guard touched.insert(removed[r].id).inserted else { continue }
                items.append(removed.remove(at: r))
            case 3, 4:
                let i = pick(items.count)
                guard touched.insert(items[i].id).inserted else { continue }
                items[i].paragraphs[0] += " " + sentence(3)
            default:
                let i = pick(items.count)
                guard touched.insert(items[i].id).inserted else { continue }
                removed.append(items.remove(at: i))
            }
        }
    }

    func extraction(url: String) -> Extraction {
        Extraction(url: url, article: Article(title: "A long thread", blocks: [Block(.paragraph, "It is long.")]),
                   thread: CommentThread(items: items, declaredCount: items.count))
    }
}
