import Foundation
import GRDB

/// The schema, grown only by named, append-only migrations. Never edit a migration once released: add one.
enum Schema {
    /// Marks a SQLite file as a Palimpsest store ("PLMP").
    static let applicationID: Int32 = 0x504C_4D50

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-pages-captures-responses-bodies") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(sql: """
                CREATE TABLE page (
                    id INTEGER PRIMARY KEY,
                    url TEXT NOT NULL UNIQUE,
                    canonical_url TEXT,
                    created_at REAL NOT NULL
                );
                -- Raw bodies, content-addressed by SHA-256; zstd, either whole or against a base body as prefix.
                CREATE TABLE body (
                    sha256 TEXT PRIMARY KEY,
                    size INTEGER NOT NULL,
                    base TEXT REFERENCES body(sha256),
                    depth INTEGER NOT NULL,
                    data BLOB NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE capture (
                    id INTEGER PRIMARY KEY,
                    page_id INTEGER NOT NULL REFERENCES page(id),
                    number INTEGER NOT NULL,
                    captured_at REAL NOT NULL,
                    outcome TEXT NOT NULL,
                    http_status INTEGER,
                    complete INTEGER NOT NULL,
                    problems TEXT NOT NULL,
                    -- The capture's own problems (a comment page not fetched...), kept apart from the
                    -- extractor's so that reextract can recompute completeness.
                    capture_problems TEXT NOT NULL,
                    declared_count INTEGER,
                    final_url TEXT,
                    extractor_version INTEGER NOT NULL,
                    duration REAL NOT NULL,
                    -- What the capture changed (JSON of CaptureChanges); derived, rebuilt by reextract.
                    changes TEXT NOT NULL,
                    UNIQUE (page_id, number)
                );
                CREATE INDEX capture_by_time ON capture(page_id, captured_at);
                CREATE TABLE response (
                    capture_id INTEGER NOT NULL REFERENCES capture(id),
                    ordinal INTEGER NOT NULL,
                    requested_url TEXT NOT NULL,
                    final_url TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    status_line TEXT NOT NULL,
                    headers TEXT NOT NULL,
                    request_headers TEXT NOT NULL,
                    redirects TEXT NOT NULL,
                    etag TEXT,
                    last_modified TEXT,
                    charset TEXT,
                    timings TEXT NOT NULL,
                    body_sha256 TEXT NOT NULL REFERENCES body(sha256),
                    PRIMARY KEY (capture_id, ordinal)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v1-lifecycle") { db in
            try db.execute(sql: """
                -- Derived from the raw bodies (palimpsest reextract rebuilds them).
                CREATE TABLE article_version (
                    id INTEGER PRIMARY KEY,
                    page_id INTEGER NOT NULL REFERENCES page(id),
                    first_capture INTEGER NOT NULL,
                    data TEXT NOT NULL
                );
                CREATE INDEX article_version_by_capture ON article_version(page_id, first_capture);
                CREATE TABLE comment (
                    id INTEGER PRIMARY KEY,
                    page_id INTEGER NOT NULL REFERENCES page(id),
                    site_id TEXT NOT NULL,
                    has_site_id INTEGER NOT NULL,
                    -- Where it was first seen: siblings are shown in this order.
                    first_capture INTEGER NOT NULL,
                    first_position INTEGER NOT NULL,
                    UNIQUE (page_id, site_id)
                );
                -- A comment's versions: valid from first_capture until until_capture (exclusive; NULL = current).
                CREATE TABLE comment_version (
                    id INTEGER PRIMARY KEY,
                    comment_id INTEGER NOT NULL REFERENCES comment(id),
                    page_id INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    first_capture INTEGER NOT NULL,
                    until_capture INTEGER,
                    last_seen_capture INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    parent TEXT,
                    depth INTEGER NOT NULL,
                    author TEXT,
                    author_url TEXT,
                    posted TEXT,
                    posted_text TEXT,
                    kind TEXT NOT NULL,
                    paragraphs TEXT NOT NULL,
                    permalink TEXT
                );
                CREATE INDEX comment_version_by_page ON comment_version(page_id, first_capture);
                CREATE INDEX comment_version_current ON comment_version(page_id, until_capture);
                CREATE INDEX comment_version_by_comment ON comment_version(comment_id, version);
                -- Presence intervals: from start_capture until end_capture (the first complete capture that lacked it).
                CREATE TABLE presence (
                    comment_id INTEGER NOT NULL REFERENCES comment(id),
                    page_id INTEGER NOT NULL,
                    start_capture INTEGER NOT NULL,
                    end_capture INTEGER
                );
                CREATE INDEX presence_by_page ON presence(page_id, start_capture);
                CREATE INDEX presence_open ON presence(page_id, end_capture);
                CREATE INDEX presence_by_comment ON presence(comment_id);
                """)
        }
        return m
    }
}
