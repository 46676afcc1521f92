import Foundation
import GRDB
import PalimpsestCore

extension Store {
    /// The columns `Store.info` reads, in its order.
    static let infoColumns = "number, captured_at, http_status, outcome, complete, problems, declared_count, final_url"

    static func info(_ row: Row) -> CaptureInfo {
        CaptureInfo(number: row[0], capturedAt: Date(timeIntervalSince1970: row[1]), httpStatus: row[2],
                    outcome: CaptureInfo.Outcome(rawValue: row[3]) ?? .failed, complete: row[4],
                    problems: JSONText.decode([Problem].self, row[5]) ?? [], declaredCount: row[6], finalURL: row[7])
    }

    /// The captures of a page, oldest first, with what each changed.
    public func history(url: String) throws -> [CaptureRecord] {
        try read { db in
            let pageID = try pageID(db, url: url)
            return try Row.fetchAll(db, sql: """
                SELECT \(Store.infoColumns), present, article_changed, appeared, disappeared, reappeared, edited
                FROM capture WHERE page_id = ? ORDER BY number
                """, arguments: [pageID]).map { row in
                let changes = CaptureChanges(
                    appeared: JSONText.decode([String].self, row[10]) ?? [],
                    disappeared: JSONText.decode([String].self, row[11]) ?? [],
                    reappeared: JSONText.decode([String].self, row[12]) ?? [],
                    edited: JSONText.decode([String].self, row[13]) ?? [],
                    articleChanged: row[9], present: row[8])
                return CaptureRecord(info: Store.info(row), changes: changes)
            }
        }
    }

    /// The capture a reference names: a number names that capture (complete or not); a time names the last
    /// complete capture at or before it; `.latestComplete` the last complete capture.
    public func resolve(url: String, _ ref: CaptureRef) throws -> CaptureInfo {
        try read { db in
            let pageID = try pageID(db, url: url)
            let row: Row?
            switch ref {
            case .number(let n):
                row = try Row.fetchOne(db, sql: "SELECT \(Store.infoColumns) FROM capture WHERE page_id = ? AND number = ?",
                                       arguments: [pageID, n])
            case .time(let t):
                // Half a millisecond of slack: a time printed by history (milliseconds) names its capture.
                row = try Row.fetchOne(db, sql: """
                    SELECT \(Store.infoColumns) FROM capture WHERE page_id = ? AND complete AND captured_at <= ?
                    ORDER BY captured_at DESC, number DESC LIMIT 1
                    """, arguments: [pageID, t.timeIntervalSince1970 + 0.0005])
            case .latestComplete:
                row = try Row.fetchOne(db, sql: """
                    SELECT \(Store.infoColumns) FROM capture WHERE page_id = ? AND complete ORDER BY number DESC LIMIT 1
                    """, arguments: [pageID])
            }
            guard let row else {
                if case .latestComplete = ref {
                    throw StoreError.noCompleteCapture(url: url, detail: "no complete capture yet (see history for why)")
                }
                throw StoreError.noSuchCapture(url: url, ref: ref.description)
            }
            return Store.info(row)
        }
    }

    /// The last two complete captures, older first: what `diff` compares by default.
    public func lastTwoComplete(url: String) throws -> (CaptureInfo, CaptureInfo) {
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Store.infoColumns) FROM capture WHERE page_id = ? AND complete ORDER BY number DESC LIMIT 2
                """, arguments: [try pageID(db, url: url)])
        }
        guard rows.count == 2 else {
            throw StoreError.noCompleteCapture(url: url, detail: "a diff needs two complete captures; there are \(rows.count)")
        }
        return (Store.info(rows[1]), Store.info(rows[0]))
    }

    /// ETag and Last-Modified of the main response of the last complete capture, for a conditional request
    /// (nil, nil for a page never captured complete). Not of an incomplete one: a 304 answered to a truncated
    /// capture's validators would keep the page from ever being captured whole.
    public func validators(url: String) throws -> (etag: String?, lastModified: String?) {
        let reader = try BlobReader()
        return try read { db in
            guard let meta = try Int64.fetchOne(db, sql: """
                SELECT r.meta FROM response r JOIN capture c ON c.id = r.capture_id JOIN page p ON p.id = c.page_id
                WHERE p.url = ? AND c.complete AND r.ordinal = 0 ORDER BY c.number DESC LIMIT 1
                """, arguments: [url])
            else { return (nil, nil) }
            let headers = try JSONDecoder().decode(ResponseMeta.self, from: reader.load(db, meta)).headers
            return (headers.value(of: "ETag"), headers.value(of: "Last-Modified"))
        }
    }

    /// The page as it stood at capture `number`: the article version then, and the comments present then in
    /// thread order (replies under their parents, siblings in the order first seen). With `includeRemoved`,
    /// comments gone by then are included too (`present == false`, `disappearedAt` set). A present comment
    /// whose parent the store knew by then and is not present is marked `orphan`.
    public func snapshot(url: String, at number: Int, includeRemoved: Bool) throws -> Snapshot {
        try snapshots(url: url, at: [number], includeRemoved: includeRemoved)[0]
    }

    /// The snapshots at several captures, from one pass over the page's data: the two sides of a diff cost
    /// about what one snapshot costs. In the order asked.
    ///
    /// Two indexed range reads (presence intervals, and comment versions valid at one of the captures),
    /// assembled in memory.
    public func snapshots(url: String, at numbers: [Int], includeRemoved: Bool) throws -> [Snapshot] {
        guard let lo = numbers.min(), let hi = numbers.max() else { return [] }
        return try read { db in
            let pageID = try pageID(db, url: url)
            var infos: [CaptureInfo] = []
            var articles: [Article] = []
            for number in numbers {
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT \(Store.infoColumns) FROM capture WHERE page_id = ? AND number = ?
                    """, arguments: [pageID, number])
                else { throw StoreError.noSuchCapture(url: url, ref: CaptureRef.number(number).description) }
                infos.append(Store.info(row))
                let text = try String.fetchOne(db, sql: """
                    SELECT data FROM article_version WHERE page_id = ? AND first_capture <= ?
                    ORDER BY first_capture DESC LIMIT 1
                    """, arguments: [pageID, number])
                articles.append(JSONText.decode(Article.self, text) ?? Article())
            }

            // Presence at each capture, per comment.
            struct Life {
                var present = false
                var appearedAt = Int.max
                var lastEnd = 0
            }
            var lives: [Int64: [Life]] = [:]
            lives.reserveCapacity(1 << 12)
            let presence = try Row.fetchCursor(db, sql: """
                SELECT comment_id, start_capture, end_capture FROM presence WHERE page_id = ? AND start_capture <= ?
                """, arguments: [pageID, hi])
            while let row = try presence.next() {
                let id: Int64 = row[0]
                let start: Int = row[1]
                let end: Int? = row[2]
                var life = lives[id] ?? Array(repeating: Life(), count: numbers.count)
                for (k, n) in numbers.enumerated() where start <= n {
                    life[k].appearedAt = min(life[k].appearedAt, start)
                    if let end, end <= n {
                        life[k].lastEnd = max(life[k].lastEnd, end)
                    } else {
                        life[k].present = true
                    }
                }
                lives[id] = life
            }

            // The versions valid at one of the captures.
            var nodes: [[ThreadOrder.Node]] = Array(repeating: [], count: numbers.count)
            // Without the removed ones, only comments present at one of the captures are read and decoded.
            var arguments: StatementArguments = [pageID, hi, lo]
            var presentAtOne = ""
            if !includeRemoved {
                presentAtOne = " AND comment_id IN (SELECT comment_id FROM presence WHERE page_id = ? AND ("
                    + numbers.map { _ in "(start_capture <= ? AND (end_capture IS NULL OR end_capture > ?))" }
                        .joined(separator: " OR ") + "))"
                arguments += [pageID]
                for n in numbers { arguments += [n, n] }
            }
            let versions = try Row.fetchCursor(db, sql: """
                SELECT comment_id, first_capture, until_capture, site_id, has_site_id, parent, author, author_url,
                       posted, posted_text, kind, paragraphs, permalink
                FROM comment_version
                WHERE page_id = ? AND first_capture <= ? AND (until_capture IS NULL OR until_capture > ?)\(presentAtOne)
                """, arguments: arguments)
            while let row = try versions.next() {
                let commentID: Int64 = row[0]
                guard let life = lives[commentID] else { continue }
                let first: Int = row[1]
                let until: Int? = row[2]
                var comment: Comment?
                for (k, n) in numbers.enumerated() where first <= n && until.map({ $0 > n }) != false {
                    let l = life[k]
                    guard l.appearedAt <= n, l.present || includeRemoved else { continue }
                    if comment == nil {
                        comment = Comment(
                            id: row[3], hasSiteID: row[4], parent: row[5], depth: 0, author: row[6], authorURL: row[7],
                            posted: row[8], postedText: row[9], paragraphs: Paragraphs.decode(row[11]),
                            permalink: row[12], kind: Comment.Kind(rawValue: row[10]) ?? .comment)
                    }
                    nodes[k].append(ThreadOrder.Node(
                        state: CommentState(comment: comment!, present: l.present, appearedAt: l.appearedAt),
                        disappearedAt: l.present ? nil : l.lastEnd, order: commentID))
                }
            }

            // When the removed ones disappeared.
            let ends = Set(nodes.joined().compactMap(\.disappearedAt))
            var endInfo: [Int: CaptureInfo] = [:]
            if !ends.isEmpty {
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT \(Store.infoColumns) FROM capture WHERE page_id = ? AND complete AND number <= ?
                    """, arguments: [pageID, hi])
                while let row = try rows.next() {
                    let n: Int = row[0]
                    if ends.contains(n) { endInfo[n] = Store.info(row) }
                }
            }

            var out: [Snapshot] = []
            for (k, number) in numbers.enumerated() {
                // Orphans: a present comment whose parent is not present but was known by then.
                var presentIDs = Set<String>()
                presentIDs.reserveCapacity(nodes[k].count)
                for node in nodes[k] where node.state.present { presentIDs.insert(node.state.comment.id) }
                var missingParents = Set<String>()
                for node in nodes[k] where node.state.present {
                    if let p = node.state.comment.parent, !presentIDs.contains(p) { missingParents.insert(p) }
                }
                var knownMissing = Set<String>()
                for parent in missingParents where try Bool.fetchOne(db, sql: """
                    SELECT 1 FROM comment WHERE page_id = ? AND site_id = ? AND first_capture <= ?
                    """, arguments: [pageID, parent, number]) == true {
                    knownMissing.insert(parent)
                }
                for i in nodes[k].indices {
                    if let end = nodes[k][i].disappearedAt { nodes[k][i].state.disappearedAt = endInfo[end] }
                    if nodes[k][i].state.present, let p = nodes[k][i].state.comment.parent, knownMissing.contains(p) {
                        nodes[k][i].state.orphan = true
                    }
                }
                var mine: [ThreadOrder.Node] = []
                swap(&mine, &nodes[k])  // moved, so that arranging does not copy the whole list
                out.append(Snapshot(url: url, capture: infos[k], article: articles[k], comments: ThreadOrder.arrange(mine)))
            }
            return out
        }
    }
}

/// Thread order: each comment under its parent, siblings in the order they were first seen (comment ids
/// follow it); depth set from the tree. A comment whose parent is not in the list stands at top level.
enum ThreadOrder {
    struct Node {
        var state: CommentState
        var disappearedAt: Int?
        /// The comment's row id: the order it was first seen in.
        var order: Int64
    }

    static func arrange(_ nodes: consuming [Node]) -> [CommentState] {
        let sorted = nodes.indices.sorted { nodes[$0].order < nodes[$1].order }
        var index: [String: Int] = [:]
        index.reserveCapacity(sorted.count)
        for i in sorted { index[nodes[i].state.comment.id] = i }
        var children: [[Int]] = Array(repeating: [], count: nodes.count)
        var roots: [Int] = []
        for i in sorted {
            if let p = nodes[i].state.comment.parent, let pi = index[p], pi != i {
                children[pi].append(i)
            } else {
                roots.append(i)
            }
        }
        var out: [CommentState] = []
        out.reserveCapacity(nodes.count)
        var visited = [Bool](repeating: false, count: nodes.count)
        var stack: [(Int, Int)] = roots.reversed().map { ($0, 0) }
        // Each state is moved out of `nodes` (swapped with an empty one), not copied: on a 10,000-comment
        // thread the copies' reference counting cost more than the ordering.
        func take(_ i: Int, depth: Int) {
            var s = CommentState(comment: Comment(id: ""), present: false, appearedAt: 0)
            swap(&s, &nodes[i].state)
            s.comment.depth = depth
            out.append(s)
        }
        while let (i, depth) = stack.popLast() {
            guard !visited[i] else { continue }
            visited[i] = true
            take(i, depth: depth)
            for child in children[i].reversed() { stack.append((child, depth + 1)) }
        }
        // Parent cycles (never from a sane page): whatever was not reached, at top level.
        for i in sorted where !visited[i] { take(i, depth: 0) }
        return out
    }
}
