import Foundation
import GRDB

/// A SQLite database of "another application", for the refusal test.
struct DatabaseQueueForTests {
    let path: String
    init(path: String) throws { self.path = path }
    func create() throws {
        let q = try DatabaseQueue(path: path)
        try q.write { db in try db.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('x')") }
        try q.close()
    }
}
