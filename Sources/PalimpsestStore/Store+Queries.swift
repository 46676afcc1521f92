import Foundation
import GRDB
import PalimpsestCore

extension Store {
    /// The captures of a page, oldest first, with what each changed.
    public func history(url: String) throws -> [CaptureRecord] {
        try read { db in
            let pageID = try pageID(db, url: url)
            return try Row.fetchAll(db, sql: "SELECT * FROM capture WHERE page_id = ? ORDER BY number", arguments: [pageID])
                .map { CaptureRecord(info: Store.info($0), changes: JSONText.decode(CaptureChanges.self, $0["changes"]) ?? CaptureChanges()) }
        }
    }

    static func info(_ row: Row) -> CaptureInfo {
        CaptureInfo(number: row["number"], capturedAt: Date(timeIntervalSince1970: row["captured_at"]),
                    httpStatus: row["http_status"],
                    outcome: CaptureInfo.Outcome(rawValue: row["outcome"]) ?? .failed, complete: row["complete"],
                    problems: JSONText.decode([Problem].self, row["problems"]) ?? [],
                    declaredCount: row["declared_count"], finalURL: row["final_url"])
    }

    /// The capture a reference names: a number names that capture; a time names the last complete capture at
    /// or before it.
    public func resolve(url: String, _ ref: CaptureRef) throws -> CaptureInfo {
        try read { db in
            let pageID = try pageID(db, url: url)
            let row: Row?
            switch ref {
            case .number(let n):
                row = try Row.fetchOne(db, sql: "SELECT * FROM capture WHERE page_id = ? AND number = ?", arguments: [pageID, n])
            case .time(let t):
                row = try Row.fetchOne(db, sql: """
                    SELECT * FROM capture WHERE page_id = ? AND complete AND captured_at <= ? ORDER BY captured_at DESC, number DESC LIMIT 1
                    """, arguments: [pageID, t.timeIntervalSince1970 + 0.0005])
            case .latestComplete:
                row = try Row.fetchOne(db, sql: "SELECT * FROM capture WHERE page_id = ? AND complete ORDER BY number DESC LIMIT 1",
                                       arguments: [pageID])
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
            try Row.fetchAll(db, sql: "SELECT * FROM capture WHERE page_id = ? AND complete ORDER BY number DESC LIMIT 2",
                             arguments: [try pageID(db, url: url)])
        }
        guard rows.count == 2 else {
            throw StoreError.noCompleteCapture(url: url, detail: "a diff needs two complete captures; there are \(rows.count)")
        }
        return (Store.info(rows[1]), Store.info(rows[0]))
    }

    /// ETag and Last-Modified of the last 200 response, for a conditional request.
    public func validators(url: String) throws -> (etag: String?, lastModified: String?) {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT r.etag, r.last_modified FROM response r JOIN capture c ON c.id = r.capture_id JOIN page p ON p.id = c.page_id
                WHERE p.url = ? AND r.ordinal = 0 AND r.status = 200 ORDER BY c.number DESC LIMIT 1
                """, arguments: [url])
            else { return (nil, nil) }
            return (row["etag"], row["last_modified"])
        }
    }

    /// The page as it stood at capture `number`: the article version then, and the comments present then in
    /// thread order (replies under their parents). With `includeRemoved`, comments gone by then are included,
    /// marked with the capture where they disappeared.
    public func snapshot(url: String, at number: Int, includeRemoved: Bool) throws -> Snapshot {
        try read { db in
            let pageID = try pageID(db, url: url)
            guard let captureRow = try Row.fetchOne(db, sql: "SELECT * FROM capture WHERE page_id = ? AND number = ?",
                                                    arguments: [pageID, number])
            else { throw StoreError.noSuchCapture(url: url, ref: CaptureRef.number(number).description) }
            let info = Store.info(captureRow)
            let articleText = try String.fetchOne(db, sql: """
                SELECT data FROM article_version WHERE page_id = ? AND first_capture <= ? ORDER BY first_capture DESC LIMIT 1
                """, arguments: [pageID, number])
            let article = JSONText.decode(Article.self, articleText) ?? Article()

            // Presence at `number`, per comment.
            struct Life {
                var present = false
                var appearedAt = Int.max
                var lastEnd: Int?
            }
            var lives: [Int64: Life] = [:]
            let presence = try Row.fetchCursor(db, sql: """
                SELECT comment_id, start_capture, end_capture FROM presence WHERE page_id = ? AND start_capture <= ?
                """, arguments: [pageID, number])
            while let row = try presence.next() {
                let id: Int64 = row[0]
                let start: Int = row[1]
                let end: Int? = row[2]
                var life = lives[id] ?? Life()
                life.appearedAt = min(life.appearedAt, start)
                if let end, end <= number {
                    life.lastEnd = max(life.lastEnd ?? 0, end)
                } else {
                    life.present = true
                }
                lives[id] = life
            }
            let endCaptures = Set(lives.values.compactMap(\.lastEnd))
            var endInfo: [Int: CaptureInfo] = [:]
            for n in endCaptures {
                if let row = try Row.fetchOne(db, sql: "SELECT * FROM capture WHERE page_id = ? AND number = ?", arguments: [pageID, n]) {
                    endInfo[n] = Store.info(row)
                }
            }

            // The version of each comment valid at `number`.
            var nodes: [ThreadOrder.Node] = []
            let versions = try Row.fetchCursor(db, sql: """
                SELECT v.comment_id, v.parent, v.author, v.author_url, v.posted, v.posted_text, v.kind, v.paragraphs,
                       v.permalink, c.site_id, c.has_site_id, c.first_capture, c.first_position
                FROM comment_version v JOIN comment c ON c.id = v.comment_id
                WHERE v.page_id = ? AND v.first_capture <= ? AND (v.until_capture IS NULL OR v.until_capture > ?)
                """, arguments: [pageID, number, number])
            while let row = try versions.next() {
                let commentID: Int64 = row["comment_id"]
                guard let life = lives[commentID], life.present || includeRemoved else { continue }
                let comment = Comment(
                    id: row["site_id"], hasSiteID: row["has_site_id"], parent: row["parent"], depth: 0,
                    author: row["author"], authorURL: row["author_url"], posted: row["posted"],
                    postedText: row["posted_text"], paragraphs: Store.decodeParagraphs(row["paragraphs"]),
                    permalink: row["permalink"], kind: Comment.Kind(rawValue: row["kind"]) ?? .comment)
                let state = CommentState(comment: comment, present: life.present, appearedAt: life.appearedAt,
                                         disappearedAt: life.present ? nil : life.lastEnd.flatMap { endInfo[$0] })
                nodes.append(ThreadOrder.Node(state: state, firstCapture: row["first_capture"], firstPosition: row["first_position"]))
            }
            let presentIDs = Set(nodes.filter(\.state.present).map(\.state.comment.id))
            let knownIDs = try Set(String.fetchAll(db, sql: "SELECT site_id FROM comment WHERE page_id = ?", arguments: [pageID]))
            for i in nodes.indices {
                if nodes[i].state.present, let p = nodes[i].state.comment.parent, knownIDs.contains(p), !presentIDs.contains(p) {
                    nodes[i].state.orphan = true
                }
            }
            return Snapshot(url: url, capture: info, article: article, comments: ThreadOrder.arrange(nodes))
        }
    }
}

/// Thread order: each comment under its parent, siblings in the order they were first seen; depth set from
/// the tree. A comment whose parent is not in the list stands at top level.
enum ThreadOrder {
    struct Node {
        var state: CommentState
        var firstCapture: Int
        var firstPosition: Int
    }

    static func arrange(_ nodes: [Node]) -> [CommentState] {
        let sorted = nodes.sorted { ($0.firstCapture, $0.firstPosition) < ($1.firstCapture, $1.firstPosition) }
        let ids = Set(sorted.map(\.state.comment.id))
        var children: [String: [Node]] = [:]
        var roots: [Node] = []
        for n in sorted {
            if let p = n.state.comment.parent, p != n.state.comment.id, ids.contains(p) {
                children[p, default: []].append(n)
            } else {
                roots.append(n)
            }
        }
        var out: [CommentState] = []
        out.reserveCapacity(sorted.count)
        var visited = Set<String>()
        var stack: [(Node, Int)] = roots.reversed().map { ($0, 0) }
        while let (node, depth) = stack.popLast() {
            guard visited.insert(node.state.comment.id).inserted else { continue }
            var s = node.state
            s.comment.depth = depth
            out.append(s)
            for child in (children[s.comment.id] ?? []).reversed() { stack.append((child, depth + 1)) }
        }
        // Parent cycles (never from a sane page): whatever was not reached, at top level.
        for n in sorted where !visited.contains(n.state.comment.id) {
            var s = n.state
            s.comment.depth = 0
            out.append(s)
        }
        return out
    }
}
