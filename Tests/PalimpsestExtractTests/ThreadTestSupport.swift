import Foundation
import PalimpsestCore
@testable import PalimpsestExtract

/// Fixture pages of comment threads (Fixtures/comments) and the shared folder beside the package.
enum ThreadFixtures {
    static let testsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let commentsDir = testsDir.appendingPathComponent("Fixtures/comments")
    /// ../shared, relative to the package root.
    static let shared = testsDir.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")
    static let scenario = shared.appendingPathComponent("scenarios/bamako-thread")
    static let corpus = shared.appendingPathComponent("corpus/comments")

    static var hasScenario: Bool { FileManager.default.fileExists(atPath: scenario.appendingPathComponent("t2.html").path) }
    static var hasCorpus: Bool { FileManager.default.fileExists(atPath: corpus.appendingPathComponent("README.md").path) }

    static func html(_ name: String) throws -> String {
        try String(contentsOf: commentsDir.appendingPathComponent(name), encoding: .utf8)
    }

    static func extract(_ name: String, url: String? = nil, rules: SiteRules = SiteRules()) throws -> Extraction {
        PageExtractor(rules: rules).extract(html: try html(name), url: url)
    }

    static func extract(file: URL, url: String? = nil) throws -> Extraction {
        PageExtractor().extract(data: try Data(contentsOf: file), url: url)
    }
}

extension CommentThread {
    /// Ids of the comments proper (no pingbacks), in order.
    var commentIDs: [String] { comments.map(\.id) }
    func item(_ id: String) -> PalimpsestCore.Comment? { items.first { $0.id == id } }
}
