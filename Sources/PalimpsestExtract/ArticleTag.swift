import PalimpsestHTML

/// The element names the article extractor tells apart; everything else is `.other`.
enum ArticleTag: UInt8 {
    case other, html, body, div, p, section, article, main, header, footer, nav, aside
    case h1, h2, h3, h4, h5, h6
    case td, th, tr, table, thead, tbody, caption, pre, code, blockquote
    case ul, ol, li, dl, dd, dt, address, figure, figcaption, details, summary, center, hr, br
    case a, del, ins, span, img, picture, input, form, fieldset, object, embed, iframe, video
    /// Never text of an article: scripts, styles, forms controls, embedded documents, head elements.
    /// (MathML is text: formulas are part of the article.)
    case script, style, noscript, template, svg, canvas, button, select, textarea, option, label
    case head, title, meta, link, dialog
    /// Other block containers: menu, hgroup, tfoot, legend. (Custom elements count as phrasing, as unknown
    /// names do: a block inside them still starts its own block.)
    case block

    /// The names told apart (libxml2 gives HTML element names in lower case); any other name is `.other`.
    static let names: [(String, ArticleTag)] = [
        ("html", .html), ("body", .body), ("div", .div), ("p", .p), ("section", .section), ("article", .article),
        ("main", .main), ("header", .header), ("footer", .footer), ("nav", .nav), ("aside", .aside), ("h1", .h1),
        ("h2", .h2), ("h3", .h3), ("h4", .h4), ("h5", .h5), ("h6", .h6), ("td", .td), ("th", .th), ("tr", .tr),
        ("table", .table), ("thead", .thead), ("tbody", .tbody), ("caption", .caption), ("pre", .pre),
        ("code", .code), ("blockquote", .blockquote), ("ul", .ul), ("ol", .ol), ("li", .li), ("dl", .dl),
        ("dd", .dd), ("dt", .dt), ("address", .address), ("figure", .figure), ("figcaption", .figcaption),
        ("details", .details), ("summary", .summary), ("center", .center), ("hr", .hr), ("br", .br), ("a", .a),
        ("del", .del), ("ins", .ins), ("span", .span), ("img", .img), ("picture", .picture), ("input", .input),
        ("form", .form), ("fieldset", .fieldset), ("object", .object), ("embed", .embed), ("iframe", .iframe),
        ("video", .video), ("script", .script), ("style", .style), ("noscript", .noscript), ("template", .template),
        ("svg", .svg), ("canvas", .canvas), ("button", .button), ("select", .select), ("textarea", .textarea),
        ("option", .option), ("label", .label), ("head", .head), ("title", .title), ("meta", .meta), ("link", .link),
        ("dialog", .dialog), ("menu", .block), ("hgroup", .block), ("tfoot", .block), ("legend", .block),
        ("search", .block), ("frameset", .block), ("frame", .block)
    ]

    /// Names of up to eight bytes packed in an integer: looking a tag up builds no String (this runs for
    /// every element of every pass).
    private static let byKey: [UInt64: ArticleTag] = {
        var out: [UInt64: ArticleTag] = [:]
        for (name, tag) in names where name.utf8.count <= 8 {
            out[Array(name.utf8).withUnsafeBufferPointer(HTMLNode.nameKey)!] = tag
        }
        return out
    }()
    private static let longNames: [String: ArticleTag] = Dictionary(
        names.filter { $0.0.utf8.count > 8 }, uniquingKeysWith: { a, _ in a })

    init(_ node: HTMLNode) {
        self = node.withNameBytes { bytes in
            if let key = HTMLNode.nameKey(bytes) { return ArticleTag.byKey[key] ?? .other }
            return ArticleTag.longNames[String(decoding: bytes, as: UTF8.self)] ?? .other
        } ?? .other
    }

    /// Elements whose whole subtree is never article text. (Navigation, asides and footers are scored
    /// with the page, as Readability does, then cut out of the article by `ArticleTree.clean`.)
    var neverText: Bool {
        switch self {
        case .script, .style, .noscript, .template, .svg, .canvas, .button, .select, .textarea, .option,
             .head, .title, .meta, .link, .iframe, .object, .embed, .dialog:
            return true
        default:
            return false
        }
    }

    var isHeading: Bool {
        switch self {
        case .h1, .h2, .h3, .h4, .h5, .h6: return true
        default: return false
        }
    }

    /// The elements whose presence below a div keeps it a container (Readability's DIV_TO_P_ELEMS).
    var makesDivAContainer: Bool {
        switch self {
        case .blockquote, .dl, .div, .img, .ol, .p, .pre, .table, .ul: return true
        default: return false
        }
    }

    /// Phrasing content: flows inside a paragraph rather than starting one.
    var isPhrasing: Bool {
        switch self {
        case .a, .del, .ins, .span, .img, .picture, .input, .code, .br, .label, .object, .embed, .video, .other:
            return true
        default:
            return false
        }
    }

    /// Tags counted as "textish" by the conditional cleaning (span, li, td and the div-to-p tags).
    var isTextish: Bool {
        switch self {
        case .span, .li, .td: return true
        default: return makesDivAContainer
        }
    }

    /// The score an element starts with when it becomes a candidate container.
    var baseScore: Float {
        switch self {
        case .div: return 5
        case .pre, .td, .blockquote: return 3
        case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: return -3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: return -5
        default: return 0
        }
    }
}
