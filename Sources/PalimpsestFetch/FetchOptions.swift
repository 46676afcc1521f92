import Foundation
import PalimpsestCore

/// How the fetcher behaves on the open web. The defaults are polite.
public struct FetchOptions: Sendable {
    /// Identifies the client; names Palimpsest and its version unless overridden.
    public var userAgent = PalimpsestVersion.userAgent
    /// The product token matched against robots.txt groups.
    public var robotsToken = "palimpsest"
    public var connectTimeout: Double = 15
    public var totalTimeout: Double = 60
    /// A transfer that receives nothing for this long is abandoned.
    public var stallTimeout: Double = 20
    /// Bodies larger than this (after decompression) are stopped while downloading.
    public var maxBodyBytes = 32 << 20
    public var maxHeaderBytes = 256 << 10
    public var maxHeaderCount = 1000
    public var maxRedirects = 10
    /// Minimum seconds between two requests to the same host (scheme, host and port).
    public var perHostDelay: Double = 2
    public var respectRobots = true
    /// How many times a 429 or 503 is retried.
    public var maxRetries = 4
    /// Backoff starts here and doubles, with jitter; Retry-After wins when given.
    public var backoffBase: Double = 2
    /// A wait longer than this (a Retry-After of an hour, say) is not waited for: the response is returned.
    public var maxRetryWait: Double = 300
    /// A Netscape-format cookie file, read before the request.
    public var cookieFile: String?
    /// Write cookies back to `cookieFile` after each exchange (off: the file is only read).
    public var writeCookies = false

    public init() {}
}

/// The validators of a previous response, for a conditional request.
public struct Validators: Sendable, Hashable {
    public var etag: String?
    public var lastModified: String?
    public init(etag: String?, lastModified: String?) {
        self.etag = etag
        self.lastModified = lastModified
    }
}
