import Foundation
import PalimpsestCore
import PalimpsestHTML

/// Page-level checks that decide whether an extraction can be trusted whole. Only a complete extraction can
/// make a comment disappear, so these err on the side of "incomplete".
enum Completeness {
    static func check(html: String, document: HTMLDocument, article: ArticleResult, thread: ThreadResult) -> [Problem] {
        var problems: [Problem] = []
        if let p = truncation(html) { problems.append(p) }
        if let p = errorPage(document, article: article, thread: thread) { problems.append(p) }
        if !article.bodyFound && article.article.blocks.isEmpty && !problems.contains(where: { $0.code == "error-page" }) {
            problems.append(Problem("no-article-body", "no article body was found on the page"))
        }
        return problems
    }

    /// The document ends early: no closing </body> or </html> near its end.
    static func truncation(_ html: String) -> Problem? {
        var html = html
        let closed = html.withUTF8 { bytes in
            Completeness.closingTags.occurs(in: UnsafeBufferPointer(rebasing: bytes.suffix(4096)))
        }
        if closed { return nil }
        if html.utf8.count < 64 { return Problem("empty-document", "the page is empty or nearly so") }
        return Problem("truncated-document", "the page ends early: no closing </body> or </html> (the transfer or the server cut it)")
    }

    static let closingTags = ByteWords(["</html", "</body"])

    static let errorWords = try! NSRegularExpression(pattern: """
        (?:maintenance|temporarily unavailable|service unavailable|momentanément indisponible|temporairement indisponible|\
        site en maintenance|en cours de maintenance|wartungsarbeiten|vorübergehend nicht verfügbar|bad gateway|gateway time-?out|\
        internal server error|database error|error establishing a database connection|erreur 50[0-9]|error 50[0-9]|\
        too many requests|access denied|just a moment\\.\\.\\.|attention required|are you a robot|captcha|\
        page not found|page introuvable|seite nicht gefunden|الصفحة غير موجودة|الموقع تحت الصيانة)
        """, options: [.caseInsensitive])

    /// An error or maintenance page served with 200: its title or main heading says so, and the page holds
    /// no article and no comments.
    static func errorPage(_ document: HTMLDocument, article: ArticleResult, thread: ThreadResult) -> Problem? {
        // The cheap tests first: most pages have comments or a long article, and need no title search.
        guard thread.thread.items.isEmpty, !hasWords(article.article.blocks, atLeast: 150) else { return nil }
        let title = CommentText.fold(document.string("string(//title)") ?? "")
        let heading = CommentText.fold(document.string("string((//h1)[1])") ?? "")
        let probe = title + " " + heading
        guard errorWords.firstMatch(in: probe, range: NSRange(probe.startIndex..., in: probe)) != nil else { return nil }
        return Problem("error-page", "an error or maintenance page served with 200: \"\(title.isEmpty ? heading : title)\"")
    }

    /// Whether the blocks hold at least `count` words (space-separated), counted until there are enough.
    static func hasWords(_ blocks: [Block], atLeast count: Int) -> Bool {
        var words = 0
        for block in blocks {
            words += block.text.split(separator: " ").count
            if words >= count { return true }
        }
        return false
    }
}
