import Foundation
import PalimpsestCore
import PalimpsestHTML

/// A thread read with a user's rule for the site: the rule's XPath for each comment and its fields.
struct RuleThreadExtractor {
    let rule: SiteRule

    func extract(_ document: HTMLDocument, url: String?) -> ThreadResult {
        guard let itemXPath = rule.commentXPath else { return ThreadResult(thread: CommentThread(), containers: [], problems: []) }
        var comments: [Comment] = []
        for node in document.select(itemXPath) {
            func value(_ xpath: String?) -> String? {
                guard let xpath else { return nil }
                let v = CommentText.fold(document.string("string(\(xpath))", from: node) ?? "")
                return v.isEmpty ? nil : v
            }
            let paragraphs: [String]
            if let t = rule.textXPath, let textNode = document.first(t, from: node) {
                paragraphs = CommentText.paragraphs(textNode, skip: { _ in false })
            } else {
                paragraphs = CommentText.paragraphs(node, skip: { _ in false })
            }
            let author = value(rule.authorXPath)
            let posted = value(rule.timeXPath)
            let siteID = value(rule.idXPath).map { ThreadExtractor.firstDigitRun($0) ?? $0 }
            let id = siteID ?? Comment.fingerprint(author: author, posted: posted, text: paragraphs.joined(separator: "\n\n"))
            var parent = value(rule.parentXPath).map { ThreadExtractor.firstDigitRun($0) ?? $0 }
            if parent == "0" { parent = nil }
            comments.append(Comment(id: id, hasSiteID: siteID != nil, parent: parent, author: author,
                                    posted: posted.flatMap { CommentText.looksISO($0) ? $0 : nil },
                                    postedText: posted, paragraphs: paragraphs))
        }
        // Depth from the parents.
        var depth: [String: Int] = [:]
        for i in comments.indices {
            let d = comments[i].parent.flatMap { depth[$0] }.map { $0 + 1 } ?? 0
            comments[i].depth = d
            depth[comments[i].id] = d
        }
        return ThreadResult(thread: CommentThread(items: comments, system: "rules"), containers: document.select(itemXPath),
                            problems: [])
    }
}
