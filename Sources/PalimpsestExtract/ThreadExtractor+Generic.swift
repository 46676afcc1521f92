import Foundation
import PalimpsestCore
import PalimpsestHTML

/// The fallback for custom markup with no comment numbers in its ids: inside a container whose id or class
/// speaks of comments, the largest group of repeated sibling blocks (same tag and first class) that carry an
/// author or a time. Ids come from `data-id`-like attributes or digits in an id; otherwise a fingerprint.
extension ThreadExtractor {
    func genericItems(_ scan: ThreadScan) -> [Item] {
        let containers = scan.genericContainers.prefix(200).filter { !isForeign($0) }
        var best: [HTMLNode] = []
        var seen = Set<HTMLNode>()
        for container in containers {
            for parent in [container] + container.elementChildren.prefix(50) where seen.insert(parent).inserted {
                var groups: [String: [HTMLNode]] = [:]
                var order: [String] = []
                for child in parent.elementChildren {
                    let key = child.name + "." + (ThreadExtractor.classTokens(child).first.map(String.init) ?? "")
                    if groups[key] == nil { order.append(key) }
                    groups[key, default: []].append(child)
                }
                for key in order {
                    let members = groups[key]!.filter(looksLikeComment)
                    // Repeated blocks: one alone is more likely an article block than a thread of one.
                    if members.count >= 2, members.count > best.count { best = members }
                }
            }
        }
        return best.enumerated().map { i, node in
            Item(number: ThreadExtractor.genericID(node) ?? "", node: node, order: i)
        }
    }

    /// Some text, an author or a time, and no form.
    func looksLikeComment(_ node: HTMLNode) -> Bool {
        var stack = [node]
        var signal = false
        var steps = 0
        while let n = stack.popLast(), steps < 400 {
            steps += 1
            if n.hasName("form") || n.hasName("input") || n.hasName("textarea") { return false }
            if n.hasName("time") { signal = true }
            for t in ThreadExtractor.classTokens(n) {
                let token = String(t)
                if CommentSelectors.authorHints.contains(token) || CommentSelectors.timeHints.contains(token) { signal = true }
            }
            stack += n.elementChildren
        }
        return signal && CommentText.fold(node.textContent).count >= 3
    }

    static func genericID(_ node: HTMLNode) -> String? {
        for attr in CommentSelectors.idAttributes {
            if let v = node.attribute(attr), let d = firstDigitRun(v) { return d }
        }
        if let id = node.attribute("id"), let d = firstDigitRun(id) { return d }
        return nil
    }
}
