import Foundation
import GRDB
import PalimpsestCore

extension Store {
    /// The page as it stood at capture `number`: the article version then, and the comments present then in
    /// thread order (replies under their parents, siblings in the order first seen). With `includeRemoved`,
    /// comments gone by then are included too (`present == false`, `disappearedAt` set). A present comment
    /// whose parent the store knew by then and is not present is marked `orphan`.
    public func snapshot(url: String, at number: Int, includeRemoved: Bool) throws -> Snapshot {
        try snapshots(url: url, at: [number], includeRemoved: includeRemoved)[0]
    }

    /// The snapshots at several captures, from one pass over the page's data: the two sides of a diff cost
    /// about what one snapshot costs, plus the comments that differ. In the order asked.
    ///
    /// Two indexed range reads (presence intervals, and the comment versions valid at one of the captures),
    /// assembled in memory. A comment version shown at several of the captures is decoded once.
    public func snapshots(url: String, at numbers: [Int], includeRemoved: Bool) throws -> [Snapshot] {
        guard let hi = numbers.max() else { return [] }
        return try read { db in
            let pageID = try pageID(db, url: url)
            let heads = try numbers.map { try Store.captureHead(db, url: url, pageID: pageID, number: $0) }
            let lives = try Lives(db, pageID: pageID, at: numbers)
            var rows = try ThreadRows(db, pageID: pageID, lives: lives, includeRemoved: includeRemoved)
            let ends = try Store.disappearances(db, pageID: pageID, upTo: hi, of: rows)
            var out: [Snapshot] = []
            for (k, number) in numbers.enumerated() {
                var thread = ThreadOrder.arrange(rows.take(k), comments: &rows.comments, lastUse: rows.lastUse, capture: k,
                                                 ends: ends)
                try Store.markOrphans(db, pageID: pageID, at: number, in: &thread)
                out.append(Snapshot(url: url, capture: heads[k].info, article: heads[k].article, comments: thread.states))
            }
            return out
        }
    }

    /// A capture's record and the article version valid at it.
    static func captureHead(_ db: Database, url: String, pageID: Int64, number: Int) throws
        -> (info: CaptureInfo, article: Article)
    {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT \(Store.infoColumns) FROM capture WHERE page_id = ? AND number = ?
            """, arguments: [pageID, number])
        else { throw StoreError.noSuchCapture(url: url, ref: CaptureRef.number(number).description) }
        let text = try String.fetchOne(db, sql: """
            SELECT data FROM article_version WHERE page_id = ? AND first_capture <= ?
            ORDER BY first_capture DESC LIMIT 1
            """, arguments: [pageID, number])
        return (Store.info(row), JSONText.decode(Article.self, text) ?? Article())
    }

    /// The records of the captures where the removed comments of `rows` disappeared (the first complete
    /// capture that lacked each), by number.
    static func disappearances(_ db: Database, pageID: Int64, upTo hi: Int, of rows: ThreadRows) throws
        -> [Int: CaptureInfo]
    {
        let ends = rows.disappearances
        guard !ends.isEmpty else { return [:] }
        var endInfo: [Int: CaptureInfo] = [:]
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT \(Store.infoColumns) FROM capture WHERE page_id = ? AND complete AND number <= ?
            """, arguments: [pageID, hi])
        while let row = try cursor.next() {
            let n: Int = row[0]
            if ends.contains(n) { endInfo[n] = Store.info(row) }
        }
        return endInfo
    }

    /// Marks the orphans of a thread at capture `number`: present comments whose parent is not present but
    /// was known to the store by then (a parent never seen is no evidence of a removal).
    static func markOrphans(_ db: Database, pageID: Int64, at number: Int, in thread: inout ThreadOrder.Arranged) throws {
        guard !thread.parentMissing.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            SELECT 1 FROM comment WHERE page_id = ? AND site_id = ? AND first_capture <= ?
            """)
        var known: [String: Bool] = [:]
        for i in thread.parentMissing {
            guard let parent = thread.states[i].comment.parent else { continue }
            let isKnown: Bool
            if let k = known[parent] {
                isKnown = k
            } else {
                isKnown = try Bool.fetchOne(statement, arguments: [pageID, parent, number]) == true
                known[parent] = isKnown
            }
            if isKnown { thread.states[i].orphan = true }
        }
    }
}

/// The comment versions shown at each asked capture: every version decoded once, however many of the
/// captures show it, and per capture a light entry for each comment shown there (in no particular order).
struct ThreadRows {
    /// One per version read.
    var comments: [Comment] = []
    /// Per version read: the last capture (by its place among those asked) that shows it, where it can be
    /// moved rather than copied.
    var lastUse: [Int] = []
    /// Per capture asked.
    private var entries: [[ThreadOrder.Entry]]

    /// Without the removed ones, only comments present at one of the captures are decoded.
    init(_ db: Database, pageID: Int64, lives: Lives, includeRemoved: Bool) throws {
        let numbers = lives.numbers
        entries = numbers.indices.map { k in
            var list: [ThreadOrder.Entry] = []
            list.reserveCapacity(includeRemoved ? lives.seen(at: k) : lives.present(at: k))
            return list
        }
        comments.reserveCapacity(entries.map(\.capacity).max() ?? 0)
        let statement = try db.cachedStatement(sql: ThreadRows.versionsSQL(captures: numbers.count))
        var arguments: StatementArguments = [pageID, numbers.max()!, numbers.min()!]
        for n in numbers { arguments += [n, n] }
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        let columns = SQLiteColumns(statement)
        while try cursor.next() != nil {
            let commentID = columns.int64(0)
            guard let slot = lives.slot(of: commentID) else { continue }
            let first = columns.int(1)
            let until = columns.optionalInt(2)
            var decoded: Int32?
            for (k, n) in numbers.enumerated() where first <= n && until.map({ $0 > n }) != false {
                let life = lives[slot, k]
                guard life.appearedAt <= n, life.present || includeRemoved else { continue }
                if decoded == nil {
                    decoded = Int32(comments.count)
                    comments.append(try ThreadRows.comment(columns))
                    lastUse.append(k)
                }
                lastUse[Int(decoded!)] = k
                entries[k].append(ThreadOrder.Entry(
                    order: commentID, comment: decoded!, present: life.present, appearedAt: life.appearedAt,
                    disappearedAt: life.present ? nil : life.lastEnd))
            }
        }
    }

    /// The comment versions valid at one of `captures` captures (arguments: the page, the highest and the
    /// lowest capture, then each capture twice). The index serves the range on `first_capture`; the rest is
    /// filtered as the rows are read. Whether a comment is present is left to `Lives`: a subquery on the
    /// presence intervals cost more than reading the rows it would skip.
    static func versionsSQL(captures: Int) -> String {
        let validAt = (0..<captures).map { _ in "(first_capture <= ? AND (until_capture IS NULL OR until_capture > ?))" }
            .joined(separator: " OR ")
        return """
            SELECT comment_id, first_capture, until_capture, site_id, has_site_id, parent, author, author_url,
                   posted, posted_text, kind, paragraphs, permalink
            FROM comment_version
            WHERE page_id = ? AND first_capture <= ? AND (until_capture IS NULL OR until_capture > ?) AND (\(validAt))
            """
    }

    /// A comment from a row of `versionsSQL` (depth 0: thread order sets it).
    static func comment(_ columns: SQLiteColumns) throws -> Comment {
        Comment(id: try columns.string(3), hasSiteID: columns.bool(4), parent: try columns.optionalString(5), depth: 0,
                author: try columns.optionalString(6), authorURL: try columns.optionalString(7),
                posted: try columns.optionalString(8), postedText: try columns.optionalString(9),
                paragraphs: try columns.withText(11) { Paragraphs.decode(utf8: $0) },
                permalink: try columns.optionalString(12),
                kind: Comment.Kind(rawValue: try columns.string(10)) ?? .comment)
    }

    /// The captures where the removed comments disappeared.
    var disappearances: Set<Int> {
        var out = Set<Int>()
        for list in entries { for e in list { if let end = e.disappearedAt { out.insert(end) } } }
        return out
    }

    /// The `k`th capture's entries, moved out.
    mutating func take(_ k: Int) -> [ThreadOrder.Entry] {
        var out: [ThreadOrder.Entry] = []
        swap(&out, &entries[k])
        return out
    }
}

/// Presence at each asked capture, per comment, from the page's presence intervals that start by the last of
/// them: whether the comment is present there, when it first appeared, and when it last disappeared.
struct Lives {
    struct Life {
        var present = false
        var appearedAt = Int.max
        var lastEnd = 0
    }

    /// The captures asked, in the order asked.
    let numbers: [Int]
    /// Comment row id → its place in `lives` (times the number of captures).
    private var slots: SlotTable
    /// Each comment's life at each capture, by slot then capture.
    private var lives: [Life] = []

    init(_ db: Database, pageID: Int64, at numbers: [Int]) throws {
        self.numbers = numbers
        let statement = try db.cachedStatement(sql: """
            SELECT comment_id, start_capture, end_capture FROM presence WHERE page_id = ? AND start_capture <= ?
            """)
        var intervals: [(id: Int64, start: Int, end: Int?)] = []
        let cursor = try Row.fetchCursor(statement, arguments: [pageID, numbers.max() ?? 0])
        let columns = SQLiteColumns(statement)
        while try cursor.next() != nil {
            intervals.append((columns.int64(0), columns.int(1), columns.optionalInt(2)))
        }
        slots = SlotTable(ids: intervals.lazy.map(\.id))
        lives.reserveCapacity(slots.count * numbers.count)
        for interval in intervals { add(interval.id, start: interval.start, end: interval.end) }
    }

    /// Counts one presence interval of comment `id`.
    private mutating func add(_ id: Int64, start: Int, end: Int?) {
        let base = slots.slot(of: id)! * numbers.count
        if base == lives.count { lives.append(contentsOf: repeatElement(Life(), count: numbers.count)) }
        for (k, n) in numbers.enumerated() where start <= n {
            lives[base + k].appearedAt = min(lives[base + k].appearedAt, start)
            if let end, end <= n {
                lives[base + k].lastEnd = max(lives[base + k].lastEnd, end)
            } else {
                lives[base + k].present = true
            }
        }
    }

    /// How many comments are present at the `k`th capture.
    func present(at k: Int) -> Int { stride(from: k, to: lives.count, by: numbers.count).count { lives[$0].present } }

    /// How many comments were seen by the `k`th capture.
    func seen(at k: Int) -> Int {
        stride(from: k, to: lives.count, by: numbers.count).count { lives[$0].appearedAt <= numbers[k] }
    }

    /// The slot of a comment with a presence interval, nil for one never seen by the last capture.
    func slot(of id: Int64) -> Int? { slots.slot(of: id) }

    subscript(slot: Int, k: Int) -> Life { lives[slot * numbers.count + k] }
}

/// Comment row id → slot, slots numbered in order of first appearance among the ids given. A flat table
/// over the range of ids when it is dense enough (a page's comments are mostly consecutive rows, and
/// hashing every id cost more than the rest of reading the presence intervals), a dictionary otherwise.
struct SlotTable {
    private var low: Int64 = 0
    private var flat: [Int32] = []
    private var hashed: [Int64: Int] = [:]
    private var dense = true
    /// How many distinct ids.
    private(set) var count = 0

    init(ids: some Collection<Int64>) {
        guard let low = ids.min(), let high = ids.max() else { return }
        let span = high - low + 1
        dense = span <= 4 * Int64(ids.count) + 4096
        if dense {
            self.low = low
            flat = [Int32](repeating: -1, count: Int(span))
        } else {
            hashed.reserveCapacity(ids.count)
        }
        for id in ids where slot(of: id) == nil {
            if dense { flat[Int(id - low)] = Int32(count) } else { hashed[id] = count }
            count += 1
        }
    }

    func slot(of id: Int64) -> Int? {
        guard dense else { return hashed[id] }
        guard id >= low, id - low < Int64(flat.count) else { return nil }
        let slot = flat[Int(id - low)]
        return slot < 0 ? nil : Int(slot)
    }
}

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
