import Foundation
import GRDB
import PalimpsestCore

extension Store {
    /// The raw responses of one capture (or of all, oldest first), bodies restored byte for byte: for WARC
    /// export and reextract. All of a page's bodies can be large: `eachResponse` reads them one at a time.
    public func responses(url: String, capture number: Int?) throws -> [StoredResponse] {
        var out: [StoredResponse] = []
        try eachResponse(url: url, capture: number) { out.append($0) }
        return out
    }

    /// Calls `body` with each raw response of one capture (or of all, oldest first), one at a time, in one
    /// read transaction (a consistent view while a writer writes).
    public func eachResponse(url: String, capture number: Int?, _ body: (StoredResponse) throws -> Void) throws {
        let reader = try BlobReader()
        try read { db in
            let pageID = try pageID(db, url: url)
            var sql = """
                SELECT c.id, c.number, c.captured_at FROM capture c WHERE c.page_id = ?
                """
            var args: [any DatabaseValueConvertible] = [pageID]
            if let number {
                sql += " AND c.number = ?"
                args.append(number)
            }
            sql += " ORDER BY c.number"
            for capture in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)) {
                for r in try loadResponses(db, captureID: capture[0], number: capture[1],
                                           capturedAt: Date(timeIntervalSince1970: capture[2]), reader: reader) {
                    try body(r)
                }
            }
        }
    }

    func loadResponses(_ db: Database, captureID: Int64, number: Int, capturedAt: Date,
                       reader: BlobReader) throws -> [StoredResponse] {
        try Row.fetchAll(db, sql: """
            SELECT r.ordinal, r.status, r.body, r.meta, b.sha256 FROM response r JOIN blob b ON b.id = r.body
            WHERE r.capture_id = ? ORDER BY r.ordinal
            """, arguments: [captureID]).map { row in
            let meta = try JSONDecoder().decode(ResponseMeta.self, from: reader.load(db, row[3]))
            let body = try reader.load(db, row[2])
            return StoredResponse(captureNumber: number, ordinal: row[0], capturedAt: capturedAt,
                                  sha256: Blobs.hex(row[4]), response: meta.response(status: row[1], body: body))
        }
    }

    /// Every version of every comment of a page (pingbacks included, see `kind`) with the captures where it was
    /// first and last seen, and, for the latest version of a comment that is gone, the capture where it
    /// disappeared. In the order comments were first seen, then by version.
    public func commentVersions(url: String) throws -> [CommentVersionRow] {
        try read { db in
            let pageID = try pageID(db, url: url)
            var times: [Int: Date] = [:]
            var latestComplete = 0
            for row in try Row.fetchAll(db, sql: "SELECT number, captured_at, complete FROM capture WHERE page_id = ?",
                                        arguments: [pageID]) {
                times[row[0]] = Date(timeIntervalSince1970: row[1])
                if row[2] { latestComplete = max(latestComplete, row[0]) }
            }
            // Comments gone now: the end of their last interval.
            var gone: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT comment_id, max(end_capture) FROM presence p WHERE page_id = ?
                  AND NOT EXISTS (SELECT 1 FROM presence q WHERE q.comment_id = p.comment_id AND q.end_capture IS NULL)
                GROUP BY comment_id
                """, arguments: [pageID]) {
                gone[row[0]] = row[1]
            }
            let epoch = Date(timeIntervalSince1970: 0)
            let rows = try Row.fetchAll(db, sql: """
                SELECT v.comment_id, c.site_id, v.version, v.parent, v.author, v.posted, v.kind, v.paragraphs,
                       v.first_capture, v.last_seen_capture, v.until_capture
                FROM comment_version v JOIN comment c ON c.id = v.comment_id
                WHERE v.page_id = ? ORDER BY c.first_capture, c.first_position, v.version
                """, arguments: [pageID])
            // Every comment is present now or gone: a parent gone now makes its present replies orphans.
            var absent = Set<String>()
            for row in rows {
                let commentID: Int64 = row[0]
                if gone[commentID] != nil { absent.insert(row[1]) }
            }
            return rows.map { row in
                let commentID: Int64 = row[0]
                let first: Int = row[8]
                let last: Int = row[9] ?? latestComplete
                let isLatest = row.hasNull(atIndex: 10)
                let disappeared = isLatest ? gone[commentID] : nil
                let parent: String? = row[3]
                let orphan = isLatest && disappeared == nil && parent.map(absent.contains) == true
                return CommentVersionRow(
                    commentID: row[1], version: row[2], parent: row[3], author: row[4], posted: row[5], kind: row[6],
                    text: Paragraphs.decode(row[7]).joined(separator: "\n\n"),
                    firstSeenCapture: first, firstSeenAt: times[first] ?? epoch,
                    lastSeenCapture: last, lastSeenAt: times[last] ?? epoch,
                    disappearedCapture: disappeared, disappearedAt: disappeared.flatMap { times[$0] }, orphan: orphan)
            }
        }
    }

    /// Rebuilds the derived data (article versions, comments, comment versions, presence, each capture's
    /// completeness, problems, present count and changes) from the stored raw bodies with the given extractor,
    /// for one page or all. One transaction per page: readers see the old derived data or the new, never a mix.
    /// Returns how many captures were re-read (fetched ones; the others have nothing to extract).
    public func reextract(url: String?, using extract: @Sendable ([StoredResponse]) -> Extraction) throws -> Int {
        let urls: [String]
        if let url {
            _ = try read { db in try pageID(db, url: url) }
            urls = [url]
        } else {
            urls = try read { db in try String.fetchAll(db, sql: "SELECT url FROM page ORDER BY id") }
        }
        var count = 0
        for url in urls {
            let reader = try BlobReader()
            count += try write { db in
                let pageID = try pageID(db, url: url)
                for table in ["presence", "comment_version", "comment", "article_version"] {
                    try db.execute(sql: "DELETE FROM \(table) WHERE page_id = ?", arguments: [pageID])
                }
                var reread = 0
                var present = 0
                let captures = try Row.fetchAll(db, sql: """
                    SELECT id, number, captured_at, outcome, capture_problems FROM capture WHERE page_id = ? ORDER BY number
                    """, arguments: [pageID])
                for row in captures {
                    let captureID: Int64 = row[0]
                    let number: Int = row[1]
                    var changes = CaptureChanges(present: present)
                    if row[3] == CaptureInfo.Outcome.fetched.rawValue {
                        let responses = try loadResponses(db, captureID: captureID, number: number,
                                                          capturedAt: Date(timeIntervalSince1970: row[2]), reader: reader)
                        let extraction = extract(responses)
                        reread += 1
                        let problems = extraction.problems + (JSONText.decode([Problem].self, row[4]) ?? [])
                        let complete = problems.allowsComplete
                        try db.execute(sql: """
                            UPDATE capture SET complete = ?, problems = ?, declared_count = ?, extractor_version = ? WHERE id = ?
                            """, arguments: [complete, try JSONText.encodeList(problems), extraction.thread.declaredCount,
                                             PalimpsestVersion.extractor, captureID])
                        if complete {
                            changes = try applyLifecycle(db, pageID: pageID, number: number, extraction: extraction)
                            present = changes.present
                        }
                        if let canonical = extraction.article.canonicalURL {
                            try db.execute(sql: "UPDATE page SET canonical_url = ? WHERE id = ?", arguments: [canonical, pageID])
                        }
                    }
                    try saveChanges(db, changes, captureID: captureID)
                }
                return reread
            }
        }
        return count
    }
}
