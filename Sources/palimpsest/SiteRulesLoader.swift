import Foundation
import PalimpsestExtract

/// Loads a site rules file named on the command line; a bad file is one clear error.
enum SiteRulesLoader {
    static func load(_ path: String?) throws -> SiteRules {
        guard let path else { return SiteRules() }
        do {
            return try SiteRules.load(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }
}
