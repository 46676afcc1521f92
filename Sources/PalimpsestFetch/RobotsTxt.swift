import Foundation

/// A parsed robots.txt (RFC 9309): groups of user agents with Allow and Disallow rules; the longest
/// matching rule wins, Allow on a tie; `*` matches any run of characters and `$` anchors the end.
public struct RobotsTxt: Sendable, Hashable {
    struct Rule: Sendable, Hashable {
        var allow: Bool
        var pattern: String
    }
    struct Group: Sendable, Hashable {
        var agents: [String]
        var rules: [Rule]
        var crawlDelay: Double?
    }

    var groups: [Group]

    /// Everything allowed (no robots.txt, or a 4xx for it).
    public static let allowAll = RobotsTxt(groups: [])

    init(groups: [Group]) {
        self.groups = groups
    }

    public init(parsing text: String) {
        var groups: [Group] = []
        var current: Group?
        var lastWasAgent = false
        var text = Substring(text)
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                if lastWasAgent, current != nil {
                    current!.agents.append(value.lowercased())
                } else {
                    if let g = current { groups.append(g) }
                    current = Group(agents: [value.lowercased()], rules: [])
                }
                lastWasAgent = true
            case "allow", "disallow":
                lastWasAgent = false
                guard current != nil else { continue }
                if key == "disallow" && value.isEmpty { continue }  // "Disallow:" allows everything
                current!.rules.append(Rule(allow: key == "allow", pattern: value))
            case "crawl-delay":
                lastWasAgent = false
                current?.crawlDelay = Double(value)
            default:
                lastWasAgent = false
            }
        }
        if let g = current { groups.append(g) }
        self.groups = groups
    }

    /// The groups that apply to a product token: those naming it (case-insensitively, by the product token
    /// at the start of the User-agent line), else the `*` groups. Several matching groups merge (RFC 9309).
    func groups(for token: String) -> [Group] {
        let t = token.lowercased()
        let named = groups.filter { $0.agents.contains { RobotsTxt.productToken($0) == t } }
        return named.isEmpty ? groups.filter { $0.agents.contains("*") } : named
    }

    /// "palimpsest/1.0 (+https://...)" → "palimpsest".
    static func productToken(_ agent: String) -> String {
        String(agent.prefix { $0.isLetter || $0 == "_" || $0 == "-" })
    }

    func rules(for token: String) -> [Rule] {
        groups(for: token).flatMap(\.rules)
    }

    /// The Crawl-delay that applies, if any (not in RFC 9309, but widely used).
    public func crawlDelay(for token: String) -> Double? {
        groups(for: token).compactMap(\.crawlDelay).max()
    }

    /// Whether `token` may fetch `path` (path and query, percent-encoded as requested).
    public func allows(_ path: String, for token: String) -> Bool {
        if path == "/robots.txt" { return true }
        var best: Rule?
        for rule in rules(for: token) where RobotsTxt.matches(rule.pattern, path) {
            if let b = best {
                let (length, bestLength) = (rule.pattern.utf8.count, b.pattern.utf8.count)
                if length > bestLength || (length == bestLength && rule.allow) {
                    best = rule
                }
            } else {
                best = rule
            }
        }
        return best?.allow ?? true
    }

    /// Pattern matching with `*` (any run) and a trailing `$` (end of path); otherwise a prefix match.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var p = Array(pattern.unicodeScalars)
        if p.last == "$" { p.removeLast() } else { p.append("*") }
        let s = Array(path.unicodeScalars)
        var pi = 0, si = 0, star = -1, mark = 0
        while si < s.count {
            if pi < p.count && p[pi] == "*" {
                star = pi
                mark = si
                pi += 1
            } else if pi < p.count && p[pi] == s[si] {
                pi += 1
                si += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                si = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
