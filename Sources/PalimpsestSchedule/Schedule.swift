import Foundation
import PalimpsestCore
import TOMLKit

/// A schedule file's watches.
public struct Schedule: Sendable {}
