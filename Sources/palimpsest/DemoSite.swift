import Foundation

/// The demo's fictional news site: one article and its WordPress-style thread at three moments.
/// Written for Palimpsest; nothing here comes from a real page.
enum DemoSite {
    static let path = "/2026/03/14/harbour-bridge-reopens/"

    struct Entry {
        var id: Int
        var parent: Int?
        var author: String
        var time: String  // ISO 8601
        var text: [String]
    }

    static let paragraphs = [
        "After twenty-six months of works, the Old Harbour bridge in Port Meridian reopened to pedestrians and cyclists on Saturday morning.",
        "The council says the deck was rebuilt with the original cast-iron railings, restored one by one in a workshop on Quay Street.",
        "“It is the same bridge, only younger,” said the harbour master, Inès Garnier, as the first cyclists crossed.",
        "Cars will be allowed from April, once the new lights at both ends have been tested.",
    ]
    static let update = "Update, 18:00: the council confirms that the night ferry will keep running until the bridge opens to cars."

    static let comments: [Entry] = [
        Entry(id: 501, parent: nil, author: "Marguerite", time: "2026-03-14T09:12:00+01:00",
              text: ["Finally! I crossed it this morning with my grandson. The railings look wonderful."]),
        Entry(id: 502, parent: 501, author: "Tomás", time: "2026-03-14T09:40:00+01:00",
              text: ["Same here. The old lamps are back too, did you notice?"]),
        Entry(id: 503, parent: nil, author: "Port Watcher", time: "2026-03-14T10:05:00+01:00",
              text: ["Twenty-six months and twice the budget. Nobody will answer for that."]),
        Entry(id: 504, parent: 503, author: "Léa M.", time: "2026-03-14T10:31:00+01:00",
              text: ["The budget grew because the piers were in worse shape than the survey said. It was in the council minutes."]),
        Entry(id: 505, parent: 503, author: "Jonas", time: "2026-03-14T11:02:00+01:00",
              text: ["Worse shape or not, the council knew in 2024."]),
        Entry(id: 506, parent: nil, author: "Aziz", time: "2026-03-14T12:20:00+01:00",
              text: ["جسر جميل، مبروك لأهل المدينة", "Beautiful bridge, congratulations to the town."]),
        Entry(id: 507, parent: 502, author: "Marguerite", time: "2026-03-14T13:15:00+01:00",
              text: ["Yes! My father used to light them by hand."]),
        Entry(id: 508, parent: nil, author: "\u{1B}[31mADMIN\u{1B}[0m", time: "2026-03-14T14:00:00+01:00",
              text: ["Click here \u{202E}gpj.exe for the official photos"]),
        Entry(id: 509, parent: nil, author: "Hélène", time: "2026-03-14T19:45:00+01:00",
              text: ["Will the ferry timetable change in April?"]),
        Entry(id: 510, parent: 509, author: "Tomás", time: "2026-03-14T20:10:00+01:00",
              text: ["The update above says it keeps running until the bridge opens to cars."]),
    ]

    /// Which comments are visible at each moment, and the edits made by then.
    static func moment(_ n: Int) -> (article: [String], comments: [Entry]) {
        switch n {
        case 0:
            return (paragraphs, comments.filter { [501, 502, 503, 504, 505].contains($0.id) })
        case 1:
            return (paragraphs + [update], comments.filter { $0.id <= 508 })
        default:
            // 503 is removed by the moderators (its replies stay, orphaned); 508 is removed; 501 is edited.
            var list = comments.filter { $0.id != 503 && $0.id != 508 }
            if let i = list.firstIndex(where: { $0.id == 501 }) {
                list[i].text = ["Finally! I crossed it this morning with my grandson. The railings look wonderful, and the lamps too."]
            }
            return (paragraphs + [update], list)
        }
    }

    static func html(moment n: Int, baseURL: String) -> String {
        let (article, visible) = moment(n)
        let url = baseURL + path
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>Old Harbour bridge reopens after two years of works – The Meridian Courier</title>
            <meta property="og:title" content="Old Harbour bridge reopens after two years of works">
            <meta property="og:site_name" content="The Meridian Courier">
            <meta property="article:published_time" content="2026-03-14T08:30:00+01:00">
            <link rel="canonical" href="\(url)">
            </head><body class="single">
            <header class="site-header"><nav class="main-menu"><ul><li><a href="/">Home</a></li><li><a href="/news/">News</a></li><li><a href="/sport/">Sport</a></li></ul></nav></header>
            <div class="ticker">Breaking: tide tables for the week · Market day moved to Thursday</div>
            <main id="main"><article class="post type-post">
            <h1 class="entry-title">Old Harbour bridge reopens after two years of works</h1>
            <div class="entry-meta">By <span class="author vcard"><a class="url fn n" href="/author/sam-okafor/">Sam Okafor</a></span>
            <time class="entry-date published" datetime="2026-03-14T08:30:00+01:00">14 March 2026</time></div>
            <div class="entry-content">

            """
        for p in article { out += "<p>\(escape(p))</p>\n" }
        out += """
            </div>
            <div class="share-buttons">Share: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>
            </article>
            <div id="comments" class="comments-area">
            <h2 class="comments-title">\(visible.count) comments</h2>
            <ol class="comment-list">

            """
        out += thread(visible, parent: nil, url: url)
        out += """
            </ol>
            <div id="respond" class="comment-respond"><h3>Leave a comment</h3><form action="/wp-comments-post.php" method="post"><textarea name="comment"></textarea><input type="submit" value="Post"></form></div>
            </div></main>
            <aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Ferry strike ends</a></li><li><a href="/b">New fish market</a></li></ul></aside>
            <footer class="site-footer">© The Meridian Courier · Legal notice · Contact</footer>
            </body></html>

            """
        return out
    }

    /// WordPress html5 markup: replies in ol.children under their parent; an orphaned reply (its parent
    /// removed) is shown at top level, as WordPress does.
    static func thread(_ all: [Entry], parent: Int?, url: String) -> String {
        let ids = Set(all.map(\.id))
        let level = all.filter { c in
            parent == nil ? (c.parent == nil || !ids.contains(c.parent!)) : c.parent == parent
        }
        var out = ""
        for c in level {
            let children = all.filter { $0.parent == c.id }
            out += """
                <li id="comment-\(c.id)" class="comment\(children.isEmpty ? "" : " parent") depth-\(originalDepth(c))">
                <article id="div-comment-\(c.id)" class="comment-body">
                <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">\(escape(c.author))</b> <span class="says">says:</span></div>
                <div class="comment-metadata"><a href="\(url)#comment-\(c.id)"><time datetime="\(c.time)">\(c.time.prefix(10)) at \(c.time.dropFirst(11).prefix(5))</time></a></div></footer>
                <div class="comment-content">\(c.text.map { "<p>\(escape($0))</p>" }.joined())</div>
                <div class="reply"><a class="comment-reply-link" href="?replytocom=\(c.id)#respond">Reply</a></div>
                </article>

                """
            if !children.isEmpty {
                out += "<ol class=\"children\">\n" + thread(all, parent: c.id, url: url) + "</ol>\n"
            }
            out += "</li>\n"
        }
        return out
    }

    /// The depth a comment had in the full thread: WordPress keeps it in the class of an orphaned reply.
    static func originalDepth(_ c: Entry) -> Int {
        var depth = 1
        var p = c.parent
        while let id = p, let parent = comments.first(where: { $0.id == id }) {
            depth += 1
            p = parent.parent
        }
        return depth
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
