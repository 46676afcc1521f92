import Foundation
import Testing
@testable import PalimpsestFuzzing

/// Replays every seed of the fuzz corpus and every input the fuzzer ever crashed on through the fuzz targets:
/// each crash found becomes a regression input in Tests/Fuzz/regressions/<target>/ and is checked here.
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The folders whose files seed a target's corpus (also read by Tests/Fuzz/run.sh).
    static func seeds(_ target: FuzzTarget) -> [URL] {
        let own = ["Tests/Fuzz/corpus/\(target.rawValue)", "Tests/Fuzz/regressions/\(target.rawValue)"]
        let fixtures: [String]
        switch target {
        case .extract:
            fixtures = ["Tests/PalimpsestExtractTests/Fixtures/articles", "Tests/PalimpsestExtractTests/Fixtures/comments",
                        "Tests/PalimpsestCLITests/Fixtures/library-thread"]
        case .rules, .feed: fixtures = []
        case .schedule: fixtures = ["schedules"]
        }
        return (own + fixtures).map { root.appendingPathComponent($0) }
    }

    static func inputs(_ target: FuzzTarget) -> [URL] {
        seeds(target).flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
                .filter { !$0.lastPathComponent.hasPrefix(".") && !$0.lastPathComponent.hasSuffix(".md") }
        }.sorted { $0.path < $1.path }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everySeedAndRegressionRuns(_ target: FuzzTarget) throws {
        let files = Self.inputs(target)
        #expect(files.count >= 3, "the \(target) corpus is missing")
        let outcomes = try files.map { (file: $0, outcome: target.run(try Data(contentsOf: $0))) }
        // Seeds (regressions aside) are mostly valid input: most must give something (comments, or watches).
        let seeds = outcomes.filter { !$0.file.path.contains("/regressions/") }
        let productive = seeds.filter { $0.outcome.found > 0 }
        #expect(productive.count * 2 >= seeds.count, "\(target): \(productive.count) of \(seeds.count) seeds gave anything")
    }

    @Test func rulesAreBoundToTheFuzzedPage() throws {
        // A rules file whose comment XPath finds the built-in page's comments; the host is rebound.
        let rules = #"{"sites": [{"host": "elsewhere.example", "comment": "//li[starts-with(@id,'comment-')]", "id": "@id"}]}"#
        #expect(FuzzTarget.rules.run(Data(rules.utf8)) == .init(system: "rules", found: 2))
        // An invalid XPath rejects the file: nothing is extracted with it.
        #expect(FuzzTarget.rules.run(Data(#"{"sites": [{"host": "x", "comment": "//li["}]}"#.utf8)).found == 0)
        #expect(FuzzTarget.split(Data("a\0b".utf8)).1 == Data("b".utf8))
        #expect(FuzzTarget.split(Data("ab".utf8)).1 == nil)
    }

    @Test func controlCharactersAreNotInert() {
        #expect(!FuzzTarget.isInert("\u{1B}"))
        #expect(!FuzzTarget.isInert("\u{9B}"))
        #expect(!FuzzTarget.isInert("\u{202E}"))
        #expect(FuzzTarget.isInert("\n"))
        #expect(FuzzTarget.isInert("é"))
    }
}
