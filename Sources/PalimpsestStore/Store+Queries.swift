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
}
