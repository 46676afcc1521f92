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
