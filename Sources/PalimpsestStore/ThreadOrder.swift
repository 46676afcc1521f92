import PalimpsestCore

/// Thread order: each comment under its parent, siblings in the order they were first seen (comment ids
/// follow it); depth set from the tree. A comment whose parent is not in the list stands at top level.
enum ThreadOrder {
    /// A comment shown at one capture: which decoded version, and its life then.
    struct Entry {
        /// The comment's row id: the order it was first seen in.
        var order: Int64
        /// Its version, by place in `ThreadRows.comments`.
        var comment: Int32
        var present: Bool
        var appearedAt: Int
        /// When not present: the number of the first complete capture that lacked it.
        var disappearedAt: Int?
    }

    /// A thread in order, and the places in it of the present comments whose parent is not present (the
    /// orphan candidates, found while ordering: no second pass over the ids).
    struct Arranged {
        var states: [CommentState]
        var parentMissing: [Int]
    }

    /// The states of `entries` in thread order. A version whose last use this is (`lastUse`) is moved out of
    /// `comments`, not copied: on a 10,000-comment thread the copies' reference counting cost more than the
    /// ordering. `ends`: the records of the captures where removed comments disappeared.
    static func arrange(_ entries: [Entry], comments: inout [Comment], lastUse: [Int], capture k: Int,
                        ends: [Int: CaptureInfo]) -> Arranged {
        let links = Links(entries, comments: comments)
        let order = preorder(links)
        var states = [CommentState](repeating: CommentState(comment: Comment(id: ""), present: false, appearedAt: 0),
                                    count: entries.count)
        for (place, (i, depth)) in order.enumerated() {
            fill(&states[place], from: entries[i], depth: depth, comments: &comments, moving: lastUse[Int(entries[i].comment)] == k,
                 ends: ends)
        }
        return Arranged(states: states, parentMissing: order.indices.filter { links.lacksParent[order[$0].entry] })
    }

    /// Fills a state in its place, its comment moved there from `comments` (or copied when a later capture
    /// shows it too): building a state and appending it copied it whole.
    private static func fill(_ state: inout CommentState, from e: Entry, depth: Int, comments: inout [Comment],
                             moving: Bool, ends: [Int: CaptureInfo]) {
        let c = Int(e.comment)
        if moving { swap(&state.comment, &comments[c]) } else { state.comment = comments[c] }
        state.comment.depth = depth
        state.present = e.present
        state.appearedAt = e.appearedAt
        if let end = e.disappearedAt { state.disappearedAt = ends[end] }
    }

    /// Who is whose parent among the entries.
    struct Links {
        /// Entry places by comment row id.
        let sorted: [Int]
        /// Each entry's parent among the entries (nil: top level).
        let parentOf: [Int?]
        /// A present entry whose parent is not a present entry (an orphan candidate).
        let lacksParent: [Bool]

        init(_ entries: [Entry], comments: [Comment]) {
            let count = entries.count
            sorted = (0..<count).sorted { entries[$0].order < entries[$1].order }
            var index: [String: Int] = [:]
            index.reserveCapacity(count)
            for i in sorted { index[comments[Int(entries[i].comment)].id] = i }
            var parentOf = [Int?](repeating: nil, count: count)
            var lacksParent = [Bool](repeating: false, count: count)
            for i in sorted {
                guard let p = comments[Int(entries[i].comment)].parent else { continue }
                let pi = index[p]
                if let pi, pi != i { parentOf[i] = pi }
                if entries[i].present, pi.map({ !entries[$0].present }) ?? true { lacksParent[i] = true }
            }
            self.parentOf = parentOf
            self.lacksParent = lacksParent
        }
    }

    /// Entry places and depths in thread order: depth first from the top-level entries, siblings by row id;
    /// then whatever no top-level entry reaches (a parent cycle, never from a sane page) at top level.
    static func preorder(_ links: Links) -> [(entry: Int, depth: Int)] {
        let children = Children(sorted: links.sorted, parentOf: links.parentOf)
        var order: [(entry: Int, depth: Int)] = []
        order.reserveCapacity(links.sorted.count)
        var visited = [Bool](repeating: false, count: links.sorted.count)
        var stack: [(Int, Int)] = links.sorted.reversed().compactMap { links.parentOf[$0] == nil ? ($0, 0) : nil }
        while let (i, depth) = stack.popLast() {
            guard !visited[i] else { continue }
            visited[i] = true
            order.append((i, depth))
            for child in children[i].reversed() { stack.append((child, depth + 1)) }
        }
        for i in links.sorted where !visited[i] { order.append((i, 0)) }
        return order
    }

    /// Each entry's children in sibling order, in one flat list (not an array per parent).
    struct Children {
        private var start: [Int]
        private var list: [Int]

        init(sorted: [Int], parentOf: [Int?]) {
            var start = [Int](repeating: 0, count: parentOf.count + 1)
            for case let p? in parentOf { start[p + 1] += 1 }
            for i in 0..<parentOf.count { start[i + 1] += start[i] }
            var next = start
            var list = [Int](repeating: 0, count: start[parentOf.count])
            for i in sorted {
                guard let p = parentOf[i] else { continue }
                list[next[p]] = i
                next[p] += 1
            }
            self.start = start
            self.list = list
        }

        subscript(i: Int) -> ArraySlice<Int> { list[start[i]..<start[i + 1]] }
    }
}
