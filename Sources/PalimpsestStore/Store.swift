import Foundation
import GRDB
import PalimpsestCore

/// The versioned SQLite store: pages, captures with their raw responses (deduplicated, zstd-compressed,
/// delta against the page's previous body), and the derived lifecycle of the article and every comment.
///
/// One file in WAL mode: readers (history, diff, restore) work while a runner writes; a second writer
/// waits. A capture is recorded in one transaction: a crash leaves the store with the whole capture or
/// without it.
public final class Store: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Opens the store at `path`, creating the file (and its folder) if missing. A file that is not a store,
    /// or a store written by a newer version, is refused and left unchanged.
    public init(path: String) throws {
        self.path = path
        let fm = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !fm.fileExists(atPath: folder) {
            do {
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw StoreError.database(path: path, sql: nil, message: "cannot create the folder: \(error.localizedDescription)")
            }
        }
        // Two processes creating or upgrading one store at once would race on the migrations.
        let lock = OpenLock(path: path + "-lock")
        defer { lock.release() }
        if fm.fileExists(atPath: path) { try Store.checkIsStore(path) }
        do {
            var config = Configuration()
            config.busyMode = .timeout(30)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Opens an existing store; fails clearly when there is none at `path`.
    public static func openExisting(path: String) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.notAStore(path: path, why: "there is no file there")
        }
        return try Store(path: path)
    }

    /// Refuses a file that is not a SQLite database, a database of another application, or a store written by a
    /// newer version, without writing to it.
    static func checkIsStore(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.notAStore(path: path, why: "it cannot be read")
        }
        let head = (try? handle.read(upToCount: 100)) ?? Data()
        try? handle.close()
        if head.isEmpty { return }  // an empty file: a new store
        guard head.starts(with: Data("SQLite format 3\0".utf8)) else {
            throw StoreError.notAStore(path: path, why: "it is not a SQLite database")
        }
        do {
            var config = Configuration()
            config.readonly = true
            config.busyMode = .timeout(30)  // another process may be creating or writing the store
            let queue = try DatabaseQueue(path: path, configuration: config)
            try queue.read { db in
                let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                // Tables other than GRDB's migration log: a store being created by another process has
                // only that one until its first migration commits.
                let tables = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT IN ('grdb_migrations', 'sqlite_sequence')
                    """) ?? 0
                if appID != Schema.applicationID && tables > 0 {
                    throw StoreError.notAStore(path: path, why: "it is a SQLite database of another application")
                }
                if try Schema.migrator.hasBeenSuperseded(db) { throw StoreError.newerVersion(path: path) }
            }
            try queue.close()
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError.notAStore(path: path, why: "SQLite cannot read it: \(error)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch { throw StoreError.wrap(error, path: path) }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch { throw StoreError.wrap(error, path: path) }
    }

    /// `PRAGMA integrity_check` says "ok".
    public func integrityCheck() throws -> Bool {
        try read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" }
    }

    /// The pages in the store, by URL.
    public func pages() throws -> [PageSummary] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT page.url, count(capture.id) AS n, max(capture.captured_at) AS last
                FROM page LEFT JOIN capture ON capture.page_id = page.id GROUP BY page.id ORDER BY page.url
                """).map { row in
                PageSummary(url: row["url"], captures: row["n"],
                            lastCapturedAt: (row["last"] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    func pageID(_ db: Database, url: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM page WHERE url = ?", arguments: [url]) else {
            throw StoreError.unknownPage(url: url)
        }
        return id
    }
}

/// An advisory lock (flock) held while a store is opened and migrated, so that concurrent processes take
/// turns. Released when opening is done; readers and writers then share the file through SQLite's own locks.
final class OpenLock {
    private var fd: Int32

    /// Best effort: where no lock file can be made (a read-only folder), opening goes on without it.
    init(path: String) {
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        if fd >= 0 {
            while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        }
    }

    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit {
        release()
    }
}
