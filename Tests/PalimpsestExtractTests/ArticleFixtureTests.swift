import Foundation
import PalimpsestCore
import PalimpsestHTML
import Testing
@testable import PalimpsestExtract

/// Article extraction on fixtures modelled on real pages: metadata exact, phrases kept and dropped.
@Suite struct ArticleFixtureTests {
    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/articles/\(name)", withExtension: "html"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func extract(_ html: String, url: String? = nil, rules: SiteRules = SiteRules(),
                        exclude: (HTMLDocument) -> [HTMLNode] = { _ in [] }) throws -> ArticleResult
    {
        let document = try HTMLDocument(html: html, url: url)
        return ArticleExtractor(rules: rules).extract(document, url: url, exclude: exclude(document))
    }

    static func expect(_ article: Article, keeps kept: [String], drops dropped: [String],
                       sourceLocation: SourceLocation = #_sourceLocation)
    {
        let text = article.plainText
        for phrase in kept {
            #expect(text.contains(phrase), "missing: \(phrase)", sourceLocation: sourceLocation)
        }
        for phrase in dropped {
            #expect(!text.contains(phrase), "boilerplate kept: \(phrase)", sourceLocation: sourceLocation)
        }
    }

    @Test func newsSiteMetadata() throws {
        let url = "https://www.northerncourier.example/news/2024/03/flood-barrier-approved?utm_source=x"
        let a = try Self.extract(Self.fixture("news-site"), url: url).article
        #expect(a.title == "Council approves riverside flood barrier after decade of delays")
        #expect(a.byline == "Amira Hassan, Tom O'Reilly")
        #expect(a.published == "2024-03-14T08:30:00Z")
        #expect(a.modified == "2024-03-14T11:05:00Z")
        #expect(a.language == "en-GB")
        #expect(a.siteName == "The Northern Courier")
        #expect(a.canonicalURL == "https://www.northerncourier.example/news/2024/03/flood-barrier-approved")
    }

    @Test func newsSiteBody() throws {
        let result = try Self.extract(Self.fixture("news-site"))
        #expect(result.bodyFound)
        #expect(result.problems.isEmpty)
        let a = result.article
        Self.expect(a, keeps: [
            "Councillors voted 31 to 4 on Wednesday night",
            "Work to start in the autumn",
            "We listened, and the design is better for it.",
            "Shares in Riverside Builders (RVB), the likely contractor, rose 4% on the news.",  // an inline "ticker"
            "a levy on developers.",
        ], drops: [
            "We use cookies", "Accept all", "BREAKING", "Markets slide", "Sport", "Advertisement",
            "Share on Facebook", "Email this story", "Residents count the cost", "Get the Courier Briefing",
            "Sign up for our free morning newsletter", "Most read", "Man rescued from cliff", "More from News",
            "Bridge repairs", "All rights reserved", "About time too", "Glass panels will be filthy",
            "dataLayer", "animation", "Flooding", "Download our app", "Continue reading", "Story continues below",
        ])
        // Entities decoded; typographic quotes, narrow and ordinary no-break spaces kept as published.
        #expect(a.blocks.first == Block(.paragraph, "Councillors voted 31 to 4 on Wednesday night to build a £48\u{202F}million "
            + "flood barrier along the riverside, ending a dispute that has lasted more than ten years."))
        #expect(a.paragraphs.contains("\u{201C}This is the day residents have been waiting for,\u{201D} said council leader "
            + "Maria Blackwood. \u{201C}Nobody should have to move their furniture upstairs every time it rains.\u{201D}"))
        #expect(a.paragraphs.contains { $0.hasSuffix("starting at the old\u{A0}mill weir.") })
        #expect(a.blocks.contains(Block(.heading, "Work to start in the autumn")))
        #expect(a.blocks.contains(Block(.quote, "We listened, and the design is better for it.")))
        // The headline is metadata, not a body block.
        #expect(!a.paragraphs.contains("Council approves riverside flood barrier after decade of delays"))
    }

    @Test func wordPressMetadata() throws {
        let a = try Self.extract(Self.fixture("wordpress-blog")).article
        #expect(a.title == "Faire son pain au levain")
        #expect(a.byline == "Léa Martin")
        #expect(a.published == "2023-11-05T09:12:44+00:00")
        #expect(a.modified == "2023-11-07T17:40:02+00:00")
        #expect(a.language == "fr-FR")
        #expect(a.siteName == "Le Carnet de Léa")
        #expect(a.canonicalURL == "https://carnetdelea.example/2023/11/pain-au-levain/")
    }

    @Test func wordPressBodyBlocks() throws {
        let a = try Self.extract(Self.fixture("wordpress-blog")).article
        Self.expect(a, keeps: ["Le levain, c\u{2019}est de la farine", "Enfournez à 240\u{A0}°C"], drops: [
            "Aller au contenu", "Accueil", "Cuisine lente et jardin", "Partager", "Facebook", "Articles similaires",
            "Brioche filante", "Article précédent", "Merci pour la recette", "Quelle farine conseillez-vous",
            "Laisser un commentaire", "Rechercher", "Articles récents", "Fièrement propulsé", "polyfills",
            "Catégorisé comme",
        ])
        #expect(a.blocks.contains(Block(.heading, "Ce qu\u{2019}il vous faut")))
        #expect(a.blocks.filter { $0.kind == .listItem }.map(\.text) == [
            "500\u{A0}g de farine T80", "350\u{A0}g d\u{2019}eau tiède", "100\u{A0}g de levain actif", "10\u{A0}g de sel",
            "Mélangez la farine et l\u{2019}eau, laissez reposer une heure (autolyse).",
            "Ajoutez le levain et le sel, puis pétrissez dix minutes.",
        ])
        #expect(a.blocks.contains(Block(.quote, "« Le temps est le premier ingrédient du pain. »")))
        #expect(a.blocks.contains(Block(.preformatted, "Hydratation : 70 %\nTempérature idéale : 24 °C")))
        // A line break in the source folds to one space inside the block.
        #expect(a.paragraphs.contains("Pendant la pousse, faites trois séries de rabats espacées de trente minutes. "
            + "La pâte doit doubler de volume\u{A0}; comptez quatre à six heures selon la température."))
        #expect(a.blocks.first?.text.hasPrefix("Le levain") == true)
    }

    @Test func heavyShellWithoutHints() throws {
        let result = try Self.extract(Self.fixture("heavy-shell"))
        let a = result.article
        #expect(a.title == "Tram line extension opens to passengers")
        #expect(a.byline == "Priya Raman")
        #expect(a.published == "2022-06-06T06:00:00Z")
        #expect(a.language == nil)
        #expect(a.siteName == nil)
        #expect(a.canonicalURL == nil)
        Self.expect(a, keeps: [
            "The long-awaited tram extension to the airport opened to passengers on Monday morning, two years later "
                + "than planned and €90m over budget.",
            "The first tram left the city centre at 5.30am",
            "taking an estimated 12,000 cars off the road.",
            "Tickets cost the same as on the rest of the network, and contactless payment is accepted at every stop.",
        ], drops: [
            "Home", "Dating", "Trending", "Heatwave", "National", "Latest headlines", "Storm warning", "Print",
            "Comments (14)", "Terms", "Advertise with us", "Please enable JavaScript", "not text", "_sf_async_config",
        ])
        // <br><br> separates paragraphs; text straight in a div is a block of its own.
        #expect(a.paragraphs.first == "The long-awaited tram extension to the airport opened to passengers on Monday "
            + "morning, two years later than planned and €90m over budget.")
        #expect(a.paragraphs.count == 4)
    }

    @Test func bloggerClassicTemplate() throws {
        let a = try Self.extract(Self.fixture("blogger-classic")).article
        #expect(a.title == "Saving tomato seeds for next spring")  // "Blog name: Post title"
        #expect(a.byline == "Ana Souza")  // itemprop=author, its itemprop=name part, in an unlikely footer
        #expect(a.published == "2021-04-02T10:15:00+01:00")  // <abbr itemprop=datePublished title=...>
        #expect(a.modified == nil)
        #expect(a.canonicalURL == "https://allotmentnotes.example/2021/04/saving-tomato-seeds.html")
        #expect(a.siteName == nil)
        #expect(a.language == nil)
        // Text straight in the post div, paragraphs made by <br /><br />.
        #expect(a.paragraphs == [
            "Every autumn I save seeds from the best two or three plants of each variety. It costs nothing, and after "
                + "a few years the plants are better suited to our cold, wet site than anything from a catalogue.",
            "Pick a fully ripe fruit, cut it in half and squeeze the seeds and their jelly into a jar. Add a little "
                + "water, cover the jar with a cloth and leave it on a windowsill.",
            "Ferment for three days. A grey mould will form on top: that is what you want. It breaks down the gel "
                + "coat that stops the seeds germinating inside the fruit.",
            "Rinse the seeds in a sieve, spread them on a plate (not kitchen paper, they stick to it) and let them dry "
                + "for a week. Store them in a paper envelope, labelled with the variety and the year.",
            "Seeds kept this way stay good for four or five years, sometimes longer.",
        ])
    }

    @Test func siteRuleNamesTheBody() throws {
        let rules = SiteRules(sites: [SiteRule(host: "metrodaily.example", bodyXPath: "//div[@class='x9f']")])
        let result = try Self.extract(Self.fixture("heavy-shell"), url: "https://www.metrodaily.example/tram",
                                      rules: rules)
        // The rule's whole container, its headline and link bar included: the user chose it.
        #expect(result.article.paragraphs.first == "Tram line extension opens to passengers")
        #expect(result.article.paragraphs.last == "Print Email Comments (14)")
        #expect(result.article.paragraphs.count == 6)
        #expect(result.problems.isEmpty)

        let other = try Self.extract(Self.fixture("heavy-shell"), url: "https://elsewhere.example/tram", rules: rules)
        #expect(other.article.paragraphs.count == 4)  // another host: the built-in search

        let wrong = SiteRules(sites: [SiteRule(host: "metrodaily.example", bodyXPath: "//div[@id='nothing-here']")])
        let missed = try Self.extract(Self.fixture("heavy-shell"), url: "https://metrodaily.example/t", rules: wrong)
        #expect(!missed.bodyFound)
        #expect(missed.problems.map(\.code) == ["no-article-body"])
        #expect(missed.problems.first?.message.contains("//div[@id='nothing-here']") == true)
    }

    @Test func commentThreadNodesAreNeverBody() throws {
        let comment = "I have lived by this river for forty years, and I can tell you that nothing the council says "
            + "about the barrier has ever come true, not once, not ever, whatever they promise this time."
        let html = """
            <html><body><div class="wrap">
            <div class="a1"><p>The barrier was approved on Wednesday, after a debate that lasted four hours, and will \
            be built over three years.</p><p>Residents in the lower town, where most homes flooded, welcomed the vote, \
            and the council promised regular updates.</p></div>
            <div class="c7">\(String(repeating: "<div class=\"c8\"><p>\(comment)</p></div>", count: 6))</div>
            </div></body></html>
            """
        let withThread = try Self.extract(html).article.plainText
        #expect(withThread.contains("forty years"))  // without exclusion the thread wins: it is the longest text
        let a = try Self.extract(html) { doc in doc.select("//div[@class='c7']") }.article
        #expect(!a.plainText.contains("forty years"))
        #expect(a.plainText.contains("The barrier was approved on Wednesday"))
        #expect(a.plainText.contains("welcomed the vote"))
    }

    @Test func whitespaceFoldsInsideBlocksOnly() throws {
        let html = """
            <html><body><article><div class="entry-content">
            <p>  One\t two \n\n three&nbsp;&nbsp;four <b>five</b>six&#160;<i> seven </i> .</p>
            <p>Line one<br>line two<br><br>Next paragraph, with “quotes” &amp; ‘apostrophes’ and &lt;angle&gt; brackets \
            that are long enough to keep.</p>
            <ul><li>first item</li><li><p>second item in a paragraph</p></li></ul>
            <pre>  keep   this
                spacing</pre>
            </div></article></body></html>
            """
        let blocks = try Self.extract(html).article.blocks
        #expect(blocks == [
            Block(.paragraph, "One two three\u{A0}\u{A0}four fivesix\u{A0} seven ."),
            Block(.paragraph, "Line one\nline two"),
            Block(.paragraph, "Next paragraph, with “quotes” & ‘apostrophes’ and <angle> brackets that are long enough to keep."),
            Block(.listItem, "first item"),
            Block(.listItem, "second item in a paragraph"),
            Block(.preformatted, "  keep   this\n    spacing"),
        ])
    }

    @Test func pageWithoutArticleHasNoBody() throws {
        let html = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>"
        let result = try Self.extract(html)
        #expect(!result.bodyFound)
        #expect(result.article.blocks.isEmpty)
        #expect(result.problems.contains { $0.code == "no-article-body" && $0.severity == .incomplete })
        #expect(result.article.title == "Menu")
    }

    @Test func throughThePageExtractor() throws {
        let data = Data(try Self.fixture("news-site").utf8)
        let e = PageExtractor().extract(data: data, url: "https://www.northerncourier.example/n", contentType: "text/html")
        #expect(e.article.title == "Council approves riverside flood barrier after decade of delays")
        #expect(e.article.plainText.contains("Councillors voted 31 to 4"))
        #expect(!e.article.plainText.contains("About time too"))
    }
}
