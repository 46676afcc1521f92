import Foundation
import GRDB

/// What went wrong with the store, in one clear line.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The file is missing, not a SQLite database, or a database of another application (left unchanged).
    case notAStore(path: String, why: String)
    /// `found`: the newest migration applied to the file; `supported`: the newest this build knows.
    case newerVersion(path: String, found: String, supported: String)
    /// The page was never captured into this store.
    case unknownPage(url: String)
    /// No capture matches the reference (`ref` describes it).
    case noSuchCapture(url: String, ref: String)
    /// The question needs complete captures the page does not have.
    case noCompleteCapture(url: String, detail: String)
    /// The file or its folder cannot be written (read-only file, folder or file system): nothing was written.
    case readOnly(path: String)
    /// Writing failed (a full disk, a file size limit, an I/O error): the transaction was rolled back.
    case writeFailed(path: String, full: Bool, message: String)
    /// SQLite failed: the statement (when known) and SQLite's message.
    case database(path: String, sql: String?, message: String)
    /// A stored blob cannot be restored (damaged store, missing base, zstd error).
    case codec(String)

    public var description: String {
        switch self {
        case .notAStore(let path, let why):
            return "\(path) is not a Palimpsest store (\(why)); it was left unchanged"
        case .newerVersion(let path, let found, let supported):
            return "\(path) was written by a newer version of Palimpsest (schema \(found); this version knows up to "
                + "\(supported)); upgrade to read it (it was left unchanged)"
        case .unknownPage(let url):
            return "\(url) has never been captured in this store"
        case .noSuchCapture(let url, let ref):
            return "no capture of \(url) matches \(ref)"
        case .noCompleteCapture(let url, let detail):
            return "\(url): \(detail)"
        case .readOnly(let path):
            return "\(path) is read-only (the file or its folder cannot be written): nothing was written, the store "
                + "is as it was; make it writable, or read a copy of it"
        case .writeFailed(let path, let full, let message):
            return "\(path): " + (full ? "the disk is full" : "writing to the disk failed") + " (SQLite: \(message)): "
                + "nothing of this was recorded, the store is as it was before it; "
                + (full ? "free some space and try again" : "check the disk's free space and health, then try again")
        case .database(let path, let sql, let message):
            return "\(path): SQLite: \(message)" + (sql.map { " (in: \($0.prefix(120)))" } ?? "")
        case .codec(let message):
            return message
        }
    }

    static func wrap(_ error: Error, path: String) -> Error {
        if error is StoreError { return error }
        if let e = error as? DatabaseError {
            if e.resultCode == .SQLITE_FULL || e.resultCode == .SQLITE_IOERR {
                return StoreError.writeFailed(path: path, full: e.resultCode == .SQLITE_FULL, message: e.message ?? "\(e.resultCode)")
            }
            if e.resultCode == .SQLITE_READONLY || (e.resultCode == .SQLITE_CANTOPEN && !Store.isWritable(path)) {
                return StoreError.readOnly(path: path)
            }
            return StoreError.database(path: path, sql: e.sql, message: e.message ?? "\(e.resultCode)")
        }
        return error
    }
}
