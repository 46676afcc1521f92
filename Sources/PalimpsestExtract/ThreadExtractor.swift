import Foundation
import PalimpsestCore
import PalimpsestHTML

struct ThreadResult {
    var thread: CommentThread
    /// The nodes that hold the thread (never part of the article body).
    var containers: [HTMLNode]
    var problems: [Problem]
}

/// The comment half: every comment, its author, time and place in the thread.
struct ThreadExtractor {
    var rules: SiteRules

    func extract(_ document: HTMLDocument, url: String?) -> ThreadResult {
        ThreadResult(thread: CommentThread(), containers: [], problems: [])
    }
}
