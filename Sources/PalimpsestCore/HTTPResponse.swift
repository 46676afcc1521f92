import Foundation

/// One response header, in the order received (names keep their case; compare case-insensitively).
public struct HTTPHeader: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == HTTPHeader {
    /// The last value of a header, compared case-insensitively.
    public func value(of name: String) -> String? {
        last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// One hop of a redirect chain: the URL requested and the status it answered with.
public struct Redirect: Sendable, Hashable, Codable {
    public var url: String
    public var status: Int
    public var location: String
    public init(url: String, status: Int, location: String) {
        self.url = url
        self.status = status
        self.location = location
    }
}

/// How long the parts of a transfer took, in seconds.
public struct Timings: Sendable, Hashable, Codable {
    public var nameLookup: Double = 0
    public var connect: Double = 0
    public var firstByte: Double = 0
    public var total: Double = 0
    public init(nameLookup: Double = 0, connect: Double = 0, firstByte: Double = 0, total: Double = 0) {
        self.nameLookup = nameLookup
        self.connect = connect
        self.firstByte = firstByte
        self.total = total
    }
}

/// A response as received: what a capture keeps, byte for byte.
public struct HTTPResponse: Sendable, Hashable {
    /// The URL asked for.
    public var requestedURL: String
    /// The URL of the last response, after redirects.
    public var finalURL: String
    public var redirects: [Redirect]
    public var status: Int
    /// The status line and headers of the final response, in order.
    public var statusLine: String
    public var headers: [HTTPHeader]
    /// The body as received (after transfer decoding: gzip/br/zstd undone), never altered.
    public var body: Data
    /// The body decoded to text (see `charset`).
    public var text: String
    /// The charset used to decode the body, and where it was found ("header", "meta", "bom", "default").
    public var charset: String
    public var charsetSource: String
    public var timings: Timings
    /// The request headers sent (for WARC request records).
    public var requestHeaders: [HTTPHeader]

    public init(requestedURL: String, finalURL: String, redirects: [Redirect] = [], status: Int,
                statusLine: String = "", headers: [HTTPHeader] = [], body: Data = Data(), text: String = "",
                charset: String = "utf-8", charsetSource: String = "default", timings: Timings = Timings(),
                requestHeaders: [HTTPHeader] = []) {
        self.requestedURL = requestedURL
        self.finalURL = finalURL
        self.redirects = redirects
        self.status = status
        self.statusLine = statusLine.isEmpty ? "HTTP/1.1 \(status)" : statusLine
        self.headers = headers
        self.body = body
        self.text = text
        self.charset = charset
        self.charsetSource = charsetSource
        self.timings = timings
        self.requestHeaders = requestHeaders
    }

    public var etag: String? { headers.value(of: "ETag") }
    public var lastModified: String? { headers.value(of: "Last-Modified") }
    public var contentType: String? { headers.value(of: "Content-Type") }
    /// 304: the page is as it was at the previous capture.
    public var isNotModified: Bool { status == 304 }
}

/// A fetch that produced no usable response: what failed, where, and libcurl's code and message.
public struct FetchFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable, Codable {
        case refusedScheme = "refused-scheme"
        case invalidURL = "invalid-url"
        case robotsDisallowed = "robots-disallowed"
        case tooManyRedirects = "too-many-redirects"
        case redirectLoop = "redirect-loop"
        case tooLarge = "too-large"
        case timeout
        case truncated
        case network
        case httpStatus = "http-status"
        case other
    }

    public var reason: Reason
    public var url: String
    public var message: String
    /// libcurl's CURLcode, where libcurl failed.
    public var curlCode: Int?
    /// The HTTP status, where a status made it fail (a 429 after the last retry, say).
    public var status: Int?
    public var redirects: [Redirect]

    public init(_ reason: Reason, url: String, message: String, curlCode: Int? = nil, status: Int? = nil,
                redirects: [Redirect] = []) {
        self.reason = reason
        self.url = url
        self.message = message
        self.curlCode = curlCode
        self.status = status
        self.redirects = redirects
    }

    public var description: String {
        var s = "\(url): \(message)"
        if let curlCode { s += " (curl error \(curlCode))" }
        return s
    }
}
