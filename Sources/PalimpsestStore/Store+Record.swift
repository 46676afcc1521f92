import Foundation
import GRDB
import PalimpsestCore

extension Store {
    /// Records one capture in one transaction and applies it to the lifecycle, then returns it with what it
    /// changed. Only a complete capture can make a comment appear, change or disappear, or start an article
    /// version; any other capture (failed, 304, 404/410, 5xx, incomplete) is recorded with its status, raw
    /// bytes and reasons and changes nothing (its `present` is carried over).
    public func record(_ input: CaptureInput) throws -> CaptureRecord {
        let reader = try BlobReader()
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
                INSERT INTO capture (page_id, number, captured_at, outcome, http_status, final_url, complete, problems,
                    capture_problems, declared_count, extractor_version, duration)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [pageID, number, input.capturedAt.timeIntervalSince1970, outcome.rawValue, main?.status,
                                 main?.finalURL, complete, try JSONText.encodeList(problems),
                                 try JSONText.encodeList(captureProblems), input.extraction?.thread.declaredCount,
                                 PalimpsestVersion.extractor, input.duration])
            let captureID = db.lastInsertedRowID
            for (ordinal, response) in input.responses.enumerated() {
                try storeResponse(db, response, captureID: captureID, pageID: pageID, ordinal: ordinal, reader: reader)
            }
            var changes = CaptureChanges()
            if complete, let extraction = input.extraction {
                changes = try applyLifecycle(db, pageID: pageID, number: number, extraction: extraction)
            } else {
                changes.present = try Int.fetchOne(db, sql: """
                    SELECT present FROM capture WHERE page_id = ? AND number < ? ORDER BY number DESC LIMIT 1
                    """, arguments: [pageID, number]) ?? 0
            }
            try saveChanges(db, changes, captureID: captureID)
            let info = CaptureInfo(number: number, capturedAt: input.capturedAt, httpStatus: main?.status, outcome: outcome,
                                   complete: complete, problems: problems,
                                   declaredCount: input.extraction?.thread.declaredCount, finalURL: main?.finalURL)
            return CaptureRecord(info: info, changes: changes)
        }
    }

    /// What a capture is: fetched (and extracted), unchanged (304), gone (404/410) or failed. Adds the problem
    /// that says why to a gone or failed one.
    static func outcome(of input: CaptureInput, problems: inout [Problem]) -> CaptureInfo.Outcome {
        if let failure = input.failure {
            var message = "\(failure.url): \(failure.message)"
            if let code = failure.curlCode { message += " (curl error \(code))" }
            if let status = failure.status { message += " (HTTP \(status))" }
            problems.append(Problem("fetch-failed", message))
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
            problems.append(Problem("http-status", "\(main.finalURL): HTTP \(main.status)"))
            return .failed
        }
    }

    func ensurePage(_ db: Database, url: String, canonical: String?, at date: Date) throws -> Int64 {
        if let row = try Row.fetchOne(db, sql: "SELECT id, canonical_url FROM page WHERE url = ?", arguments: [url]) {
            let id: Int64 = row[0]
            if let canonical, canonical != row[1] as String? {
                try db.execute(sql: "UPDATE page SET canonical_url = ? WHERE id = ?", arguments: [canonical, id])
            }
            return id
        }
        try db.execute(sql: "INSERT INTO page (url, canonical_url, created_at) VALUES (?, ?, ?)",
                       arguments: [url, canonical, date.timeIntervalSince1970])
        return db.lastInsertedRowID
    }

    /// Stores a response: its body and its metadata as blobs, each a delta against the page's previous one of
    /// the same ordinal where that is smaller.
    func storeResponse(_ db: Database, _ r: HTTPResponse, captureID: Int64, pageID: Int64, ordinal: Int,
                       reader: BlobReader) throws {
        let previous = try Row.fetchOne(db, sql: """
            SELECT r.body, r.meta FROM response r JOIN capture c ON c.id = r.capture_id
            WHERE c.page_id = ? AND r.ordinal = ? AND c.id <> ? AND r.status BETWEEN 200 AND 299
            ORDER BY c.number DESC LIMIT 1
            """, arguments: [pageID, ordinal, captureID])
        let body = try Blobs.store(db, r.body, base: previous?[0], reader: reader)
        let meta = try Blobs.store(db, try ResponseMeta(r).encoded(), base: previous?[1], reader: reader)
        try db.execute(sql: "INSERT INTO response (capture_id, ordinal, status, body, meta) VALUES (?, ?, ?, ?, ?)",
                       arguments: [captureID, ordinal, r.status, body, meta])
    }

    func saveChanges(_ db: Database, _ c: CaptureChanges, captureID: Int64) throws {
        try db.execute(sql: """
            UPDATE capture SET present = ?, article_changed = ?, appeared = ?, disappeared = ?, reappeared = ?, edited = ?
            WHERE id = ?
            """, arguments: [c.present, c.articleChanged, try JSONText.encodeList(c.appeared),
                             try JSONText.encodeList(c.disappeared), try JSONText.encodeList(c.reappeared),
                             try JSONText.encodeList(c.edited), captureID])
    }
}

/// What a stored response keeps besides its status and body, as one JSON blob (compressed against the
/// previous response's, so that a repeated header block costs a few bytes).
struct ResponseMeta: Codable {
    var requestedURL: String
    var finalURL: String
    var redirects: [Redirect]?
    var statusLine: String
    var headers: [HTTPHeader]
    var requestHeaders: [HTTPHeader]?
    var charset: String
    var timings: Timings

    init(_ r: HTTPResponse) {
        requestedURL = r.requestedURL
        finalURL = r.finalURL
        redirects = r.redirects.isEmpty ? nil : r.redirects
        statusLine = r.statusLine
        headers = r.headers
        requestHeaders = r.requestHeaders.isEmpty ? nil : r.requestHeaders
        charset = r.charset
        timings = r.timings
    }

    func encoded() throws -> Data { Data(try JSONText.encode(self).utf8) }

    func response(status: Int, body: Data) -> HTTPResponse {
        HTTPResponse(requestedURL: requestedURL, finalURL: finalURL, redirects: redirects ?? [], status: status,
                     statusLine: statusLine, headers: headers, body: body, text: "", charset: charset,
                     charsetSource: "stored", timings: timings, requestHeaders: requestHeaders ?? [])
    }
}

/// Codable values as compact JSON text in a column.
enum JSONText {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    /// A list as JSON, or NULL when it is empty.
    static func encodeList<T: Encodable>(_ list: [T]) throws -> String? {
        list.isEmpty ? nil : try encode(list)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
