import Foundation
import GRDB
import PalimpsestCore

/// The versioned SQLite store.
public final class Store: Sendable {
    public init() {}
}
