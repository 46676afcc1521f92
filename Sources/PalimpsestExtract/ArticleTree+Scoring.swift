import PalimpsestHTML

extension ArticleTree {
    /// Picks the article's containers, Readability's way: paragraphs score their ancestors (commas, length),
    /// scores are discounted by link density, the best container is widened to a shared ancestor when
    /// several near-best candidates agree, then its siblings that look like content join it.
    /// Returns the containers' indexes in document order (empty when the page has no elements).
    mutating func selectArticle() -> [Int] {
        guard !elements.isEmpty else { return [] }
        var candidates: [Int] = []
        for i in elements.indices {
            let e = elements[i]
            let length: Int32, commas: Int32, from: Int
            switch e.tag {
            case .section, .h2, .h3, .h4, .h5, .h6, .p, .td, .pre:
                (length, commas, from) = (e.stats.text, e.stats.commas, Int(e.parent))
            case .div:
                // The loose text of a div with block children: Readability wraps it in a paragraph.
                (length, commas, from) = (e.inlineText, e.inlineCommas, i)
            default:
                continue
            }
            if length < 25 || from < 0 { continue }
            let score = 1 + Float(commas) + Float(min(length / 100, 3))
            var a = from
            var level = 0
            while a >= 0 && level < 5 && elements[a].parent >= 0 {
                if elements[a].transparent {
                    a = Int(elements[a].parent)
                    continue
                }
                if !elements[a].isCandidate {
                    initialize(a)
                    candidates.append(a)
                }
                let divider: Float = level == 0 ? 1 : level == 1 ? 2 : Float(level * 3)
                elements[a].score += score / divider
                a = Int(elements[a].parent)
                level += 1
            }
        }
        for c in candidates { elements[c].score *= 1 - elements[c].stats.linkDensity }

        var top: [Int] = []
        for c in candidates {
            if let at = top.firstIndex(where: { elements[c].score > elements[$0].score }) {
                top.insert(c, at: at)
                if top.count > 5 { top.removeLast() }
            } else if top.count < 5 {
                top.append(c)
            }
        }
        guard var best = top.first, elements[best].tag != .body else {
            return [elements.firstIndex { $0.tag == .body } ?? 0]
        }

        // Several near-best candidates under one ancestor: the article is that ancestor.
        let bestScore = elements[best].score
        let alternatives = top.dropFirst().filter { bestScore > 0 && elements[$0].score / bestScore >= 0.75 }
            .map { Set(ancestors(of: $0)) }
        if alternatives.count >= 3 {
            var p = Int(elements[best].parent)
            while p >= 0 && !isTop(p) {
                if alternatives.filter({ $0.contains(p) }).count >= 3 {
                    best = p
                    break
                }
                p = Int(elements[p].parent)
            }
        }
        if !elements[best].isCandidate { initialize(best) }

        // Climb while the parent scores about as well.
        var p = Int(elements[best].parent)
        var lastScore = elements[best].score
        let threshold = lastScore / 3
        while p >= 0 && !isTop(p) {
            if !elements[p].isCandidate {
                p = Int(elements[p].parent)
                continue
            }
            let parentScore = elements[p].score
            if parentScore < threshold { break }
            if parentScore > lastScore {
                best = p
                break
            }
            lastScore = parentScore
            p = Int(elements[p].parent)
        }
        // An only child stands for its parent.
        p = Int(elements[best].parent)
        while p >= 0 && !isTop(p) && elements[p].elementChildren == 1 {
            best = p
            p = Int(elements[p].parent)
        }
        if !elements[best].isCandidate { initialize(best) }

        // Siblings that look like content join the article.
        let parent = Int(elements[best].parent)
        guard parent >= 0 else { return [best] }
        let topScore = elements[best].score
        let siblingThreshold = max(10, topScore * 0.2)
        let bestClass = elements[best].node.attribute("class") ?? ""
        var roots: [Int] = []
        for s in children(of: parent) {
            if s == best {
                roots.append(s)
                continue
            }
            let e = elements[elements[s].transparent ? s + 1 : s]
            var bonus: Float = 0
            if !bestClass.isEmpty, e.node.attribute("class") == bestClass { bonus = topScore * 0.2 }
            if e.isCandidate && e.score + bonus >= siblingThreshold {
                roots.append(s)
            } else if e.tag == .p {
                let density = e.stats.linkDensity
                let length = e.stats.text
                if length > 80 && density < 0.25 {
                    roots.append(s)
                } else if length < 80 && length > 0 && density == 0 {
                    let text = TextWalk.fold(e.node.textContent)
                    if text.hasSuffix(".") || text.contains(". ") { roots.append(s) }
                }
            }
        }
        return roots
    }

    private func isTop(_ index: Int) -> Bool {
        elements[index].tag == .body || elements[index].tag == .html
    }

    private mutating func initialize(_ index: Int) {
        elements[index].isCandidate = true
        elements[index].score = elements[index].tag.baseScore + elements[index].classWeight
    }

    private func ancestors(of index: Int) -> [Int] {
        var out: [Int] = []
        var a = Int(elements[index].parent)
        while a >= 0 {
            out.append(a)
            a = Int(elements[a].parent)
        }
        return out
    }
}
