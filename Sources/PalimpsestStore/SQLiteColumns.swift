import Foundation
import GRDB
import GRDBSQLite

/// The columns of the row a GRDB cursor is on, read straight from SQLite: no `Row` values, and text handed
/// over as bytes where a string would only be split again (a comment's paragraphs). Reading a large thread's
/// state is mostly reading such columns. The only place in the store that calls SQLite's C API.
///
/// Valid while the cursor that steps `statement` stays on its row. Text is read as GRDB reads it: up to the
/// first NUL byte, invalid UTF-8 repaired.
struct SQLiteColumns {
    private let statement: Statement
    private let handle: SQLiteStatement

    init(_ statement: Statement) {
        self.statement = statement
        handle = statement.sqliteStatement
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    func bool(_ column: Int32) -> Bool { sqlite3_column_int64(handle, column) != 0 }

    /// Text, nil for NULL.
    func optionalString(_ column: Int32) throws -> String? {
        isNull(column) ? nil : try string(column)
    }

    /// Text (NULL reads as the empty string).
    func string(_ column: Int32) throws -> String {
        try withText(column) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the column's text as UTF-8 bytes (empty for NULL), valid only during the call.
    func withText<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        guard let text = sqlite3_column_text(handle, column) else {
            if isNull(column) { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
            // Non-NULL text SQLite could not hand over: out of memory.
            throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_errcode(sqlite3_db_handle(handle))),
                                message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))),
                                sql: statement.sql)
        }
        let count = Int(sqlite3_column_bytes(handle, column))
        let end = memchr(text, 0, count).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - text } ?? count
        return try body(UnsafeBufferPointer(start: text, count: end))
    }
}
