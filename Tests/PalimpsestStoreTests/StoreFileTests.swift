import Foundation
import GRDB
import PalimpsestCore
import Testing

@testable import PalimpsestStore

/// Opening: a new store, a file that is not one, a store from a newer version.
@Suite struct StoreFileTests {
    @Test func createsTheFileAndItsFolderInWALMode() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        let (mode, appID) = try store.pool.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int32.fetchOne(db, sql: "PRAGMA application_id"))
        }
        #expect(mode == "wal" && appID == Schema.applicationID)
        #expect(try store.integrityCheck())
        #expect(try store.pages().isEmpty)
        // Opened again, by a writer and by a reader.
        _ = try Store(path: path)
        _ = try Store.openExisting(path: path)
    }

    @Test func refusesAFileThatIsNotAStoreAndLeavesItUnchanged() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let text = Data("these are my notes, not a database\n".utf8)
        try text.write(to: URL(fileURLWithPath: path))
        for open in [{ _ = try Store(path: path) }, { _ = try Store.openExisting(path: path) }] {
            do {
                try open()
                Issue.record("a text file was opened as a store")
            } catch let e as StoreError {
                guard case .notAStore(let p, _) = e else { Issue.record("\(e)"); continue }
                #expect(p == path && e.description.contains("not a SQLite database"))
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func refusesAnotherApplicationsDatabaseAndLeavesItUnchanged() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x')") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect {
            _ = try Store(path: path)
        } throws: { error in
            guard case .notAStore(_, let why) = error as? StoreError else { return false }
            return why.contains("another application")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func refusesAStoreFromANewerVersionAndLeavesItUnchanged() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        do {
            let store = try Store(path: path)
            _ = try store.record(Fixture.capture([Fixture.comment("1", "One.")], hour: 0))
            try store.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
            }
            _ = try store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for open in [{ _ = try Store(path: path) }, { _ = try Store.openExisting(path: path) }] {
            #expect {
                try open()
            } throws: { error in
                guard case .newerVersion(let p, let found, let supported) = error as? StoreError else { return false }
                return p == path && found == "v9-from-the-future" && supported == Schema.latestMigration
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func openExistingNeedsAFile() throws {
        let path = Fixture.storePath()
        #expect(throws: StoreError.self) { _ = try Store.openExisting(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func pagesSummarises() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        _ = try store.record(Fixture.capture([Fixture.comment("1", "One.")], hour: 0))
        _ = try store.record(Fixture.failure(hour: 1))
        let pages = try store.pages()
        #expect(pages.count == 1)
        #expect(pages[0].url == Fixture.url && pages[0].captures == 2 && pages[0].completeCaptures == 1)
        #expect(pages[0].lastCapturedAt == Fixture.start.addingTimeInterval(3600))
        #expect(pages[0].lastCompleteAt == Fixture.start && pages[0].present == 1)
    }
}
