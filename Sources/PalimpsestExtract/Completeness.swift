import Foundation
import PalimpsestCore
import PalimpsestHTML

/// Page-level checks that decide whether an extraction can be trusted whole.
enum Completeness {
    static func check(html: String, document: HTMLDocument, article: ArticleResult, thread: ThreadResult)
        -> [Problem]
    {
        []
    }
}
