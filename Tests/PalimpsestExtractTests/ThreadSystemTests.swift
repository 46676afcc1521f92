import Foundation
import PalimpsestCore
import Testing
@testable import PalimpsestExtract

/// One fixture per comment system, written on the model of real markup, with exact ids, parents and authors.
@Suite struct ThreadSystemTests {
    @Test func wordpressHTML5NestedListsPingbackPlaceholderAndWidget() throws {
        let e = try ThreadFixtures.extract("wordpress-html5.html", url: "https://courrier.example.org/2025/03/port-tanger/comment-page-2/")
        let t = e.thread
        #expect(t.system == "wordpress")
        #expect(t.items.map(\.id) == ["501", "502", "503", "504", "505", "506"])
        #expect(t.items.map(\.parent) == [nil, "501", "502", nil, nil, nil])
        #expect(t.items.map(\.depth) == [0, 1, 2, 0, 0, 0])
        #expect(t.items.map(\.kind) == [.comment, .comment, .placeholder, .pingback, .comment, .comment])
        #expect(t.comments.count == 5)
        #expect(t.declaredCount == 5)
        let first = try #require(t.item("501"))
        #expect(first.author == "Samir")
        #expect(first.authorURL == "https://samir.example.net/")
        #expect(first.posted == "2025-03-04T09:15:00+01:00")
        #expect(first.postedText == "4 mars 2025 à 9 h 15 min")
        #expect(first.permalink == "https://courrier.example.org/2025/03/port-tanger/#comment-501")
        // Folded ASCII whitespace, typographic quotes and U+00A0 kept; no "dit :", reply or edit link.
        #expect(first.paragraphs == ["Enfin une bonne nouvelle pour la région. Les « garanties » viendront.",
                                     "Deuxième paragraphe, avec une espace insécable\u{00A0}: ici."])
        #expect(try #require(t.item("502")).paragraphs == ["Pas si vite.\nLes dockers attendent toujours.", "Et les riverains aussi."])
        #expect(try #require(t.item("503")).paragraphs.isEmpty)
        #expect(try #require(t.item("505")).author == "النجار")
        #expect(try #require(t.item("505")).text == "مشروع مهم للمنطقة كلها.")
        // The recent-comments widget and the fake item in the sidebar are not this thread.
        #expect(t.item("999") == nil && t.item("377") == nil)
        #expect(t.pages == ["https://courrier.example.org/2025/03/port-tanger/comment-page-1/"])
        #expect(e.complete)
        // The article does not swallow the thread.
        #expect(!e.article.plainText.contains("Pas si vite"))
    }

    /// Modelled on a news site whose story wrapper's class speaks of comments (nytimes in the readability
    /// corpus): one block with a byline and a time is the article, not a thread of one comment, and the body
    /// must not be excluded from the article.
    @Test func oneBlockInACommentsClassedWrapperIsNotAThread() {
        let paragraph = "The talks went on late into the night, and the delegates left without an agreement on the border."
        let html = """
            <html><head><title>Talks stall</title></head><body>
            <div class="story-body comments-enabled"><article class="story theme-main">
            <p class="byline">By JANE DOE</p><time datetime="2017-01-13T03:38:38-05:00">JAN. 13, 2017</time>
            <p>\(paragraph)</p><p>\(paragraph) Again.</p><p>\(paragraph) And a third time.</p>
            </article></div></body></html>
            """
        let e = PageExtractor().extract(html: html, url: "https://news.example.com/2017/01/13/talks.html")
        #expect(e.thread.items.isEmpty)
        #expect(e.article.paragraphs.contains(paragraph))
    }

    @Test func themeThatClosesEachCommentBeforeItsRepliesUsesDepthClasses() throws {
        let t = try ThreadFixtures.extract("wordpress-flat-depth.html").thread
        #expect(t.items.map(\.id) == ["71", "72", "73", "74"])
        #expect(t.items.map(\.parent) == [nil, "71", "72", nil])
        #expect(t.items.map(\.depth) == [0, 1, 2, 0])
        #expect(t.items.map(\.author) == ["Ann", "Bob", "Cat", "Dan"])
        #expect(t.items.map(\.text) == ["About time.", "Agreed, Ann.", "Not me.", "What about the beach?"])
        #expect(t.declaredCount == 4)
    }

    @Test func wpDiscuzNestedRepliesAndReplyToIDs() throws {
        let t = try ThreadFixtures.extract("wpdiscuz.html").thread
        #expect(t.system == "wpdiscuz")
        #expect(t.items.map(\.id) == ["801", "802", "803"])
        #expect(t.items.map(\.parent) == [nil, "801", nil])
        #expect(t.items.map(\.depth) == [0, 1, 0])
        #expect(t.items.map(\.author) == ["Uwe", "Vera", "Wim"])
        #expect(t.items.map(\.text) == ["Endlich.", "Achtzehn Monate sind lang.", "Und die Radfahrer?"])
        #expect(t.items[0].postedText == "vor 2 Tagen")
        #expect(t.declaredCount == 3)
    }

    @Test func drupalAnchorsAndIndentedReplies() throws {
        let t = try ThreadFixtures.extract("drupal7.html").thread
        #expect(t.system == "drupal")
        #expect(t.items.map(\.id) == ["9001", "9002", "9003"])
        #expect(t.items.map(\.parent) == [nil, "9001", nil])
        #expect(t.items.map(\.author) == ["Anna", "Redaktion", "Bert"])
        #expect(t.items.map(\.text) == ["Und wie ist es, wenn man Sport dabei macht?", "Liebe Anna, dann steigt der Bedarf.",
                                        "Danke für den Artikel."])
        #expect(t.declaredCount == 3)
    }

    @Test func bloggerRepliesAndRemovedComment() throws {
        let t = try ThreadFixtures.extract("blogger.html").thread
        #expect(t.system == "blogger")
        #expect(t.items.map(\.id) == ["7818214978921193094", "8427118110834982712"])
        #expect(t.items.map(\.parent) == [nil, "7818214978921193094"])
        #expect(t.items.map(\.author) == ["Sana", "Sanne"])
        #expect(t.items[0].paragraphs == ["Huhu :)", "Interessanter Post!"])
        #expect(t.items[1].kind == .placeholder)
        #expect(t.declaredCount == 2)
    }

    @Test func spipForumNestedMessages() throws {
        let t = try ThreadFixtures.extract("spip.html").thread
        #expect(t.system == "spip")
        #expect(t.items.map(\.id) == ["81474", "81475", "81161"])
        #expect(t.items.map(\.parent) == [nil, "81474", nil])
        #expect(t.items.map(\.author) == ["Horus", "Phile", "voltaire"])
        #expect(t.items.map(\.text) == ["Quelle pitié !", "Moi aussi :-)", "Cher Didier, évite les sujets faciles."])
        #expect(t.items[0].posted == "2019-07-17T20:09:45Z")
        #expect(t.declaredCount == 2)
    }

    @Test func genericNewsMarkupInAKommentareContainer() throws {
        let e = try ThreadFixtures.extract("generic-news.html")
        let t = e.thread
        #expect(t.system == "generic")
        #expect(t.items.map(\.id) == ["4401", "4402", "4403"])
        #expect(t.items.map(\.author) == ["Hans M.", "Petra", "Ömer"])
        #expect(t.items.map(\.postedText) == ["12.03.2025 08:14", "12.03.2025 09:02", "12.03.2025 10:40"])
        #expect(t.items[1].paragraphs == ["Und wer bezahlt das?", "Wir alle."])
        #expect(t.items.allSatisfy { $0.parent == nil && $0.hasSiteID })
        #expect(t.declaredCount == 1977)
        // Sites count differently: a warning, not a failure.
        #expect(e.complete)
        #expect(e.problems.contains { $0.code == "declared-count-differs" && $0.severity == .warning })
    }

    @Test func scriptWidgetIsNotZeroComments() throws {
        let e = try ThreadFixtures.extract("disqus.html")
        #expect(e.thread.items.isEmpty)
        #expect(!e.thread.inMarkup)
        #expect(e.thread.scriptWidget == "disqus")
        #expect(e.problems.contains { $0.code == "comments-by-script" })
        #expect(!e.complete)
    }

    @Test func commentFormWithNoCommentsGivesNoComments() throws {
        let e = try ThreadFixtures.extract("form-only.html")
        #expect(e.thread.items.isEmpty)
        #expect(e.thread.inMarkup)
        #expect(e.thread.declaredCount == nil)
        #expect(e.complete)
    }
}
