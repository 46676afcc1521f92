import ArgumentParser
import Foundation
import PalimpsestCore
import PalimpsestRender
import PalimpsestStore

extension GlobalOptions {
    /// The store for writing: created with its folder on first use.
    func openStoreForWriting() throws -> Store {
        do {
            return try Store(path: storePath)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }

    /// The store for reading: it must exist and be a Palimpsest store.
    func openStoreForReading() throws -> Store {
        guard FileManager.default.fileExists(atPath: storePath) else {
            throw CommandFailure(message: "\(storePath): no store here yet (capture or import a page first, or name one with --store)")
        }
        do {
            return try Store.openExisting(path: storePath)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }
}

/// A capture reference on the command line: a capture number from history, or an ISO 8601 time
/// (the last complete capture at or before it).
struct CaptureRefArgument: ExpressibleByArgument {
    var ref: CaptureRef
    var text: String

    init?(argument: String) {
        text = argument
        if let n = Int(argument), n > 0 {
            ref = .number(n)
        } else if let d = ISOTime.parse(argument) {
            ref = .time(d)
        } else {
            return nil
        }
    }

    static var defaultValueDescription: String { "number|time" }
}

/// Runs a store call, turning its errors into one clear line and exit status 1.
func storeCall<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let failure as CommandFailure {
        throw failure
    } catch {
        throw CommandFailure(message: "\(error)")
    }
}


/// The async form of `storeCall`.
func storeCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let failure as CommandFailure {
        throw failure
    } catch {
        throw CommandFailure(message: "\(error)")
    }
}
