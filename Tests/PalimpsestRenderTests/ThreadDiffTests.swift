import Foundation
import PalimpsestCore
import Testing

@testable import PalimpsestRender

@Suite struct ThreadDiffTests {
    func snapshot(_ number: Int, _ comments: [PalimpsestCore.Comment], paragraphs: [String] = ["One.", "Two."]) -> Snapshot {
        Snapshot(url: "https://x.example/a", capture: CaptureInfo(number: number, capturedAt: Date(timeIntervalSince1970: Double(number) * 3600),
                                                                  httpStatus: 200, outcome: .fetched, complete: true),
                 article: Article(title: "T", blocks: paragraphs.map { Block(.paragraph, $0) }),
                 comments: comments.map { CommentState(comment: $0, present: true, appearedAt: 1) })
    }

    func c(_ id: String, _ text: String, parent: String? = nil, author: String = "A") -> PalimpsestCore.Comment {
        PalimpsestCore.Comment(id: id, parent: parent, depth: parent == nil ? 0 : 1, author: author, paragraphs: [text])
    }

    @Test func findsAddedRemovedEditedAndMoved() {
        let before = snapshot(1, [c("1", "first"), c("2", "reply", parent: "1"), c("3", "gone soon")])
        let after = snapshot(2, [c("1", "first, edited"), c("2", "reply", parent: nil), c("4", "new")],
                             paragraphs: ["One.", "Inserted.", "Two."])
        let d = ThreadDiff(from: before, to: after)
        #expect(d.added.map(\.id) == ["4"])
        #expect(d.removed.map(\.id) == ["3"])
        #expect(d.edited.map(\.after.id) == ["1"])
        #expect(d.moved.map(\.comment.id) == ["2"])
        #expect(d.addedParagraphs == ["Inserted."])
        #expect(d.removedParagraphs.isEmpty)
        #expect(d.articleChanged)
        // The removed comment keeps its place in the merged thread view.
        #expect(d.merged.map(\.id) == ["1", "2", "3", "4"])
    }

    @Test func identicalSnapshotsAreEmpty() {
        let s = snapshot(1, [c("1", "x"), c("2", "y")])
        #expect(ThreadDiff(from: s, to: snapshot(2, [c("1", "x"), c("2", "y")])).isEmpty)
    }

    @Test func largeThreadDiffIsCorrect() {
        let many = (0..<10_000).map { c(String($0), "comment \($0)", parent: $0 % 7 == 0 ? nil : String($0 - 1)) }
        var changed = many
        changed.removeAll { Int($0.id)! % 500 == 0 }  // 20 removed
        for i in stride(from: 1, to: 9_000, by: 450) { changed[i].paragraphs = ["edited \(i)"] }
        changed.append(c("new", "fresh"))
        let d = ThreadDiff(from: snapshot(1, many), to: snapshot(2, changed))
        #expect(d.removed.count == 20)
        #expect(d.added.map(\.id) == ["new"])
        #expect(d.edited.count == 20)
        #expect(d.merged.count == 10_001)
    }

    @Test func wordDiffAlignsWords() {
        let p = WordDiff.pieces(before: "the quick brown fox", after: "the slow brown fox jumps")
        #expect(p == [.same("the"), .removed("quick"), .added("slow"), .same("brown"), .same("fox"), .added("jumps")])
    }
}

@Suite struct TerminalTextTests {
    @Test func controlAndBidiCharactersAreEscaped() {
        let hostile = "\u{1B}[2Jwipe\u{07}\u{9B}31m \u{202E}gpj.exe\u{2066}x\u{0000}"
        let safe = TerminalText.safe(hostile)
        for s in safe.unicodeScalars {
            #expect(!(s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value)
                      || (0x2066...0x2069).contains(s.value)), "raw \(s.value) left")
        }
        #expect(safe.contains("\\u{1B}[2Jwipe"))
        #expect(safe.contains("\\u{202E}gpj.exe"))
    }

    @Test func ordinaryTextIsUntouched() {
        let text = "« L’heure est grave », dit-il.\u{00A0}عسكرية، و عسكرية — ok\ttab"
        #expect(TerminalText.safe(text) == text)
        #expect(TerminalText.safe("a\nb") == "a\\u{A}b")
        #expect(TerminalText.safe("a\nb", keepNewlines: true) == "a\nb")
    }

    @Test func colourOnlyWhenAsked() {
        #expect(OutputStyle(color: false).red("x") == "x")
        #expect(OutputStyle(color: true).red("x") == "\u{1B}[31mx\u{1B}[0m")
    }
}

@Suite struct ISOTimeTests {
    @Test func readsTheFormsUsersType() {
        #expect(ISOTime.parse("2025-11-05T12:00:00+01:00") == Date(timeIntervalSince1970: 1_762_340_400))
        #expect(ISOTime.parse("2025-11-05T11:00:00Z") == Date(timeIntervalSince1970: 1_762_340_400))
        #expect(ISOTime.parse("2025-11-0\u{5AB}5") == nil, "a combining mark would crash the formatter")
        #expect(ISOTime.parse("2025-11-05T11:00") == Date(timeIntervalSince1970: 1_762_340_400))
        #expect(ISOTime.parse("2025-11-05") == Date(timeIntervalSince1970: 1_762_300_800))
        #expect(ISOTime.parse("yesterday") == nil)
        #expect(ISOTime.format(Date(timeIntervalSince1970: 1_762_340_400)) == "2025-11-05T11:00:00Z")
    }
}
