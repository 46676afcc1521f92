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
    /// The store file.
    public let path: String
    let pool: DatabasePool

    /// Opens the store at `path`, creating the file (and its folder) if missing, and brings its schema up to
    /// date. A file that is not a store, or a store written by a newer version, is refused and left unchanged.
    public convenience init(path: String) throws {
        let fm = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !fm.fileExists(atPath: folder) {
            do {
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw StoreError.database(path: path, sql: nil, message: "cannot create the folder \(folder): \(error.localizedDescription)")
            }
        }
        // Two processes creating or upgrading one store at once would race on the migrations.
        let lock = OpenLock(path: path + "-lock")
        defer { lock.release() }
        if fm.fileExists(atPath: path) {
            try Store.checkIsStore(path)
            guard Store.isWritable(path) else { throw StoreError.readOnly(path: path) }
        }
        try self.init(checkedPath: path, migrate: true)
    }

    /// The file and its folder can be written (SQLite writes its journal beside the file).
    static func isWritable(_ path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        return access(path, W_OK) == 0 && access(folder.isEmpty ? "." : folder, W_OK) == 0
    }

    /// Opens an existing store, for reading: fails clearly when there is no file at `path`, when it is not a
    /// store, or when a newer version wrote it. Writes nothing unless the store needs a schema upgrade.
    public static func openExisting(path: String) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.notAStore(path: path, why: "there is no file there")
        }
        try checkIsStore(path)
        let store = try Store(checkedPath: path, migrate: false)
        // A reader does not wait for a writer's lock unless the store needs upgrading (an older version wrote it).
        if try !store.read({ db in try Schema.migrator.hasCompletedMigrations(db) }) {
            let lock = OpenLock(path: path + "-lock")
            defer { lock.release() }
            do { try Schema.migrator.migrate(store.pool) } catch { throw StoreError.wrap(error, path: path) }
        }
        return store
    }

    private init(checkedPath path: String, migrate: Bool) throws {
        self.path = path
        do {
            var config = Configuration()
            // A second writer (a scheduled run beside a manual capture) waits rather than fails.
            config.busyMode = .timeout(30)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            pool = try DatabasePool(path: path, configuration: config)
            if migrate { try Schema.migrator.migrate(pool) }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Refuses a file that is not a SQLite database, a database of another application, or a store written by a
    /// newer version, opening it read-only: such a file is left byte for byte as it was.
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
            defer { try? queue.close() }
            try queue.read { db in
                let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                // Tables other than GRDB's migration log: a store being created by another process has only
                // that one until its first migration commits.
                let tables = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT IN ('grdb_migrations', 'sqlite_sequence')
                    """) ?? 0
                if appID != Schema.applicationID && tables > 0 {
                    throw StoreError.notAStore(path: path, why: "it is a SQLite database of another application")
                }
                if try Schema.migrator.hasBeenSuperseded(db) {
                    let known = Set(Schema.migrator.migrations)
                    let found = try Schema.migrator.appliedIdentifiers(db).subtracting(known).sorted().last ?? "?"
                    throw StoreError.newerVersion(path: path, found: found, supported: Schema.latestMigration)
                }
            }
        } catch let e as StoreError {
            throw e
        } catch let e as DatabaseError where [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(e.resultCode) && !isWritable(path) {
            // A store in WAL mode is read through files beside it, which a read-only folder cannot hold.
            throw StoreError.readOnly(path: path)
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
                SELECT page.url, count(capture.id), max(capture.captured_at), count(CASE WHEN capture.complete THEN 1 END),
                       max(CASE WHEN capture.complete THEN capture.captured_at END),
                       (SELECT present FROM capture c WHERE c.page_id = page.id ORDER BY c.number DESC LIMIT 1)
                FROM page LEFT JOIN capture ON capture.page_id = page.id GROUP BY page.id ORDER BY page.url
                """).map { row in
                PageSummary(url: row[0], captures: row[1],
                            lastCapturedAt: (row[2] as Double?).map(Date.init(timeIntervalSince1970:)),
                            completeCaptures: row[3],
                            lastCompleteAt: (row[4] as Double?).map(Date.init(timeIntervalSince1970:)),
                            present: row[5] ?? 0)
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
/// turns. Best effort: where no lock file can be made (a read-only folder), opening goes on without it.
final class OpenLock {
    private var fd: Int32

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
