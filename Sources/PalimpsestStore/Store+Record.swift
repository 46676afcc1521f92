import Foundation
import GRDB
import PalimpsestCore

extension Store {
    /// Records one capture in one transaction and applies it to the lifecycle. Only a complete capture can
    /// make a comment appear, change or disappear, or start an article version; any other capture (failed,
    /// 304, 404/410, 5xx, incomplete) is recorded with its status and reasons and changes nothing.
    public func record(_ input: CaptureInput) throws -> CaptureRecord {
        let zstd = try Zstd()
        return try write { db in
            let pageID = try ensurePage(db, url: input.url, canonical: input.extraction?.article.canonicalURL,
                                        at: input.capturedAt)
            let number = (try Int.fetchOne(db, sql: "SELECT max(number) FROM capture WHERE page_id = ?",
                                           arguments: [pageID]) ?? 0) + 1
            var captureProblems = input.extraProblems
            let outcome = Store.outcome(of: input, problems: &captureProblems)
            let problems = (input.extraction?.problems ?? []) + captureProblems
            let complete = outcome == .fetched && problems.allowsComplete
            let main = input.responses.first
            try db.execute(sql: """
                INSERT INTO capture (page_id, number, captured_at, outcome, http_status, complete, problems,
                    capture_problems, declared_count, final_url, extractor_version, duration, changes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')
                """, arguments: [pageID, number, input.capturedAt.timeIntervalSince1970, outcome.rawValue, main?.status,
                                 complete, try JSONText.encode(problems), try JSONText.encode(captureProblems),
                                 input.extraction?.thread.declaredCount, main?.finalURL,
                                 PalimpsestVersion.extractor, input.duration])
            let captureID = db.lastInsertedRowID
            for (ordinal, response) in input.responses.enumerated() {
                try storeResponse(db, response, captureID: captureID, pageID: pageID, ordinal: ordinal, zstd: zstd)
            }
            var changes = CaptureChanges()
            if complete, let extraction = input.extraction {
                changes = try applyLifecycle(db, pageID: pageID, number: number, extraction: extraction)
            }
            changes.present = try presentCount(db, pageID: pageID)
            try db.execute(sql: "UPDATE capture SET changes = ? WHERE id = ?",
                           arguments: [try JSONText.encode(changes), captureID])
            let info = CaptureInfo(number: number, capturedAt: input.capturedAt, httpStatus: main?.status, outcome: outcome,
                                   complete: complete, problems: problems,
                                   declaredCount: input.extraction?.thread.declaredCount, finalURL: main?.finalURL)
            return CaptureRecord(info: info, changes: changes)
        }
    }

    /// What a capture is: fetched (and extracted), unchanged (304), gone (404/410) or failed.
    static func outcome(of input: CaptureInput, problems: inout [Problem]) -> CaptureInfo.Outcome {
        if let failure = input.failure {
            var message = failure.message
            if let code = failure.curlCode { message += " (curl error \(code))" }
            problems.append(Problem("fetch-failed", "\(failure.url): \(message)"))
            return .failed
        }
        guard let main = input.responses.first else {
            problems.append(Problem("no-response", "nothing was received"))
            return .failed
        }
        switch main.status {
        case 304:
            return .unchanged
        case 404, 410:
            problems.append(Problem("page-gone", "HTTP \(main.status): the page is gone (its comments are not counted as removed)"))
            return .gone
        case 200..<300:
            guard input.extraction != nil else {
                problems.append(Problem("not-extracted", "the page was not extracted"))
                return .failed
            }
            return .fetched
        default:
            problems.append(Problem("http-status", "HTTP \(main.status)"))
            return .failed
        }
    }

    func ensurePage(_ db: Database, url: String, canonical: String?, at date: Date) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM page WHERE url = ?", arguments: [url]) {
            if let canonical {
                try db.execute(sql: "UPDATE page SET canonical_url = ? WHERE id = ?", arguments: [canonical, id])
            }
            return id
        }
        try db.execute(sql: "INSERT INTO page (url, canonical_url, created_at) VALUES (?, ?, ?)",
                       arguments: [url, canonical, date.timeIntervalSince1970])
        return db.lastInsertedRowID
    }

    func storeResponse(_ db: Database, _ r: HTTPResponse, captureID: Int64, pageID: Int64, ordinal: Int, zstd: Zstd) throws {
        let previous = try String.fetchOne(db, sql: """
            SELECT response.body_sha256 FROM response JOIN capture ON capture.id = response.capture_id
            WHERE capture.page_id = ? AND response.ordinal = ? AND capture.id <> ? AND length(response.body_sha256) > 0
            ORDER BY capture.number DESC LIMIT 1
            """, arguments: [pageID, ordinal, captureID])
        let hash = try storeBody(db, r.body, previous: previous, zstd: zstd)
        try db.execute(sql: """
            INSERT INTO response (capture_id, ordinal, requested_url, final_url, status, status_line, headers,
                request_headers, redirects, etag, last_modified, charset, timings, body_sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [captureID, ordinal, r.requestedURL, r.finalURL, r.status, r.statusLine,
                             try JSONText.encode(r.headers), try JSONText.encode(r.requestHeaders),
                             try JSONText.encode(r.redirects), r.etag, r.lastModified, r.charset,
                             try JSONText.encode(r.timings), hash])
    }

    func presentCount(_ db: Database, pageID: Int64) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT count(*) FROM presence p JOIN comment_version v ON v.comment_id = p.comment_id AND v.until_capture IS NULL
            WHERE p.page_id = ? AND p.end_capture IS NULL AND v.kind IN ('comment', 'placeholder')
            """, arguments: [pageID]) ?? 0
    }
}

/// Codable values as compact JSON text in a column.
enum JSONText {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
