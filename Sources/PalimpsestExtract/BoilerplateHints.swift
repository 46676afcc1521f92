/// What the `class` and `id` of an element say about it, found with one pass over their bytes.
///
/// The word lists follow Mozilla Readability's (the corpus truth comes from it), with a few more words for
/// boilerplate boxes (newsletter, cookie banners, "most read", tickers, modals).
struct BoilerplateHints: OptionSet {
    let rawValue: UInt16

    /// Probably not content at all (menus, comments, sidebars): left out unless something says "content".
    static let unlikely = BoilerplateHints(rawValue: 1 << 0)
    /// A boilerplate box (newsletter, cookie banner, "most read", ticker, modal): as `unlikely`, but only for
    /// block containers, so that an inline `<span class="ticker">AAPL</span>` in a sentence stays.
    static let box = BoilerplateHints(rawValue: 1 << 6)
    /// Overrides `unlikely` and `box` ("article", "body", "content", "main", ...).
    static let maybe = BoilerplateHints(rawValue: 1 << 1)
    /// Raises a container's score.
    static let positive = BoilerplateHints(rawValue: 1 << 2)
    /// Lowers a container's score.
    static let negative = BoilerplateHints(rawValue: 1 << 3)
    /// An author line.
    static let byline = BoilerplateHints(rawValue: 1 << 4)
    /// A share bar ("share" as a word).
    static let share = BoilerplateHints(rawValue: 1 << 5)

    private enum Boundary { case none, nonAlphanumeric, space }

    private struct Pattern {
        var bytes: [UInt8]
        var hints: BoilerplateHints
        var boundary: Boundary
    }

    private static let patterns: [Pattern] = {
        var list: [Pattern] = []
        func add(_ words: String, _ hints: BoilerplateHints, _ boundary: Boundary = .none) {
            for w in words.split(separator: "|") { list.append(Pattern(bytes: Array(w.utf8), hints: hints, boundary: boundary)) }
        }
        add("-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|"
            + "menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|"
            + "pagination|pager|popup|yom-remote", .unlikely)
        add("newsletter|cookie|consent|most-read|mostread|most-popular|mostpopular|ticker|signup|sign-up|modal|dialog",
            .box)
        add("and|article|body|column|content|main|mathjax|shadow", .maybe)
        add("article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story", .positive)
        add("-ad-|hidden|banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|"
            + "scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget", .negative)
        add("hid", .negative, .space)
        add("byline|author|dateline|writtenby|p-author", .byline)
        add("share|sharedaddy", .share, .nonAlphanumeric)
        return list
    }()

    /// Pattern indexes by first byte: each position of the input is checked only against the few that can match.
    private static let byFirstByte: [[Int]] = {
        var table = [[Int]](repeating: [], count: 256)
        for (i, p) in patterns.enumerated() { table[Int(p.bytes[0])].append(i) }
        return table
    }()

    /// The hints in lower-cased ASCII bytes (a class or an id).
    static func scan(_ s: UnsafeBufferPointer<UInt8>) -> BoilerplateHints {
        var found: BoilerplateHints = []
        let n = s.count
        var i = 0
        while i < n {
            for pi in byFirstByte[Int(s[i])] {
                let p = patterns[pi]
                let m = p.bytes.count
                if i + m > n || found.contains(p.hints) { continue }
                var j = 1
                while j < m && s[i + j] == p.bytes[j] { j += 1 }
                if j < m { continue }
                switch p.boundary {
                case .none:
                    break
                case .space:
                    if (i > 0 && s[i - 1] != 32) || (i + m < n && s[i + m] != 32) { continue }
                case .nonAlphanumeric:
                    if (i > 0 && isAlphanumeric(s[i - 1])) || (i + m < n && isAlphanumeric(s[i + m])) { continue }
                }
                found.insert(p.hints)
            }
            i += 1
        }
        return found
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 97 && b <= 122) || b >= 128
    }

    /// Readability's class weight: -25 for a negative hint, +25 for a positive one, for class and id each.
    static func weight(class c: BoilerplateHints, id: BoilerplateHints) -> Float {
        func weight(_ h: BoilerplateHints) -> Float {
            (h.contains(.negative) ? -25 : 0) + (h.contains(.positive) ? 25 : 0)
        }
        return weight(c) + weight(id)
    }
}
