import Foundation
import GRDB

/// The schema, grown only by named, append-only migrations. Never edit a migration once released: add one.
///
/// Raw data (pages, captures, responses, blobs) is the evidence and is never rewritten. Derived data
/// (article versions, comments, comment versions, presence intervals, each capture's `present` and change
/// lists) is rebuilt from the raw bodies by `Store.reextract`.
enum Schema {
    /// Marks a SQLite file as a Palimpsest store ("PLMP").
    static let applicationID: Int32 = 0x504C_4D50

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-pages-captures-blobs") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(sql: """
                CREATE TABLE page (
                    id INTEGER PRIMARY KEY,
                    url TEXT NOT NULL UNIQUE,
                    canonical_url TEXT,
                    created_at REAL NOT NULL
                );
                -- Raw bytes (response bodies, and each response's metadata as JSON), content-addressed by
                -- SHA-256 and stored once. codec 0: as is; 1: zstd, with the blob `base` (the page's previous
                -- body) as prefix when base is set. depth: the length of the chain of bases below it.
                CREATE TABLE blob (
                    id INTEGER PRIMARY KEY,
                    sha256 BLOB NOT NULL UNIQUE,
                    size INTEGER NOT NULL,
                    codec INTEGER NOT NULL,
                    base INTEGER REFERENCES blob(id),
                    depth INTEGER NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE TABLE capture (
                    id INTEGER PRIMARY KEY,
                    page_id INTEGER NOT NULL REFERENCES page(id),
                    number INTEGER NOT NULL,
                    captured_at REAL NOT NULL,
                    outcome TEXT NOT NULL,
                    http_status INTEGER,
                    final_url TEXT,
                    complete INTEGER NOT NULL,
                    -- JSON lists of Problem, NULL when none: all of them, and the capture's own (a comment
                    -- page not fetched, a failure) kept apart so that reextract can recompute completeness.
                    problems TEXT,
                    capture_problems TEXT,
                    declared_count INTEGER,
                    extractor_version INTEGER NOT NULL,
                    duration REAL NOT NULL,
                    -- Derived: comments present after this capture, and what it changed (JSON lists of
                    -- comment ids, NULL when empty).
                    present INTEGER NOT NULL DEFAULT 0,
                    article_changed INTEGER NOT NULL DEFAULT 0,
                    appeared TEXT,
                    disappeared TEXT,
                    reappeared TEXT,
                    edited TEXT,
                    UNIQUE (page_id, number)
                );
                -- One row per response of a capture: the main page (ordinal 0), then other comment pages.
                -- meta: JSON of URLs, redirects, status line, headers, request headers, charset, timings.
                CREATE TABLE response (
                    capture_id INTEGER NOT NULL REFERENCES capture(id),
                    ordinal INTEGER NOT NULL,
                    status INTEGER NOT NULL,
                    body INTEGER NOT NULL REFERENCES blob(id),
                    meta INTEGER NOT NULL REFERENCES blob(id),
                    PRIMARY KEY (capture_id, ordinal)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v1-lifecycle") { db in
            try db.execute(sql: """
                -- A new version only when title, byline or body change; valid from first_capture on.
                CREATE TABLE article_version (
                    id INTEGER PRIMARY KEY,
                    page_id INTEGER NOT NULL REFERENCES page(id),
                    first_capture INTEGER NOT NULL,
                    data TEXT NOT NULL
                );
                CREATE INDEX article_version_by_capture ON article_version(page_id, first_capture);
                -- Identity: (page, site id), or the extractor's fingerprint where the site gives no id.
                CREATE TABLE comment (
                    id INTEGER PRIMARY KEY,
                    page_id INTEGER NOT NULL REFERENCES page(id),
                    site_id TEXT NOT NULL,
                    has_site_id INTEGER NOT NULL,
                    -- Where it was first seen. Comments are inserted in this order, so their ids follow it too:
                    -- siblings are shown in id order.
                    first_capture INTEGER NOT NULL,
                    first_position INTEGER NOT NULL,
                    UNIQUE (page_id, site_id)
                );
                -- A comment's versions (text, author, parent, kind): valid from first_capture until
                -- until_capture (exclusive; NULL = current). last_seen_capture: the last complete capture that
                -- showed this version; NULL while it is current and present (then: the page's latest complete
                -- capture). paragraphs: see Paragraphs.
                CREATE TABLE comment_version (
                    id INTEGER PRIMARY KEY,
                    comment_id INTEGER NOT NULL REFERENCES comment(id),
                    page_id INTEGER NOT NULL,
                    -- The comment's site id, copied here so that a snapshot reads this table alone.
                    site_id TEXT NOT NULL,
                    has_site_id INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    first_capture INTEGER NOT NULL,
                    until_capture INTEGER,
                    last_seen_capture INTEGER,
                    parent TEXT,
                    author TEXT,
                    author_url TEXT,
                    posted TEXT,
                    posted_text TEXT,
                    kind TEXT NOT NULL,
                    paragraphs TEXT NOT NULL,
                    permalink TEXT
                );
                CREATE INDEX comment_version_by_page ON comment_version(page_id, first_capture);
                -- Presence intervals: from start_capture until end_capture, the first complete capture that
                -- lacked the comment (NULL = still present).
                CREATE TABLE presence (
                    comment_id INTEGER NOT NULL REFERENCES comment(id),
                    page_id INTEGER NOT NULL,
                    start_capture INTEGER NOT NULL,
                    end_capture INTEGER
                );
                CREATE INDEX presence_by_page ON presence(page_id, start_capture);
                """)
        }
        return m
    }

    /// The name of the last migration this build knows.
    static var latestMigration: String { migrator.migrations.last ?? "" }
}
