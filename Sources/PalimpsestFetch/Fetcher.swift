import Foundation
import PalimpsestCore

/// The polite libcurl fetcher.
public final class Fetcher: Sendable {
    public init() {}
}
