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

    init(_ node: HTMLNode) {
        switch node.name {
        case "html": self = .html
        case "body": self = .body
        case "div": self = .div
        case "p": self = .p
        case "section": self = .section
        case "article": self = .article
        case "main": self = .main
        case "header": self = .header
        case "footer": self = .footer
        case "nav": self = .nav
        case "aside": self = .aside
        case "h1": self = .h1
        case "h2": self = .h2
        case "h3": self = .h3
        case "h4": self = .h4
        case "h5": self = .h5
        case "h6": self = .h6
        case "td": self = .td
        case "th": self = .th
        case "tr": self = .tr
        case "table": self = .table
        case "thead": self = .thead
        case "tbody": self = .tbody
        case "caption": self = .caption
        case "pre": self = .pre
        case "code": self = .code
        case "blockquote": self = .blockquote
        case "ul": self = .ul
        case "ol": self = .ol
        case "li": self = .li
        case "dl": self = .dl
        case "dd": self = .dd
        case "dt": self = .dt
        case "address": self = .address
        case "figure": self = .figure
        case "figcaption": self = .figcaption
        case "details": self = .details
        case "summary": self = .summary
        case "center": self = .center
        case "hr": self = .hr
        case "br": self = .br
        case "a": self = .a
        case "del": self = .del
        case "ins": self = .ins
        case "span": self = .span
        case "img": self = .img
        case "picture": self = .picture
        case "input": self = .input
        case "form": self = .form
        case "fieldset": self = .fieldset
        case "object": self = .object
        case "embed": self = .embed
        case "iframe": self = .iframe
        case "video": self = .video
        case "script": self = .script
        case "style": self = .style
        case "noscript": self = .noscript
        case "template": self = .template
        case "svg": self = .svg
        case "canvas": self = .canvas
        case "button": self = .button
        case "select": self = .select
        case "textarea": self = .textarea
        case "option": self = .option
        case "label": self = .label
        case "head": self = .head
        case "title": self = .title
        case "meta": self = .meta
        case "link": self = .link
        case "dialog": self = .dialog
        case "menu", "hgroup", "tfoot", "legend", "search", "frameset", "frame": self = .block
        default: self = .other
        }
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
