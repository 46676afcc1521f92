import Foundation
import PalimpsestCore

/// WARC 1.1 records of raw captures: a warcinfo record, then for each response a request record and a
/// response record (readable by warcio, replayable by pywb).
///
/// The store keeps bodies as received after transfer decoding (gzip, br, zstd undone by libcurl). So that
/// readers do not try to decode them again, the response record drops `Content-Encoding` and
/// `Transfer-Encoding` (kept as `X-Palimpsest-Original-Content-Encoding` / `...-Transfer-Encoding`) and
/// sets `Content-Length` to the body's length. Everything else is as received.
public struct WARCWriter {
    private var output: (Data) throws -> Void

    public init(output: @escaping (Data) throws -> Void) {
        self.output = output
    }

    public func warcinfo(date: Date, software: String) throws {
        let fields = "software: \(software)\r\nformat: WARC File Format 1.1\r\n"
            + "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
        try record(type: "warcinfo", uri: nil, date: date, contentType: "application/warc-fields",
                   block: Data(fields.utf8))
    }

    /// Writes the request and the response of one capture's response.
    public func write(_ r: HTTPResponse, capturedAt: Date) throws {
        let responseID = WARCWriter.newID()
        // The request as sent.
        var request = "GET \(WARCWriter.requestTarget(r.finalURL)) HTTP/1.1\r\n"
        var headers = r.requestHeaders
        if headers.value(of: "Host") == nil, let host = URL(string: r.finalURL)?.host {
            headers.insert(HTTPHeader("Host", host), at: 0)
        }
        for h in headers { request += "\(h.name): \(h.value)\r\n" }
        request += "\r\n"
        // The response, re-encoded for readers.
        var head = (r.statusLine.isEmpty ? "HTTP/1.1 \(r.status)" : r.statusLine) + "\r\n"
        for h in r.headers {
            switch h.name.lowercased() {
            case "content-encoding", "transfer-encoding":
                head += "X-Palimpsest-Original-\(h.name): \(h.value)\r\n"
            case "content-length":
                continue
            default:
                head += "\(h.name): \(h.value)\r\n"
            }
        }
        head += "Content-Length: \(r.body.count)\r\n\r\n"
        var block = Data(head.utf8)
        block.append(r.body)
        try record(type: "response", uri: r.finalURL, date: capturedAt, contentType: "application/http;msgtype=response",
                   block: block, id: responseID)
        try record(type: "request", uri: r.finalURL, date: capturedAt, contentType: "application/http;msgtype=request",
                   block: Data(request.utf8), extra: ["WARC-Concurrent-To: <\(responseID)>"])
    }

    private func record(type: String, uri: String?, date: Date, contentType: String, block: Data,
                        id: String = WARCWriter.newID(), extra: [String] = []) throws {
        var head = "WARC/1.1\r\nWARC-Type: \(type)\r\nWARC-Record-ID: <\(id)>\r\n"
        head += "WARC-Date: \(ISOTime.format(date))\r\n"
        if let uri { head += "WARC-Target-URI: \(uri)\r\n" }
        for e in extra { head += e + "\r\n" }
        head += "Content-Type: \(contentType)\r\nContent-Length: \(block.count)\r\n\r\n"
        var data = Data(head.utf8)
        data.append(block)
        data.append(Data("\r\n\r\n".utf8))
        try output(data)
    }

    static func newID() -> String { "urn:uuid:" + UUID().uuidString.lowercased() }

    static func requestTarget(_ url: String) -> String {
        guard let c = URLComponents(string: url) else { return "/" }
        let path = c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath
        return c.percentEncodedQuery.map { path + "?" + $0 } ?? path
    }
}
