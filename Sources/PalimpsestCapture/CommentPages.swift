import Foundation
import PalimpsestCore

/// A thread spread over several comment pages, read as one.
enum CommentPages {
    /// The first page's extraction with the other pages' comments merged in: page order, document order
    /// within a page, each id once. Their problems are carried over, so an incomplete comment page makes the
    /// capture incomplete.
    static func merge(_ first: Extraction, pages: [Extraction]) -> Extraction {
        var merged = first
        var seen = Set(first.thread.items.map(\.id))
        for page in pages {
            for item in page.thread.items where seen.insert(item.id).inserted {
                merged.thread.items.append(item)
            }
            for p in page.problems where p.code != "no-article-body" {
                merged.problems.append(Problem(p.code, "comment page \(page.url ?? "?"): \(p.message)", severity: p.severity))
            }
            if merged.thread.declaredCount == nil { merged.thread.declaredCount = page.thread.declaredCount }
        }
        merged.thread.pages = Array(Set(([first] + pages).flatMap(\.thread.pages))).sorted()
        return merged
    }
}
