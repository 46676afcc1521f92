import Foundation
import PalimpsestCore
import PalimpsestExtract
import PalimpsestFetch
import PalimpsestStore

/// Fetch, extract, store: one capture of a page, every comment page included.
public struct Capturer: Sendable {}
