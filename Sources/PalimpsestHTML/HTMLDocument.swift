import CLibXML2
import Foundation

/// A parse failure: libxml2 gave no document at all (empty or unreadable input).
public struct HTMLParseError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// An HTML document parsed by libxml2's recovering HTML parser. It owns the libxml2 document and its
/// XPath context, and frees them in `deinit`. Every `HTMLNode` taken from it is valid only while the
/// document lives: keep the document in scope while you walk its nodes.
///
/// All of the module's libxml2 calls are in this file.
public final class HTMLDocument {
    let doc: htmlDocPtr
    private var context: xmlXPathContextPtr?
    private var compiled: [String: xmlXPathCompExprPtr] = [:]

    /// Parses UTF-8 HTML. Broken markup is recovered, never fatal; the network is never touched.
    public convenience init(html: String, url: String? = nil) throws {
        var html = html
        let parsed: htmlDocPtr? = html.withUTF8 { buffer in
            HTMLDocument.parse(buffer.baseAddress, count: buffer.count, url: url, encoding: "UTF-8")
        }
        guard let parsed else { throw HTMLParseError(message: "libxml2 could not read this input as HTML") }
        self.init(doc: parsed)
    }

    /// Parses raw bytes in the given encoding (an IANA name libxml2 knows), or lets libxml2 detect it.
    public convenience init(data: Data, url: String? = nil, encoding: String? = nil) throws {
        let parsed: htmlDocPtr? = data.withUnsafeBytes { raw in
            HTMLDocument.parse(raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count,
                               url: url, encoding: encoding)
        }
        guard let parsed else { throw HTMLParseError(message: "libxml2 could not read this input as HTML") }
        self.init(doc: parsed)
    }

    /// Parses XML (a feed): recovered where broken, the network never touched, no DTD loaded, entities
    /// left unexpanded (no "billion laughs"), libxml2's default limits on depth and sizes kept.
    public convenience init(xml data: Data, url: String? = nil) throws {
        let parsed: xmlDocPtr? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0, raw.count <= Int(Int32.max) else { return nil }
            palimpsest_xml_silence_errors()
            let options = Int32(XML_PARSE_RECOVER.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                | XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue)
            return xmlReadMemory(base.assumingMemoryBound(to: CChar.self), Int32(raw.count), url, "UTF-8", options)
        }
        guard let parsed else { throw HTMLParseError(message: "libxml2 could not read this input as XML") }
        self.init(doc: parsed)
    }

    private init(doc: htmlDocPtr) {
        self.doc = doc
    }

    private static func parse(_ bytes: UnsafePointer<UInt8>?, count: Int, url: String?, encoding: String?)
        -> htmlDocPtr?
    {
        guard let bytes, count > 0, count <= Int(Int32.max) else { return nil }
        palimpsest_xml_silence_errors()
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
            | Int32(XML_PARSE_HUGE.rawValue)
        return bytes.withMemoryRebound(to: CChar.self, capacity: count) { chars in
            htmlReadMemory(chars, Int32(count), url, encoding, options)
        }
    }

    deinit {
        for expr in compiled.values { xmlXPathFreeCompExpr(expr) }
        if let context { xmlXPathFreeContext(context) }
        xmlFreeDoc(doc)
    }

    /// The <html> element (or whatever root libxml2 built).
    public var root: HTMLNode? {
        xmlDocGetRootElement(doc).map(HTMLNode.init)
    }

    /// The nodes an XPath 1.0 expression selects, in document order, relative to `node` (the document
    /// when nil). An invalid expression selects nothing; use `isValidXPath` to check user rules first.
    public func select(_ xpath: String, from node: HTMLNode? = nil) -> [HTMLNode] {
        guard let result = evaluate(xpath, from: node) else { return [] }
        defer { xmlXPathFreeObject(result) }
        guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval else { return [] }
        let count = Int(set.pointee.nodeNr)
        var nodes: [HTMLNode] = []
        nodes.reserveCapacity(count)
        for i in 0..<count {
            if let n = set.pointee.nodeTab[i] { nodes.append(HTMLNode(n)) }
        }
        return nodes
    }

    /// The first node an XPath expression selects.
    public func first(_ xpath: String, from node: HTMLNode? = nil) -> HTMLNode? {
        select(xpath, from: node).first
    }

    /// The string value of an XPath expression (`string(...)`, `count(...)`, or the first node's text).
    public func string(_ xpath: String, from node: HTMLNode? = nil) -> String? {
        guard let result = evaluate(xpath, from: node) else { return nil }
        defer { xmlXPathFreeObject(result) }
        guard let s = xmlXPathCastToString(result) else { return nil }
        defer { palimpsest_xml_free(s) }
        return String(cString: s)
    }

    /// True when libxml2 compiles the expression.
    public static func isValidXPath(_ xpath: String) -> Bool {
        palimpsest_xml_silence_errors()
        guard let e = xmlXPathCompile(xpath) else { return false }
        xmlXPathFreeCompExpr(e)
        return true
    }

    private func evaluate(_ xpath: String, from node: HTMLNode?) -> xmlXPathObjectPtr? {
        if context == nil { context = xmlXPathNewContext(doc) }
        guard let context else { return nil }
        let expr: xmlXPathCompExprPtr
        if let cached = compiled[xpath] {
            expr = cached
        } else {
            palimpsest_xml_silence_errors()
            guard let e = xmlXPathCompile(xpath) else { return nil }
            compiled[xpath] = e
            expr = e
        }
        context.pointee.node = node?.ptr ?? xmlDocGetRootElement(doc).map { UnsafeMutablePointer($0) }
            ?? UnsafeMutableRawPointer(doc).assumingMemoryBound(to: xmlNode.self)
        return xmlXPathCompiledEval(expr, context)
    }
}

/// A node of an `HTMLDocument` (element, text or comment). Valid only while its document lives.
public struct HTMLNode: Hashable {
    let ptr: xmlNodePtr

    init(_ ptr: xmlNodePtr) {
        self.ptr = ptr
    }

    public var isElement: Bool { ptr.pointee.type == XML_ELEMENT_NODE }
    public var isText: Bool { ptr.pointee.type == XML_TEXT_NODE || ptr.pointee.type == XML_CDATA_SECTION_NODE }
    public var isComment: Bool { ptr.pointee.type == XML_COMMENT_NODE }

    /// The element's name, lower case as libxml2's HTML parser gives it ("div"); "text" for text nodes.
    public var name: String {
        guard let n = ptr.pointee.name else { return "" }
        return String(cString: n)
    }

    /// Calls `body` with the element's name as UTF-8 bytes, in place; nil for a node without a name.
    public func withNameBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        guard let n = ptr.pointee.name else { return nil }
        return try body(UnsafeBufferPointer(start: n, count: strlen(UnsafeRawPointer(n).assumingMemoryBound(to: CChar.self))))
    }

    /// Compares the name without building a String (fast path for tree walks).
    public func hasName(_ candidate: StaticString) -> Bool {
        guard let n = ptr.pointee.name else { return false }
        return candidate.withUTF8Buffer { buf in
            var i = 0
            while i < buf.count {
                if n[i] != buf[i] { return false }
                i += 1
            }
            return n[buf.count] == 0
        }
    }

    /// An attribute's value, nil when absent.
    public func attribute(_ name: String) -> String? {
        guard isElement, let v = xmlGetProp(ptr, name) else { return nil }
        defer { palimpsest_xml_free(v) }
        return String(cString: v)
    }

    /// All attributes, in document order.
    public var attributes: [(name: String, value: String)] {
        guard isElement else { return [] }
        var out: [(String, String)] = []
        var a = ptr.pointee.properties
        while let attr = a {
            let name = String(cString: attr.pointee.name)
            if let v = xmlNodeGetContent(UnsafeMutableRawPointer(attr).assumingMemoryBound(to: xmlNode.self)) {
                out.append((name, String(cString: v)))
                palimpsest_xml_free(v)
            } else {
                out.append((name, ""))
            }
            a = attr.pointee.next
        }
        return out
    }

    /// The text of a text node (nil for others).
    public var ownText: String? {
        guard isText, let c = ptr.pointee.content else { return nil }
        return String(cString: c)
    }

    /// Calls `body` with a text node's UTF-8 bytes, in place (no String is built); nil for other nodes.
    /// For fast text walks: the buffer is valid only during the call.
    public func withTextBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        guard isText, let c = ptr.pointee.content else { return nil }
        return try body(UnsafeBufferPointer(start: c, count: strlen(UnsafeRawPointer(c).assumingMemoryBound(to: CChar.self))))
    }

    /// Calls `body` with an attribute's UTF-8 bytes, in place (no copy is made); nil when the attribute is
    /// absent. For fast checks of `class` and `id` in tree walks: the buffer is valid only during the call.
    public func withAttributeBytes<R>(_ name: StaticString, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows
        -> R?
    {
        guard isElement else { return nil }
        var a = ptr.pointee.properties
        while let attr = a {
            let matches = name.withUTF8Buffer { buf -> Bool in
                guard let n = attr.pointee.name else { return false }
                var i = 0
                while i < buf.count {
                    if n[i] != buf[i] { return false }
                    i += 1
                }
                return n[buf.count] == 0
            }
            if matches {
                var copy: UnsafeMutablePointer<xmlChar>?
                defer { if let copy { palimpsest_xml_free(copy) } }
                return try body(HTMLNode.value(attr, copy: &copy))
            }
            a = attr.pointee.next
        }
        return nil
    }

    /// Calls `body` with the id and the class as UTF-8 bytes in place (nil when absent, empty for a bare
    /// attribute), both found in one pass over the attributes: for scans that test both on every element.
    /// The buffers are valid only during the call.
    public func withIDAndClass<R>(_ body: (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?) throws -> R)
        rethrows -> R
    {
        guard isElement else { return try body(nil, nil) }
        var id: UnsafeBufferPointer<UInt8>?
        var cls: UnsafeBufferPointer<UInt8>?
        var copies: (UnsafeMutablePointer<xmlChar>?, UnsafeMutablePointer<xmlChar>?) = (nil, nil)
        defer {
            if let c = copies.0 { palimpsest_xml_free(c) }
            if let c = copies.1 { palimpsest_xml_free(c) }
        }
        var a = ptr.pointee.properties
        while let attr = a, id == nil || cls == nil {
            if let n = attr.pointee.name {
                // The first of each, as `withAttributeBytes` reads them.
                if id == nil, n[0] == 0x69, n[1] == 0x64, n[2] == 0 {
                    id = HTMLNode.value(attr, copy: &copies.0)
                } else if cls == nil, n[0] == 0x63, n[1] == 0x6C, n[2] == 0x61, n[3] == 0x73, n[4] == 0x73, n[5] == 0 {
                    cls = HTMLNode.value(attr, copy: &copies.1)
                }
            }
            a = attr.pointee.next
        }
        return try body(id, cls)
    }

    /// An attribute's value in place (HTML attributes hold one text child; none for a bare attribute like
    /// `hidden`), or else a copy libxml2 makes, handed back in `copy` to be freed.
    private static func value(_ attr: xmlAttrPtr, copy: inout UnsafeMutablePointer<xmlChar>?) -> UnsafeBufferPointer<UInt8> {
        if let child = attr.pointee.children, child.pointee.next == nil, child.pointee.type == XML_TEXT_NODE,
           let c = child.pointee.content
        {
            return UnsafeBufferPointer(start: c, count: strlen(UnsafeRawPointer(c).assumingMemoryBound(to: CChar.self)))
        }
        guard attr.pointee.children != nil,
              let v = xmlNodeGetContent(UnsafeMutableRawPointer(attr).assumingMemoryBound(to: xmlNode.self))
        else { return UnsafeBufferPointer(start: nil, count: 0) }
        copy = v
        return UnsafeBufferPointer(start: v, count: strlen(UnsafeRawPointer(v).assumingMemoryBound(to: CChar.self)))
    }

    /// True when the element has at least one attribute.
    public var hasAttributes: Bool { isElement && ptr.pointee.properties != nil }

    /// True when the element has the attribute (with or without a value).
    public func hasAttribute(_ name: StaticString) -> Bool {
        withAttributeBytes(name) { _ in true } ?? false
    }

    /// All the text below this node, concatenated as libxml2 gives it (scripts included: see extract's text walk).
    public var textContent: String {
        guard let c = xmlNodeGetContent(ptr) else { return "" }
        defer { palimpsest_xml_free(c) }
        return String(cString: c)
    }

    public var parent: HTMLNode? {
        guard let p = ptr.pointee.parent, p.pointee.type == XML_ELEMENT_NODE else { return nil }
        return HTMLNode(p)
    }

    public var firstChild: HTMLNode? { ptr.pointee.children.map(HTMLNode.init) }
    public var nextSibling: HTMLNode? { ptr.pointee.next.map(HTMLNode.init) }
    public var previousSibling: HTMLNode? { ptr.pointee.prev.map(HTMLNode.init) }

    /// Child nodes of every kind, in order.
    public var children: HTMLChildren { HTMLChildren(first: ptr.pointee.children) }

    /// Element children only.
    public var elementChildren: [HTMLNode] { children.filter(\.isElement) }

    /// True when this node comes before `other` in document order.
    public func precedes(_ other: HTMLNode) -> Bool {
        xmlXPathCmpNodes(ptr, other.ptr) == 1
    }

    /// The 1-based line where libxml2 saw the node start (0 when unknown).
    public var line: Int { Int(xmlGetLineNo(ptr)) }

    /// The node serialised back to HTML (for debugging and rules development).
    public var outerHTML: String {
        guard let buf = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buf) }
        htmlNodeDump(buf, ptr.pointee.doc, ptr)
        guard let content = xmlBufferContent(buf) else { return "" }
        return String(cString: content)
    }
}

/// The children of a node as a sequence (no array is built).
public struct HTMLChildren: Sequence {
    let first: xmlNodePtr?

    public struct Iterator: IteratorProtocol {
        var current: xmlNodePtr?
        public mutating func next() -> HTMLNode? {
            guard let c = current else { return nil }
            current = c.pointee.next
            return HTMLNode(c)
        }
    }

    public func makeIterator() -> Iterator { Iterator(current: first) }
}
