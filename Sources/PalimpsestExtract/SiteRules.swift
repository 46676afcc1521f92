import Foundation

/// A user's rules for sites the built-in selectors read wrong: XPath for the body and the comment thread,
/// matched by host. Loaded from a rules file without recompiling.
public struct SiteRules: Sendable, Hashable, Codable {
    public init() {}
}
