import PalimpsestHTML

extension ArticleTree {
    /// Takes the boilerplate out of the chosen containers (Readability's prepArticle): navigation, asides,
    /// footers, share bars, headings with negative hints, and forms, tables, lists and divs that look like
    /// navigation, link lists or ads.
    mutating func clean(roots: [Int], passes: ArticlePasses) {
        if passes.cleanConditionally { cleanConditionally(roots, [.form, .fieldset]) }
        for r in roots {
            for i in r..<Int(elements[r].end) where !elements[i].removed {
                switch elements[i].tag {
                case .nav, .aside, .footer:
                    remove(i)
                case .p where i != r && elements[i].stats.linkDensity > 0.9 && elements[i].node.hasName("div")
                    && elements[i].context & ArticleElement.inTable == 0:
                    // A box that is one link and nothing else: a call to action, a "read next" (tables aside).
                    remove(i)
                default:
                    break
                }
            }
        }
        for r in roots {
            for i in (r + 1)..<Int(elements[r].end) where !elements[i].removed {
                let e = elements[i]
                if e.classHints.union(e.idHints).contains(.share) && e.stats.text < 500 { remove(i) }
            }
        }
        for r in roots {
            for i in r..<Int(elements[r].end) where !elements[i].removed {
                if (elements[i].tag == .h1 || elements[i].tag == .h2) && elements[i].classWeight < 0 { remove(i) }
            }
        }
        if passes.cleanConditionally {
            let tables = dataTables(in: roots)
            cleanConditionally(roots, [.table], dataTables: tables)
            cleanConditionally(roots, [.ul], dataTables: tables)
            cleanConditionally(roots, [.div], dataTables: tables)
        }
    }

    /// Removes the elements with these tags that fail Readability's conditional test, innermost first.
    private mutating func cleanConditionally(_ roots: [Int], _ tags: Set<ArticleTag>, dataTables: Set<Int> = []) {
        for r in roots.reversed() {
            var i = Int(elements[r].end) - 1
            while i >= r {
                if !elements[i].removed && !elements[i].transparent && tags.contains(elements[i].tag)
                    && shouldRemove(i, dataTables)
                {
                    remove(i)
                }
                i -= 1
            }
        }
    }

    private func shouldRemove(_ i: Int, _ dataTables: Set<Int>) -> Bool {
        let e = elements[i]
        let s = e.stats
        var isList = e.tag == .ul || e.tag == .ol
        if !isList && s.text > 0 { isList = Float(s.listText) / Float(s.text) > 0.9 }
        if !dataTables.isEmpty {
            if dataTables.contains(i) { return false }
            var a = Int(e.parent)
            while a >= 0 {
                if dataTables.contains(a) { return false }
                a = Int(elements[a].parent)
            }
            for t in dataTables where t > i && t < Int(e.end) && !elements[t].removed { return false }
        }
        if e.context & ArticleElement.inCode != 0 { return false }
        let weight = e.classWeight
        if weight < 0 { return true }
        guard s.commas < 10 else { return false }

        let p = Float(s.paragraphs)
        let img = Float(s.images)
        let li = Float(s.listItems) - 100
        let input = Float(s.inputs)
        let text = Float(s.text)
        let headingDensity = text > 0 ? Float(s.headingText) / text : 0
        if s.text > 0 && s.text <= 17 && Self.isAdOrLoadingLabel(e.node.textContent) { return true }
        let linkDensity = s.linkDensity
        let textDensity = text > 0 ? Float(s.textishText) / text : 0
        let inFigure = parentContext(i) & ArticleElement.inFigure != 0
        let remove = (img > 1 && p / img < 0.5 && !inFigure)
            || (!isList && li > p)
            || (input > (p / 3).rounded(.down))
            || (!isList && headingDensity < 0.9 && text < 25 && (img == 0 || img > 2) && !inFigure)
            || (!isList && weight < 25 && linkDensity > 0.2)
            || (weight >= 25 && linkDensity > 0.5)
            || (img == 0 && textDensity == 0)
        if isList && remove {
            for c in children(of: i) where elements[c].elementChildren > 1 { return remove }
            if s.images == s.listItems { return false }
        }
        return remove
    }

    private func parentContext(_ i: Int) -> UInt8 {
        let p = Int(elements[i].parent)
        return p >= 0 ? elements[p].context : 0
    }

    /// "Advertisement", "Loading…" and the like, alone in a box.
    private static func isAdOrLoadingLabel(_ text: String) -> Bool {
        // The labels are a few words: text with more than 40 visible bytes is none of them (checked before
        // folding and lower-casing a whole block's text).
        var visible = 0
        for b in text.utf8 where b > 0x20 {
            visible += 1
            if visible > 40 { return false }
        }
        var t = TextWalk.fold(text).lowercased()
        for suffix in ["…", "..."] where t.hasSuffix(suffix) { t.removeLast(suffix.count) }
        return ["ad", "advertising", "advertisement", "pub", "publicité", "werb", "werbung", "广告", "реклама",
                "anuncio", "loading", "正在加载", "загрузка", "chargement", "cargando"].contains(t)
    }

    /// Tables of data rather than layout (Readability's test): kept whole by the conditional cleaning.
    private func dataTables(in roots: [Int]) -> Set<Int> {
        var out: Set<Int> = []
        for r in roots {
            for i in r..<Int(elements[r].end) where elements[i].tag == .table && !elements[i].removed {
                if isDataTable(i) { out.insert(i) }
            }
        }
        return out
    }

    private func isDataTable(_ t: Int) -> Bool {
        let node = elements[t].node
        if node.withAttributeBytes("role", { TextWalk.equalsIgnoringCase($0, "presentation") }) == true { return false }
        if node.withAttributeBytes("datatable", { TextWalk.equalsIgnoringCase($0, "0") }) == true { return false }
        if node.hasAttribute("summary") { return true }
        var rows = 0, columns = 0, cellsInRow = 0
        for i in (t + 1)..<Int(elements[t].end) {
            let e = elements[i]
            switch e.tag {
            case .caption where e.parent == Int32(t): return true
            case .thead, .th: return true
            case .table: return false
            case .tr:
                rows += 1
                columns = max(columns, cellsInRow)
                cellsInRow = 0
            case .td: cellsInRow += 1
            case .block where e.node.hasName("tfoot"): return true
            case .other where e.node.hasName("col") || e.node.hasName("colgroup"): return true
            default: break
            }
        }
        columns = max(columns, cellsInRow)
        if rows >= 10 || columns > 4 { return true }
        return rows * columns > 10
    }
}
