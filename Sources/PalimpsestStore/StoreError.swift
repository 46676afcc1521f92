import Foundation
import GRDB

/// What went wrong with the store, in one clear line.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case notAStore(path: String, why: String)
    case newerVersion(path: String)
    case unknownPage(url: String)
    case noSuchCapture(url: String, ref: String)
    case noCompleteCapture(url: String, detail: String)
    case database(path: String, sql: String?, message: String)
    case codec(String)

    public var description: String {
        switch self {
        case .notAStore(let path, let why):
            return "\(path) is not a Palimpsest store (\(why)); it was left unchanged"
        case .newerVersion(let path):
            return "\(path) was written by a newer version of Palimpsest; upgrade to read it (it was left unchanged)"
        case .unknownPage(let url):
            return "\(url) has never been captured in this store"
        case .noSuchCapture(let url, let ref):
            return "no capture of \(url) matches \(ref)"
        case .noCompleteCapture(let url, let detail):
            return "\(url): \(detail)"
        case .database(let path, let sql, let message):
            return "\(path): SQLite: \(message)" + (sql.map { " (in: \($0.prefix(120)))" } ?? "")
        case .codec(let message):
            return message
        }
    }

    static func wrap(_ error: Error, path: String) -> Error {
        if error is StoreError { return error }
        if let e = error as? DatabaseError {
            return StoreError.database(path: path, sql: e.sql, message: e.message ?? "\(e.resultCode)")
        }
        return error
    }
}
