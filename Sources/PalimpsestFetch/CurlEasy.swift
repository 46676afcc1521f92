import CCurl
import Foundation
import PalimpsestCore

/// What one HTTP exchange (one hop, no redirect following) gave.
struct CurlExchange {
    var status: Int
    var statusLine: String
    var headers: [HTTPHeader]
    var body: Data
    var timings: Timings
    var requestHeaders: [HTTPHeader]
}

/// Settings for one exchange.
struct CurlRequest {
    var url: String
    var headers: [HTTPHeader]
    var userAgent: String
    var connectTimeout: Double
    var totalTimeout: Double
    /// Abort when no byte arrives for this long.
    var stallTimeout: Double
    var maxBodyBytes: Int
    var maxHeaderBytes: Int
    var maxHeaderCount: Int
    var cookieFile: String?
    var cookieJar: String?
}

/// A libcurl easy handle for one exchange: it owns the handle, its header list and its error buffer, and
/// frees them in `deinit`. Every libcurl call of the package is in this file.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    /// libcurl's one-time global set-up, before any handle exists.
    private static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    /// The features this libcurl build offers, for `palimpsest fetch --version`-like reports.
    static var versionDescription: String {
        _ = globalInit
        return String(cString: curl_version())
    }

    init() throws {
        _ = CurlEasy.globalInit
        guard let h = curl_easy_init() else { throw CurlSetupError() }
        handle = h
        errorBuffer.initialize(to: 0)
    }

    deinit {
        curl_easy_cleanup(handle)
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// Runs one exchange, blocking the calling thread. Throws `FetchFailure` with curl's code and message.
    func perform(_ request: CurlRequest) throws -> CurlExchange {
        let sink = ResponseSink(maxBody: request.maxBodyBytes, maxHeaderBytes: request.maxHeaderBytes,
                                maxHeaderCount: request.maxHeaderCount)
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }

        setString(CURLOPT_URL, request.url)
        setString(CURLOPT_PROTOCOLS_STR, "http,https")
        setString(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        setLong(CURLOPT_FOLLOWLOCATION, 0)
        setLong(CURLOPT_NOSIGNAL, 1)
        setString(CURLOPT_ACCEPT_ENCODING, "")  // every encoding this build decodes
        setLong(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        setLong(CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000))
        setLong(CURLOPT_TIMEOUT_MS, Int(request.totalTimeout * 1000))
        setLong(CURLOPT_LOW_SPEED_LIMIT, 1)
        setLong(CURLOPT_LOW_SPEED_TIME, max(1, Int(request.stallTimeout.rounded(.up))))
        palimpsest_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxBodyBytes))
        setString(CURLOPT_USERAGENT, request.userAgent)
        palimpsest_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        if let cookieFile = request.cookieFile { setString(CURLOPT_COOKIEFILE, cookieFile) }
        if let jar = request.cookieJar { setString(CURLOPT_COOKIEJAR, jar) }

        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        for h in request.headers { headerList = curl_slist_append(headerList, "\(h.name): \(h.value)") }
        palimpsest_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)

        let context = unmanaged.toOpaque()
        palimpsest_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION, curlWrite)
        palimpsest_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        palimpsest_curl_setopt_write(handle, CURLOPT_HEADERFUNCTION, curlHeader)
        palimpsest_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)

        let code = curl_easy_perform(handle)
        let timings = Timings(nameLookup: getDouble(CURLINFO_NAMELOOKUP_TIME), connect: getDouble(CURLINFO_CONNECT_TIME),
                              firstByte: getDouble(CURLINFO_STARTTRANSFER_TIME), total: getDouble(CURLINFO_TOTAL_TIME))
        if code != CURLE_OK {
            throw failure(code, sink: sink, request: request)
        }
        var status = 0
        var s: Int = 0
        if palimpsest_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &s) == CURLE_OK { status = s }
        var sent = [HTTPHeader("User-Agent", request.userAgent)]
        sent += request.headers
        return CurlExchange(status: status, statusLine: sink.statusLine, headers: sink.headers, body: sink.body,
                            timings: timings, requestHeaders: sent)
    }

    private func failure(_ code: CURLcode, sink: ResponseSink, request: CurlRequest) -> FetchFailure {
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let reason: FetchFailure.Reason
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL: reason = .refusedScheme
        case CURLE_URL_MALFORMAT: reason = .invalidURL
        case CURLE_OPERATION_TIMEDOUT: reason = .timeout
        case CURLE_FILESIZE_EXCEEDED: reason = .tooLarge
        case CURLE_WRITE_ERROR where sink.overflow != nil: reason = .tooLarge
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_BAD_CONTENT_ENCODING, CURLE_HTTP2,
             CURLE_HTTP2_STREAM:
            reason = .truncated
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION,
             CURLE_SEND_ERROR:
            reason = .network
        default: reason = .other
        }
        var text = message
        if let overflow = sink.overflow { text = overflow }
        else if reason == .tooLarge { text = "the body is larger than the limit of \(request.maxBodyBytes) bytes" }
        else if reason == .truncated { text = "the transfer was cut short: \(message)" }
        return FetchFailure(reason, url: request.url, message: text, curlCode: Int(code.rawValue))
    }

    private func setLong(_ option: CURLoption, _ value: Int) {
        palimpsest_curl_setopt_long(handle, option, value)
    }

    private func setString(_ option: CURLoption, _ value: String) {
        palimpsest_curl_setopt_string(handle, option, value)  // libcurl copies strings
    }

    private func getDouble(_ info: CURLINFO) -> Double {
        var v: Double = 0
        return palimpsest_curl_getinfo_double(handle, info, &v) == CURLE_OK ? v : 0
    }
}

struct CurlSetupError: Error, CustomStringConvertible {
    var description: String { "libcurl could not create a handle" }
}

/// Collects one response's status line, headers and body, enforcing the limits while downloading.
final class ResponseSink {
    let maxBody: Int
    let maxHeaderBytes: Int
    let maxHeaderCount: Int
    var statusLine = ""
    var headers: [HTTPHeader] = []
    var body = Data()
    var headerBytes = 0
    /// Why the transfer was stopped by a limit.
    var overflow: String?

    init(maxBody: Int, maxHeaderBytes: Int, maxHeaderCount: Int) {
        self.maxBody = maxBody
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
    }

    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if body.count + bytes.count > maxBody {
            overflow = "the body is larger than the limit of \(maxBody) bytes (stopped while downloading)"
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    func appendHeader(_ bytes: UnsafeRawBufferPointer) -> Bool {
        headerBytes += bytes.count
        if headerBytes > maxHeaderBytes || headers.count > maxHeaderCount {
            overflow = "the response headers exceed the limit (\(maxHeaderBytes) bytes, \(maxHeaderCount) lines)"
            return false
        }
        var line = String(decoding: bytes, as: UTF8.self)
        while let last = line.unicodeScalars.last, last == "\r" || last == "\n" {
            line.unicodeScalars.removeLast()
        }
        if line.hasPrefix("HTTP/") {
            // A new response (an interim 1xx before the final one): start over.
            statusLine = line
            headers = []
        } else if let colon = line.firstIndex(of: ":") {
            headers.append(HTTPHeader(String(line[..<colon]),
                                      line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return true
    }
}

private func curlWrite(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    return sink.appendBody(UnsafeRawBufferPointer(start: data, count: n)) ? n : 0
}

private func curlHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    return sink.appendHeader(UnsafeRawBufferPointer(start: data, count: n)) ? n : 0
}
