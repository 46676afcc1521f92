import Foundation
import PalimpsestCore

/// How the fetcher behaves on the open web. The defaults are polite.
public struct FetchOptions: Sendable {
    /// Identifies the client; names Palimpsest and its version unless overridden.
    public var userAgent: String
    /// The product token looked up in robots.txt ("palimpsest"; the `*` group applies when none names it).
    public var robotsToken: String
    /// Seconds to establish a connection (TLS included).
    public var connectTimeout: Double
    /// Seconds for a whole exchange (one hop), body included.
    public var totalTimeout: Double
    /// An exchange receiving less than one byte a second for this many seconds is abandoned.
    public var stallTimeout: Double
    /// Bodies larger than this (after decompression) are stopped while downloading.
    public var maxBodyBytes: Int
    /// Response headers larger than this, or more lines than `maxHeaderCount`, stop the transfer.
    public var maxHeaderBytes: Int
    public var maxHeaderCount: Int
    /// Redirects followed before giving up.
    public var maxRedirects: Int
    /// Minimum seconds between the starts of two requests to the same host, across concurrent fetches.
    /// A larger robots.txt Crawl-delay (up to a minute) wins when robots.txt is respected.
    public var perHostDelay: Double
    /// Fetch and obey each origin's robots.txt.
    public var respectRobots: Bool
    /// How many times a 429 or 503 is retried.
    public var maxRetries: Int
    /// Backoff starts here (seconds) and doubles at each retry, with jitter; a Retry-After header wins.
    public var backoffBase: Double
    /// A wait longer than this (a Retry-After of an hour, say) is not waited for: the response is returned.
    public var maxRetryWait: Double
    /// A Netscape-format cookie file, read before the first request.
    public var cookieFile: String?
    /// Write the cookies back to `cookieFile` after each fetch (off: the file is only read).
    public var writeCookies: Bool

    public init(userAgent: String = PalimpsestVersion.userAgent, robotsToken: String = "palimpsest",
                connectTimeout: Double = 15, totalTimeout: Double = 60, stallTimeout: Double = 20,
                maxBodyBytes: Int = 32 << 20, maxHeaderBytes: Int = 256 << 10, maxHeaderCount: Int = 1000,
                maxRedirects: Int = 10, perHostDelay: Double = 2, respectRobots: Bool = true, maxRetries: Int = 4,
                backoffBase: Double = 2, maxRetryWait: Double = 300, cookieFile: String? = nil,
                writeCookies: Bool = false) {
        self.userAgent = userAgent
        self.robotsToken = robotsToken
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.stallTimeout = stallTimeout
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxRedirects = maxRedirects
        self.perHostDelay = perHostDelay
        self.respectRobots = respectRobots
        self.maxRetries = maxRetries
        self.backoffBase = backoffBase
        self.maxRetryWait = maxRetryWait
        self.cookieFile = cookieFile
        self.writeCookies = writeCookies
    }

    /// The libcurl settings for page fetches.
    var curlSettings: CurlSettings {
        CurlSettings(userAgent: userAgent, connectTimeout: connectTimeout, totalTimeout: totalTimeout,
                     stallTimeout: stallTimeout, maxBodyBytes: maxBodyBytes, maxHeaderBytes: maxHeaderBytes,
                     maxHeaderCount: maxHeaderCount, cookieFile: cookieFile,
                     cookieJar: writeCookies ? cookieFile : nil)
    }

    /// The libcurl settings for robots.txt: no cookies, and the 500 KiB RFC 9309 asks crawlers to read.
    var robotsCurlSettings: CurlSettings {
        CurlSettings(userAgent: userAgent, connectTimeout: connectTimeout, totalTimeout: totalTimeout,
                     stallTimeout: stallTimeout, maxBodyBytes: min(maxBodyBytes, 512 << 10),
                     maxHeaderBytes: maxHeaderBytes, maxHeaderCount: maxHeaderCount, cookieFile: nil, cookieJar: nil)
    }
}

/// The validators of a previous response, for a conditional request.
public struct Validators: Sendable, Hashable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    /// The validators a response carries (nil when it has none).
    public init?(_ response: HTTPResponse) {
        guard response.etag != nil || response.lastModified != nil else { return nil }
        self.init(etag: response.etag, lastModified: response.lastModified)
    }

    /// If-None-Match and If-Modified-Since.
    var requestHeaders: [HTTPHeader] {
        var headers: [HTTPHeader] = []
        if let etag, !etag.isEmpty { headers.append(HTTPHeader("If-None-Match", etag)) }
        if let lastModified, !lastModified.isEmpty { headers.append(HTTPHeader("If-Modified-Since", lastModified)) }
        return headers
    }
}
