import Foundation
import GRDB
import PalimpsestCore

extension Store {
    /// The raw responses of one capture (or of all), bodies restored byte for byte: for WARC export and reextract.
    public func responses(url: String, capture number: Int?) throws -> [StoredResponse] {
        let zstd = try Zstd()
        return try read { db in
            let pageID = try pageID(db, url: url)
            var sql = """
                SELECT r.*, c.number, c.captured_at FROM response r JOIN capture c ON c.id = r.capture_id WHERE c.page_id = ?
                """
            var args: [DatabaseValueConvertible] = [pageID]
            if let number {
                sql += " AND c.number = ?"
                args.append(number)
            }
            sql += " ORDER BY c.number, r.ordinal"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
                let hash: String = row["body_sha256"]
                let body = try loadBody(db, hash, zstd: zstd)
                let headers = JSONText.decode([HTTPHeader].self, row["headers"]) ?? []
                let response = HTTPResponse(
                    requestedURL: row["requested_url"], finalURL: row["final_url"],
                    redirects: JSONText.decode([Redirect].self, row["redirects"]) ?? [], status: row["status"],
                    statusLine: row["status_line"], headers: headers, body: body, text: "",
                    charset: row["charset"] ?? "utf-8", charsetSource: "stored",
                    timings: JSONText.decode(Timings.self, row["timings"]) ?? Timings(),
                    requestHeaders: JSONText.decode([HTTPHeader].self, row["request_headers"]) ?? [])
                return StoredResponse(captureNumber: row["number"], ordinal: row["ordinal"],
                                      capturedAt: Date(timeIntervalSince1970: row["captured_at"]), sha256: hash,
                                      response: response)
            }
        }
    }

    /// Every version of every comment of a page with the captures where it was first and last seen, and,
    /// for the latest version of a comment that is gone, the capture where it disappeared.
    public func commentVersions(url: String) throws -> [CommentVersionRow] {
        try read { db in
            let pageID = try pageID(db, url: url)
            var times: [Int: Date] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT number, captured_at FROM capture WHERE page_id = ?", arguments: [pageID]) {
                times[row["number"]] = Date(timeIntervalSince1970: row["captured_at"])
            }
            var gone: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT comment_id, max(end_capture) AS e FROM presence p WHERE page_id = ?
                  AND NOT EXISTS (SELECT 1 FROM presence q WHERE q.comment_id = p.comment_id AND q.end_capture IS NULL)
                GROUP BY comment_id
                """, arguments: [pageID]) {
                gone[row["comment_id"]] = row["e"]
            }
            return try Row.fetchAll(db, sql: """
                SELECT v.*, c.site_id FROM comment_version v JOIN comment c ON c.id = v.comment_id
                WHERE v.page_id = ? ORDER BY c.first_capture, c.first_position, v.version
                """, arguments: [pageID]).map { row in
                let commentID: Int64 = row["comment_id"]
                let first: Int = row["first_capture"]
                let last: Int = row["last_seen_capture"]
                let isLatest = (row["until_capture"] as Int?) == nil
                let disappeared = isLatest ? gone[commentID] : nil
                return CommentVersionRow(
                    commentID: row["site_id"], version: row["version"], parent: row["parent"], author: row["author"],
                    posted: row["posted"], kind: row["kind"],
                    text: Store.decodeParagraphs(row["paragraphs"]).joined(separator: "\n\n"),
                    firstSeenCapture: first, firstSeenAt: times[first] ?? Date(timeIntervalSince1970: 0),
                    lastSeenCapture: last, lastSeenAt: times[last] ?? Date(timeIntervalSince1970: 0),
                    disappearedCapture: disappeared, disappearedAt: disappeared.flatMap { times[$0] })
            }
        }
    }

    /// Rebuilds the derived data (article versions, comment versions, presence, each capture's changes and
    /// completeness) from the stored raw bodies with the given extractor, for one page or all, one transaction
    /// per page. Returns how many captures were re-read.
    public func reextract(url: String?, using extract: @Sendable ([StoredResponse]) -> Extraction) throws -> Int {
        let urls = try url.map { [$0] } ?? pages().map(\.url)
        if let url { _ = try read { db in try pageID(db, url: url) } }
        var count = 0
        for url in urls {
            let byCapture = Dictionary(grouping: try responses(url: url, capture: nil), by: \.captureNumber)
            count += try write { db in
                let pageID = try pageID(db, url: url)
                for table in ["presence", "comment_version", "comment", "article_version"] {
                    try db.execute(sql: "DELETE FROM \(table) WHERE page_id = ?", arguments: [pageID])
                }
                var reread = 0
                let captures = try Row.fetchAll(db, sql: "SELECT * FROM capture WHERE page_id = ? ORDER BY number", arguments: [pageID])
                for row in captures {
                    let number: Int = row["number"]
                    let outcome = CaptureInfo.Outcome(rawValue: row["outcome"]) ?? .failed
                    let captureProblems = JSONText.decode([Problem].self, row["capture_problems"]) ?? []
                    var changes = CaptureChanges()
                    if outcome == .fetched, let responses = byCapture[number] {
                        let extraction = extract(responses)
                        reread += 1
                        let problems = extraction.problems + captureProblems
                        let complete = problems.allowsComplete
                        if complete {
                            changes = try applyLifecycle(db, pageID: pageID, number: number, extraction: extraction)
                        }
                        try db.execute(sql: """
                            UPDATE capture SET complete = ?, problems = ?, declared_count = ?, extractor_version = ? WHERE id = ?
                            """, arguments: [complete, try JSONText.encode(problems), extraction.thread.declaredCount,
                                             PalimpsestVersion.extractor, row["id"] as Int64])
                    }
                    changes.present = try presentCount(db, pageID: pageID)
                    try db.execute(sql: "UPDATE capture SET changes = ? WHERE id = ?",
                                   arguments: [try JSONText.encode(changes), row["id"] as Int64])
                }
                return reread
            }
        }
        return count
    }
}
