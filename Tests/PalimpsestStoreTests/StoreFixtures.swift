import Foundation
import PalimpsestCore
import PalimpsestStore

typealias Item = PalimpsestCore.Comment

/// Hand-built captures for the store tests (no extractor involved).
enum Fixture {
    static let url = "https://news.example.org/2025/11/05/a-thread/"
    static let start = Date(timeIntervalSince1970: 1_762_333_200)

    /// A fresh store path in its own temporary folder (the folder is not created: the store creates it).
    static func storePath(_ name: String = "store") -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("palimpsest-store-tests-\(UUID().uuidString)")
        return folder.appendingPathComponent("\(name).sqlite").path
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    static func comment(_ id: String, _ text: String, parent: String? = nil, author: String = "Reader",
                        kind: Item.Kind = .comment) -> Item {
        Item(id: id, parent: parent, depth: parent == nil ? 0 : 1, author: author,
             posted: "2025-11-05T09:00:00+01:00", paragraphs: text.components(separatedBy: "\n\n"),
             permalink: url + "#comment-\(id)", kind: kind)
    }

    static func article(_ body: [String] = ["First paragraph.", "Second paragraph."], title: String = "A thread") -> Article {
        Article(title: title, byline: "A. Writer", blocks: body.map { Block(.paragraph, $0) })
    }

    /// The page as bytes: what the extraction was "read" from (distinct pages give distinct bodies).
    static func html(_ items: [Item], article: Article = article()) -> Data {
        var s = "<html><body><h1>\(article.title ?? "")</h1>"
        for b in article.blocks { s += "<p>\(b.text)</p>\n" }
        s += "<ol>\n"
        for c in items {
            s += "<li id=\"comment-\(c.id)\" data-parent=\"\(c.parent ?? "")\"><b>\(c.author ?? "")</b>"
            s += c.paragraphs.map { "<p>\($0)</p>" }.joined() + "</li>\n"
        }
        return Data((s + "</ol></body></html>\n").utf8)
    }

    static func response(_ body: Data, status: Int = 200, etag: String? = nil) -> HTTPResponse {
        var headers = [HTTPHeader("Content-Type", "text/html; charset=UTF-8"), HTTPHeader("Server", "test")]
        if let etag { headers.append(HTTPHeader("ETag", etag)) }
        return HTTPResponse(requestedURL: url, finalURL: url, status: status,
                            statusLine: "HTTP/1.1 \(status) X", headers: headers, body: body,
                            requestHeaders: [HTTPHeader("User-Agent", PalimpsestVersion.userAgent)])
    }

    /// A fetched capture of `items` at hour `hour`; `problems` make it incomplete.
    static func capture(_ items: [Item], hour: Double, article: Article = article(),
                        problems: [Problem] = [], extraProblems: [Problem] = [], declared: Int? = nil) -> CaptureInput {
        let extraction = Extraction(url: url, article: article,
                                    thread: CommentThread(items: items, declaredCount: declared ?? items.count),
                                    problems: problems)
        return CaptureInput(url: url, capturedAt: start.addingTimeInterval(hour * 3600),
                            responses: [response(html(items, article: article))], extraction: extraction,
                            extraProblems: extraProblems, duration: 0.1)
    }

    /// A response that is not a page to extract (304, 404, 503...).
    static func status(_ status: Int, hour: Double) -> CaptureInput {
        CaptureInput(url: url, capturedAt: start.addingTimeInterval(hour * 3600),
                     responses: [response(Data(status == 304 ? "".utf8 : "<h1>\(status)</h1>".utf8), status: status)])
    }

    static func failure(hour: Double) -> CaptureInput {
        CaptureInput(url: url, capturedAt: start.addingTimeInterval(hour * 3600),
                     failure: FetchFailure(.network, url: url, message: "Couldn't connect to server", curlCode: 7))
    }
}

extension Snapshot {
    /// Ids of the comments in thread order.
    var ids: [String] { comments.map(\.comment.id) }
    func state(_ id: String) -> CommentState? { comments.first { $0.comment.id == id } }
}
