import Foundation
import GRDB
import PalimpsestCore

/// The lifecycle of the article and of every comment, applied by complete captures only.
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
        var posted: String?
        var present: Bool
    }

    func applyLifecycle(_ db: Database, pageID: Int64, number: Int, extraction: Extraction) throws -> CaptureChanges {
        var changes = CaptureChanges()
        var current: [String: CurrentComment] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.id AS cid, c.site_id, v.id AS vid, v.version, v.parent, v.author, v.kind, v.paragraphs, v.posted,
                   EXISTS (SELECT 1 FROM presence p WHERE p.comment_id = c.id AND p.end_capture IS NULL) AS present
            FROM comment c JOIN comment_version v ON v.comment_id = c.id AND v.until_capture IS NULL
            WHERE c.page_id = ?
            """, arguments: [pageID])
        while let row = try rows.next() {
            current[row["site_id"]] = CurrentComment(
                commentID: row["cid"], versionID: row["vid"], version: row["version"], parent: row["parent"],
                author: row["author"], kind: row["kind"], paragraphs: row["paragraphs"], posted: row["posted"],
                present: row["present"])
        }

        var seen = Set<String>()
        for (position, item) in extraction.thread.items.enumerated() {
            guard seen.insert(item.id).inserted else { continue }
            let countable = item.kind == .comment || item.kind == .placeholder
            let paragraphs = try Store.encodeParagraphs(item.paragraphs)
            guard let existing = current[item.id] else {
                try db.execute(sql: """
                    INSERT INTO comment (page_id, site_id, has_site_id, first_capture, first_position) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [pageID, item.id, item.hasSiteID, number, position])
                let commentID = db.lastInsertedRowID
                try insertVersion(db, commentID: commentID, pageID: pageID, version: 1, number: number, position: position,
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
            // A reply whose parent was removed is shown by many themes at top level with its depth kept:
            // the markup lost the link, the reply did not move. Keep the parent we know.
            let parent = item.parent ?? (item.depth > 0 ? existing.parent : nil)
            let textChanged = paragraphs != existing.paragraphs || item.author != existing.author
                || item.kind.rawValue != existing.kind
            if textChanged || parent != existing.parent || item.posted != existing.posted {
                try db.execute(sql: "UPDATE comment_version SET until_capture = ? WHERE id = ?",
                               arguments: [number, existing.versionID])
                try insertVersion(db, commentID: existing.commentID, pageID: pageID, version: existing.version + 1,
                                  number: number, position: position, item: item, parent: parent, paragraphs: paragraphs)
                if textChanged && countable && existing.present { changes.edited.append(item.id) }
            }
        }

        // Present before, missing now: gone, as of this complete capture.
        for (id, c) in current where c.present && !seen.contains(id) {
            try db.execute(sql: "UPDATE presence SET end_capture = ? WHERE comment_id = ? AND end_capture IS NULL",
                           arguments: [number, c.commentID])
            if c.kind == Comment.Kind.comment.rawValue || c.kind == Comment.Kind.placeholder.rawValue {
                changes.disappeared.append(id)
            }
        }
        try db.execute(sql: """
            UPDATE comment_version SET last_seen_capture = ?
            WHERE page_id = ? AND until_capture IS NULL AND last_seen_capture < ?
              AND comment_id IN (SELECT comment_id FROM presence WHERE page_id = ? AND end_capture IS NULL)
            """, arguments: [number, pageID, number, pageID])
        changes.articleChanged = try applyArticle(db, pageID: pageID, number: number, article: extraction.article)
        changes.appeared.sort(by: Store.idOrder)
        changes.disappeared.sort(by: Store.idOrder)
        changes.reappeared.sort(by: Store.idOrder)
        changes.edited.sort(by: Store.idOrder)
        return changes
    }

    func insertVersion(_ db: Database, commentID: Int64, pageID: Int64, version: Int, number: Int, position: Int,
                       item: Comment, parent: String?, paragraphs: String) throws {
        try db.execute(sql: """
            INSERT INTO comment_version (comment_id, page_id, version, first_capture, last_seen_capture, position,
                parent, depth, author, author_url, posted, posted_text, kind, paragraphs, permalink)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [commentID, pageID, version, number, number, position, parent, item.depth, item.author,
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

    static func encodeParagraphs(_ paragraphs: [String]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: paragraphs, options: [.withoutEscapingSlashes]), as: UTF8.self)
    }

    static func decodeParagraphs(_ text: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
    }
}
