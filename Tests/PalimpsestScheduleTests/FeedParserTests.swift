import Foundation
import Testing
@testable import PalimpsestSchedule

@Suite struct FeedParserTests {
    @Test func readsRSSItems() throws {
        let rss = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel>
                <title>News</title>
                <link>https://news.example.org/</link>
                <item>
                  <title><![CDATA[Les groupes armés aux portes de Bamako]]></title>
                  <link>https://news.example.org/2025/11/05/bamako/</link>
                  <guid isPermaLink="false">123</guid>
                  <pubDate>Wed, 05 Nov 2025 10:00:00 +0000</pubDate>
                </item>
                <item>
                  <title>Relative &amp; guid only</title>
                  <guid>https://news.example.org/2025/11/04/guid/</guid>
                </item>
                <item>
                  <title>Relative link</title>
                  <link>/2025/11/03/relative/</link>
                </item>
                <item><title>No link</title></item>
                <item><title>Not the web</title><link>mailto:editor@example.org</link></item>
              </channel>
            </rss>
            """
        let items = try FeedParser.parse(Data(rss.utf8), base: "https://news.example.org/feed/")
        #expect(items.map(\.url) == ["https://news.example.org/2025/11/05/bamako/",
                                     "https://news.example.org/2025/11/04/guid/",
                                     "https://news.example.org/2025/11/03/relative/"])
        #expect(items[0].title == "Les groupes armés aux portes de Bamako")
        #expect(items[1].title == "Relative & guid only")
        #expect(items[0].published == ScheduleDate.parse("2025-11-05T10:00:00Z"))
    }

    @Test func readsAtomEntries() throws {
        let atom = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>News</title>
              <link href="https://news.example.org/"/>
              <entry>
                <title>First</title>
                <link rel="edit" href="https://news.example.org/edit/1"/>
                <link rel="alternate" type="text/html" href="https://news.example.org/first/"/>
                <published>2025-11-05T10:00:00Z</published>
                <updated>2025-11-06T10:00:00Z</updated>
                <source><link href="https://elsewhere.example/"/></source>
              </entry>
              <entry>
                <title type="html">Second</title>
                <link href="second/"/>
                <updated>2025-11-04T10:00:00+01:00</updated>
              </entry>
            </feed>
            """
        let items = try FeedParser.parse(Data(atom.utf8), base: "https://news.example.org/feed/atom/")
        #expect(items.map(\.url) == ["https://news.example.org/first/", "https://news.example.org/feed/atom/second/"])
        #expect(items[0].published == ScheduleDate.parse("2025-11-05T10:00:00Z"))
        #expect(items[1].published == ScheduleDate.parse("2025-11-04T09:00:00Z"))
        #expect(items[1].title == "Second")
    }

    @Test func refusesWhatIsNotAFeed() {
        #expect(throws: FeedError.self) { try FeedParser.parse(Data("<html><body>hi</body></html>".utf8), base: "https://a.example/") }
        #expect(throws: FeedError.self) { try FeedParser.parse(Data("not xml at all <".utf8), base: "https://a.example/") }
    }

    /// Found by fuzzing: Foundation's date formatters crash on a digit followed by a combining mark.
    @Test func datesWithCombiningMarksAreNotDatesAndDoNotCrash() {
        #expect(FeedParser.date("Thu, 0\u{5AB}1 Jan 2026 08:00:00 +0000") == nil)
        #expect(ScheduleDate.parse("2026-01-2\u{5AB}") == nil)
        #expect(ScheduleDate.parse("2026-01-02") != nil)
        #expect(FeedParser.date("Thu, 01 Jan 2026 08:00:00 +0000") != nil)
    }

    /// Found by fuzzing: FoundationXML traps on element and attribute names that are not valid UTF-8.
    @Test func invalidUTF8InNamesIsReadNotFatal() throws {
        var feed = Data("<rss><ch".utf8) + Data([0xFF]) + Data("annel><item a".utf8) + Data([0xFE])
        feed += Data("=\"1\"><link>https://a.example/x</link></item></channel></rss>".utf8)
        #expect(try FeedParser.parse(feed, base: "https://a.example/feed").map(\.url) == ["https://a.example/x"])
        // A feed that declares Latin-1 is left to the parser's own conversion.
        let latin = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>caf".utf8) + Data([0xE9])
            + Data("</title><link>https://a.example/y</link></item></channel></rss>".utf8)
        #expect(try FeedParser.parse(latin, base: "https://a.example/feed").first?.title == "café")
        // An encoding nobody knows: read as UTF-8, invalid bytes replaced.
        let unknown = Data("<?xml version=\"1.0\" encoding=\"tu\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><entry ".utf8)
            + Data([0xF8]) + Data("=\"1\"><link href=\"https://a.example/z\"/></entry></feed>".utf8)
        #expect(try FeedParser.parse(unknown, base: "https://a.example/feed").map(\.url) == ["https://a.example/z"])
    }
}
