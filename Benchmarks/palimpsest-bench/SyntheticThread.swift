import Foundation

/// Generates WordPress-style pages of large synthetic threads that change between captures, for the
/// storage and query benchmarks. Deterministic: the same seed gives the same pages.
struct SyntheticThread {
    struct Item {
        var id: Int
        var parent: Int?
        var author: String
        var text: String
        var time: String
    }

    var url: String
    var items: [Item]
    var nextID: Int
    var rng: SplitMix

    init(url: String, comments: Int, seed: UInt64 = 42) {
        self.url = url
        rng = SplitMix(seed: seed)
        items = []
        nextID = 100_000
        for _ in 0..<comments { items.append(makeItem()) }
    }

    static let words = ["the", "council", "bridge", "vote", "budget", "river", "mayor", "school", "train", "night",
                        "market", "why", "never", "always", "agree", "wrong", "right", "people", "town", "plan",
                        "année", "très", "déjà", "où", "façon", "مدينة", "جسر"]

    mutating func sentence(_ n: Int) -> String {
        (0..<n).map { _ in SyntheticThread.words[Int(rng.next() % UInt64(SyntheticThread.words.count))] }
            .joined(separator: " ")
    }

    mutating func makeItem() -> Item {
        let id = nextID
        nextID += 1
        let parent: Int? = items.isEmpty || rng.next() % 3 == 0 ? nil : items[Int(rng.next() % UInt64(items.count))].id
        let minute = id % 60, hour = (id / 60) % 24
        return Item(id: id, parent: parent, author: "reader\(rng.next() % 5000)",
                    text: sentence(12 + Int(rng.next() % 40)),
                    time: String(format: "2026-01-%02d T%02d:%02d:00+00:00", 1 + (id / 1440) % 28, hour, minute)
                        .replacingOccurrences(of: " ", with: ""))
    }

    /// Applies `count` changes: about half new comments, a quarter edits, a quarter removals.
    /// `count` changes that keep the thread's size: in turn a new comment, an edit, a removal.
    mutating func churn(_ count: Int) {
        for k in 0..<count {
            switch k % 3 {
            case 0:
                items.append(makeItem())
            case 1:
                let i = Int(rng.next() % UInt64(items.count))
                items[i].text = sentence(12)
            default:
                items.remove(at: Int(rng.next() % UInt64(items.count - 1)))
            }
        }
    }

    mutating func change(_ count: Int) {
        for k in 0..<count {
            switch k % 4 {
            case 0, 1:
                items.append(makeItem())
            case 2:
                let i = Int(rng.next() % UInt64(items.count))
                items[i].text += " " + sentence(3)
            default:
                let i = Int(rng.next() % UInt64(items.count))
                items.remove(at: i)
            }
        }
    }

    /// The page as WordPress prints it (replies nested in ol.children; orphans at top level).
    func html() -> String {
        var children: [Int: [Item]] = [:]
        let ids = Set(items.map(\.id))
        var top: [Item] = []
        for item in items {
            if let p = item.parent, ids.contains(p) { children[p, default: []].append(item) } else { top.append(item) }
        }
        var out = """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A long thread – Bench Gazette</title>
            <meta property="og:title" content="A long thread"></head><body>
            <main><article class="post"><h1 class="entry-title">A long thread</h1>
            <div class="entry-content"><p>This synthetic article exists so that its thread can be measured.</p>
            <p>It has a second paragraph, as articles do.</p></div></article>
            <div id="comments" class="comments-area"><h2 class="comments-title">\(items.count) comments</h2>
            <ol class="comment-list">

            """
        out.reserveCapacity(items.count * 600)
        var stack: [(Item, Int, Bool)] = top.reversed().map { ($0, 1, false) }
        while let (item, depth, closing) = stack.popLast() {
            if closing {
                if children[item.id] != nil { out += "</ol>\n" }
                out += "</li>\n"
                continue
            }
            out += """
                <li id="comment-\(item.id)" class="comment depth-\(depth)"><article id="div-comment-\(item.id)" class="comment-body">
                <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">\(item.author)</b></div>
                <div class="comment-metadata"><a href="\(url)#comment-\(item.id)"><time datetime="\(item.time)">\(item.time)</time></a></div></footer>
                <div class="comment-content"><p>\(item.text)</p></div></article>

                """
            stack.append((item, depth, true))
            if let kids = children[item.id] {
                out += "<ol class=\"children\">\n"
                for k in kids.reversed() { stack.append((k, depth + 1, false)) }
            }
        }
        out += "</ol></div></main></body></html>\n"
        return out
    }
}

/// A small, fast, seedable generator (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
