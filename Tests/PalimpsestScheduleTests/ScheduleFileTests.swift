import Foundation
import Testing
@testable import PalimpsestSchedule

@Suite struct ScheduleFileTests {
    /// The errors of a text, as "LINE: message" for short assertions.
    func errors(_ text: String, path: String = "/tmp/s.toml") -> [ScheduleError] {
        do {
            _ = try ScheduleFile.parse(text, path: path)
            return []
        } catch {
            return error.errors
        }
    }

    @Test func readsAValidFile() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        try "{\"sites\": []}".write(toFile: folder.schedules + "/rules.json", atomically: true, encoding: .utf8)
        try "# Netscape HTTP Cookie File\n".write(toFile: folder.schedules + "/cookies.txt", atomically: true,
                                                  encoding: .utf8)
        let path = try folder.write("example.toml", """
            # Two watches and a feed.
            [[watch]]
            name = "bamako thread"
            url = "https://news.example.org/2025/11/05/bamako/"
            every = "30m"
            max_every = "6h"
            start = "2026-01-10T08:00:00Z"
            stop = "for 7 days"
            rules = "rules.json"
            cookies = "cookies.txt"

            [[watch]]
            url = "https://other.example.net/a"
            every = "1h"
            start = 2026-01-10T09:00:00+01:00
            stop = ["quiet for 48h", "2026-02-01"]

            [[feed]]
            url = "https://news.example.org/feed/"
            every = "1h"
            check_every = "15m"
            stop = "for 3 days"
            """)
        let file = try ScheduleFile.load(path: path)
        #expect(file.watches.count == 2)
        let w = file.watches[0]
        #expect(w.name == "bamako thread")
        #expect(w.cadence == CadenceBounds(every: 30 * minute, maxEvery: 6 * hour))
        #expect(w.start == t0.addingTimeInterval(9 * day + 8 * hour))
        #expect(w.stop == [.after(7 * day)])
        #expect(w.rules == folder.schedules + "/rules.json")
        #expect(w.cookies == folder.schedules + "/cookies.txt")
        #expect(w.source.line == 2)
        #expect(w.host == "news.example.org")
        let second = file.watches[1]
        #expect(second.name == "https://other.example.net/a")
        #expect(second.cadence.maxEvery == 8 * hour)
        #expect(second.start == t0.addingTimeInterval(9 * day + 8 * hour))
        #expect(second.stop == [.quiet(48 * hour), .at(t0.addingTimeInterval(31 * day))])
        #expect(second.source.line == 12)
        #expect(file.feeds.count == 1)
        #expect(file.feeds[0].checkEvery == 15 * minute)
        #expect(file.feeds[0].cadence.every == hour)
        #expect(file.feeds[0].source.line == 18)
    }

    @Test func namesTheLineOfASyntaxError() {
        let e = errors("""
            [[watch]]
            url = "https://a.example/"
            every = "30m
            """)
        #expect(e.count == 1)
        #expect(e.first?.line == 3)
        #expect(e.first?.description.hasPrefix("/tmp/s.toml:3: TOML syntax") == true)
    }

    /// Found by the fuzzer: toml++ aborted on a table header that does not start with a name.
    @Test func aTableHeaderThatIsNotANameIsAnErrorNotACrash() {
        let e = errors("""
            [[watch]]
            url = "https://a.example/"
            every = "30m"
            [[(watch]]
            url = "https://b.example/"
            """)
        #expect(e.count == 1)
        #expect(e.first?.line == 4)
        #expect(e.first?.description.contains("a table header must start with a name") == true)
        // Lines ending in CRLF, and a '"""' in a comment, hide nothing.
        #expect(errors("# \"\"\" a comment\r\n[[watch]]\r\n[\u{9C}watch]]\r\n").first?.line == 3)
        #expect(errors("[ [watch]]\n").first?.description.contains("table header must start") != true)
        #expect(errors("[[ [watch]]]\n").first?.line == 1)
        // Also found by the fuzzer: a date-time whose time does not start with a digit.
        for bad in ["start = 2026-01-10T\n", "start = 2026-01-10T?0:00:00Z\n", "start = 2026-01-10 x\n", "every = .5\n",
                    "name = \"\"\"a\n\"\"\"\n", "name = \"a\\q\"\n", "name = \"\u{1B}[31m\"\n", "url = \"a\n"] {
            #expect(errors("[[watch]]\n" + bad).first?.line == 2, "\(bad)")
        }
        // Well-formed TOML of every kind a schedule file may use still goes through to the schedule checks.
        let fine = errors("""
            \u{FEFF}# comment "\"\" ''' [(
            [[watch]] # a header
            url = 'https://a.example/x'
            every = "30m"
            start = 2026-01-10 08:00:00+01:00
            stop = [ "for 7 days",
                     2026-02-01T00:00:00Z, 2026-03-01 ]
            name = "caf\\u00e9 \\"quoted\\""
            """)
        #expect(fine.isEmpty, "\(fine)")
    }

    @Test func namesTheLineOfEachMistake() {
        let e = errors("""
            [[watch]]
            url = "https://a.example/"
            every = "30 parsecs"

            [[watch]]
            url = "ftp://b.example/file"
            every = "1h"

            [[watch]]
            every = "1h"

            [[watch]]
            url = "https://c.example/"
            evry = "1h"
            every = "1h"

            [[watch]]
            url = "https://d.example/"
            every = 30

            [[watch]]
            url = "https://e.example/"
            every = "30s"

            [[watch]]
            url = "https://f.example/"
            every = "2h"
            max_every = "1h"

            [[watch]]
            url = "https://g.example/"
            every = "1h"
            stop = "when I say so"

            [[watch]]
            url = "https://h.example/"
            every = "1h"
            rules = "no-such-rules.json"

            [[watch]]
            url = "https://a.example/"
            every = "2h"

            [[watch]]
            url = "https://i.example/"
            every = "1h"
            start = "next tuesday"
            """)
        let byLine = Dictionary(e.map { ($0.line, $0.message) }, uniquingKeysWith: { $0 + " | " + $1 })
        #expect(byLine[3]?.contains("not a duration") == true)
        #expect(byLine[6]?.contains("not an http or https URL") == true)
        #expect(byLine[9]?.contains("needs a url") == true)
        #expect(byLine[14]?.contains("unknown key 'evry'") == true)
        #expect(byLine[14]?.contains("did you mean 'every'") == true)
        #expect(byLine[19]?.contains("has no unit") == true)
        #expect(byLine[23]?.contains("shorter than the minimum") == true)
        #expect(byLine[28]?.contains("shorter than every") == true)
        #expect(byLine[33]?.contains("not a stop condition") == true)
        #expect(byLine[38]?.contains("no readable file") == true)
        #expect(byLine[40]?.contains("already watched at line 1") == true)
        #expect(byLine[47]?.contains("not a date") == true)
        #expect(e.count == 11)
        #expect(e.map(\.line) == e.map(\.line).sorted())
    }

    @Test func refusesUnknownTablesAndSingleTables() {
        let e = errors("""
            [watch]
            url = "https://a.example/"
            every = "1h"

            [[wach]]
            url = "https://b.example/"
            """)
        #expect(e.map(\.line) == [1, 5])
        #expect(e[0].message.contains("write [[watch]]"))
        #expect(e[1].message.contains("unknown key 'wach'"))
    }

    @Test func anEmptyFileIsValid() throws {
        let file = try ScheduleFile.parse("# nothing yet\n", path: "/tmp/empty.toml")
        #expect(file.watches.isEmpty && file.feeds.isEmpty)
    }
}
