import Foundation
import GRDB
import PalimpsestCore

/// The lifecycle of the article and of every comment, applied by complete captures only.
///
/// Rules (a complete capture against the state after the previous complete capture):
/// - an item not present before appears (or reappears, when it had an earlier interval);
/// - a present item whose text, author, kind or parent differs gets a new version; it is listed as edited
///   when text, author or kind changed (a comment turned into "this comment has been removed" is an edit
///   into the placeholder kind), not when only its parent did (a move);
/// - a present item missing from the capture disappears: its interval ends at this capture;
/// - pingbacks and trackbacks are kept like comments but never listed or counted as comments.
/// A reply printed at top level whose parent vanished keeps the parent the store knows (when its depth says
/// it is a reply), so that it shows as an orphan rather than a move.
extension Store {
    /// A comment's current version and presence, as loaded before applying a capture.
    struct CurrentComment {
        var commentID: Int64
        var versionID: Int64
        var version: Int
        var parent: String?
        var author: String?
        var kind: String
        var paragraphs: String
        /// The presence row of its open interval, when it is present.
        var openInterval: Int64?
        var present: Bool { openInterval != nil }
    }

    func applyLifecycle(_ db: Database, pageID: Int64, number: Int, extraction: Extraction) throws -> CaptureChanges {
        var changes = CaptureChanges()
        // The last complete capture before this one: where a comment present until now was last seen.
        let previousComplete = try Int.fetchOne(db, sql: """
            SELECT max(number) FROM capture WHERE page_id = ? AND complete AND number < ?
            """, arguments: [pageID, number]) ?? number - 1
        // Open intervals, then current versions: two range reads on the page's indexes.
        var open: [Int64: Int64] = [:]  // comment → its open presence row
        let intervals = try Row.fetchCursor(db, sql: """
            SELECT rowid, comment_id FROM presence WHERE page_id = ? AND end_capture IS NULL
            """, arguments: [pageID])
        while let row = try intervals.next() { open[row[1]] = row[0] }
        var current: [String: CurrentComment] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT comment_id, site_id, id, version, parent, author, kind, paragraphs
            FROM comment_version WHERE page_id = ? AND until_capture IS NULL
            """, arguments: [pageID])
        while let row = try rows.next() {
            let commentID: Int64 = row[0]
            current[row[1]] = CurrentComment(
                commentID: commentID, versionID: row[2], version: row[3], parent: row[4], author: row[5], kind: row[6],
                paragraphs: row[7], openInterval: open[commentID])
        }

        var seen = Set<String>()
        for (position, item) in extraction.thread.items.enumerated() {
            guard seen.insert(item.id).inserted else { continue }
            let countable = Store.isCountable(item.kind.rawValue)
            if countable { changes.present += 1 }
            let paragraphs = Paragraphs.encode(item.paragraphs)
            guard let existing = current[item.id] else {
                try db.execute(sql: """
                    INSERT INTO comment (page_id, site_id, has_site_id, first_capture, first_position) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [pageID, item.id, item.hasSiteID, number, position])
                let commentID = db.lastInsertedRowID
                try insertVersion(db, commentID: commentID, pageID: pageID, version: 1, number: number,
                                  item: item, parent: item.parent, paragraphs: paragraphs)
                try db.execute(sql: "INSERT INTO presence (comment_id, page_id, start_capture) VALUES (?, ?, ?)",
                               arguments: [commentID, pageID, number])
                if countable { changes.appeared.append(item.id) }
                continue
            }
            if !existing.present {
                try db.execute(sql: "INSERT INTO presence (comment_id, page_id, start_capture) VALUES (?, ?, ?)",
                               arguments: [existing.commentID, pageID, number])
                if countable { changes.reappeared.append(item.id) }
            }
            let parent = item.parent ?? (item.depth > 0 ? existing.parent : nil)
            let textChanged = paragraphs != existing.paragraphs || item.author != existing.author
                || item.kind.rawValue != existing.kind
            if textChanged || parent != existing.parent {
                // The old version was last seen at the previous complete capture if it was present until now;
                // if it was gone, its last sighting was recorded when it disappeared.
                try db.execute(sql: """
                    UPDATE comment_version SET until_capture = ?, last_seen_capture = coalesce(last_seen_capture, ?)
                    WHERE id = ?
                    """, arguments: [number, previousComplete, existing.versionID])
                try insertVersion(db, commentID: existing.commentID, pageID: pageID, version: existing.version + 1,
                                  number: number, item: item, parent: parent, paragraphs: paragraphs)
                if textChanged && countable && existing.present { changes.edited.append(item.id) }
            } else if !existing.present {
                try db.execute(sql: "UPDATE comment_version SET last_seen_capture = NULL WHERE id = ?",
                               arguments: [existing.versionID])
            }
        }

        // Present before, missing now: gone, as of this complete capture.
        for (id, c) in current where c.present && !seen.contains(id) {
            try db.execute(sql: "UPDATE presence SET end_capture = ? WHERE rowid = ?", arguments: [number, c.openInterval])
            try db.execute(sql: "UPDATE comment_version SET last_seen_capture = ? WHERE id = ?",
                           arguments: [previousComplete, c.versionID])
            if Store.isCountable(c.kind) { changes.disappeared.append(id) }
        }
        changes.articleChanged = try applyArticle(db, pageID: pageID, number: number, article: extraction.article)
        changes.appeared.sort(by: Store.idOrder)
        changes.disappeared.sort(by: Store.idOrder)
        changes.reappeared.sort(by: Store.idOrder)
        changes.edited.sort(by: Store.idOrder)
        return changes
    }

    /// Comments and placeholders count as comments; pingbacks and trackbacks do not.
    static func isCountable(_ kind: String) -> Bool {
        kind == Comment.Kind.comment.rawValue || kind == Comment.Kind.placeholder.rawValue
    }

    func insertVersion(_ db: Database, commentID: Int64, pageID: Int64, version: Int, number: Int,
                       item: Comment, parent: String?, paragraphs: String) throws {
        try db.execute(sql: """
            INSERT INTO comment_version (comment_id, page_id, site_id, has_site_id, version, first_capture, parent, author,
                author_url, posted, posted_text, kind, paragraphs, permalink)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [commentID, pageID, item.id, item.hasSiteID, version, number, parent, item.author,
                             item.authorURL, item.posted, item.postedText, item.kind.rawValue, paragraphs, item.permalink])
    }

    /// A new article version when title, byline or body changed. A page where nothing of the article was
    /// found leaves the current version as it is.
    func applyArticle(_ db: Database, pageID: Int64, number: Int, article: Article) throws -> Bool {
        if article.title == nil && article.blocks.isEmpty { return false }
        let latest = try String.fetchOne(db, sql: """
            SELECT data FROM article_version WHERE page_id = ? ORDER BY first_capture DESC LIMIT 1
            """, arguments: [pageID])
        if let previous = JSONText.decode(Article.self, latest), previous.versionKey == article.versionKey { return false }
        try db.execute(sql: "INSERT INTO article_version (page_id, first_capture, data) VALUES (?, ?, ?)",
                       arguments: [pageID, number, try JSONText.encode(article)])
        return true
    }

    /// Numeric ids in numeric order, others after them in text order.
    static func idOrder(_ a: String, _ b: String) -> Bool {
        switch (Int(a), Int(b)) {
        case let (x?, y?): return x < y
        case (_?, nil): return true
        case (nil, _?): return false
        default: return a < b
        }
    }
}

/// A comment's paragraphs in one text column, cheap to decode: an empty text for none; otherwise the byte
/// U+001F (unit separator) before each paragraph; JSON (starting with "[") in the rare case a paragraph holds
/// that byte. Split on bytes, not Characters: a combining mark after the separator must not fuse with it.
enum Paragraphs {
    static let separator: UInt8 = 0x1F

    static func encode(_ paragraphs: [String]) -> String {
        if paragraphs.contains(where: { $0.utf8.contains(separator) }) {
            return (try? JSONText.encode(paragraphs)) ?? ""
        }
        var out = ""
        for p in paragraphs {
            out += "\u{1F}"
            out += p
        }
        return out
    }

    static func decode(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { decode(utf8: $0) }
    }

    /// From the column's bytes, without making a string of the whole first: each paragraph is made once.
    static func decode(utf8 buf: UnsafeBufferPointer<UInt8>) -> [String] {
        if let first = buf.first, first == separator {
            // A plain loop over the bytes: the generic split was a fifth of reading a large thread's state.
            var out: [String] = []
            var start = 1
            for i in 1..<buf.count where buf[i] == separator {
                out.append(String(decoding: UnsafeBufferPointer(rebasing: buf[start..<i]), as: UTF8.self))
                start = i + 1
            }
            out.append(String(decoding: UnsafeBufferPointer(rebasing: buf[start...]), as: UTF8.self))
            return out
        }
        if buf.isEmpty { return [] }
        let text = String(decoding: buf, as: UTF8.self)
        return JSONText.decode([String].self, text) ?? [text]
    }
}
