import CCurl
import Foundation
import PalimpsestCore

/// What one HTTP exchange (one hop: redirects are not followed here) gave.
struct CurlExchange: Sendable {
    var status: Int
    var statusLine: String
    var headers: [HTTPHeader]
    var body: Data
    var timings: Timings
    /// The request headers as libcurl sent them (Host, User-Agent, Accept-Encoding, conditionals, cookies).
    var requestHeaders: [HTTPHeader]
}

/// Settings that hold for every exchange of one handle.
struct CurlSettings: Sendable {
    var userAgent: String
    var connectTimeout: Double
    var totalTimeout: Double
    /// Abort when fewer than one byte a second arrives for this long.
    var stallTimeout: Double
    var maxBodyBytes: Int
    var maxHeaderBytes: Int
    var maxHeaderCount: Int
    /// A Netscape cookie file to read; nil runs the cookie engine in memory only (cookies still travel
    /// between the hops of one fetch).
    var cookieFile: String?
    /// Where cookies are written when the handle is freed; nil writes nothing.
    var cookieJar: String?
}

/// Set from another thread to stop a transfer in progress (a cancelled task).
final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    var isRaised: Bool { lock.withLock { raised } }
    func raise() { lock.withLock { raised = true } }
}

/// A libcurl easy handle for the exchanges of one fetch (its hops and retries, one at a time, so cookies
/// carry from hop to hop): it owns the handle, its header list and its error buffer, and frees them in
/// `deinit`. Every libcurl call of the package is in this file.
///
/// `@unchecked Sendable`: the fetcher hands it to one worker thread per exchange, never two at once.
final class CurlEasy: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private let settings: CurlSettings
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    /// libcurl's one-time global set-up, before any handle exists.
    private static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    init(settings: CurlSettings, url: String) throws(FetchFailure) {
        _ = CurlEasy.globalInit
        guard let h = curl_easy_init() else {
            throw FetchFailure(.other, url: url, message: "libcurl could not create a handle")
        }
        handle = h
        self.settings = settings
        errorBuffer.initialize(to: 0)

        setString(CURLOPT_PROTOCOLS_STR, "http,https")
        setString(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        setLong(CURLOPT_FOLLOWLOCATION, 0)  // the fetcher follows redirects itself, checking every hop
        setLong(CURLOPT_NOSIGNAL, 1)
        setString(CURLOPT_ACCEPT_ENCODING, "")  // every encoding this build decodes: gzip, deflate, br, zstd
        setLong(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        setLong(CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeout * 1000))
        setLong(CURLOPT_TIMEOUT_MS, Int(settings.totalTimeout * 1000))
        setLong(CURLOPT_LOW_SPEED_LIMIT, 1)
        setLong(CURLOPT_LOW_SPEED_TIME, max(1, Int(settings.stallTimeout.rounded(.up))))
        palimpsest_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(settings.maxBodyBytes))
        setString(CURLOPT_USERAGENT, settings.userAgent)
        palimpsest_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        setString(CURLOPT_COOKIEFILE, settings.cookieFile ?? "")
        if let jar = settings.cookieJar { setString(CURLOPT_COOKIEJAR, jar) }
        palimpsest_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION, curlWrite)
        palimpsest_curl_setopt_write(handle, CURLOPT_HEADERFUNCTION, curlHeader)
        palimpsest_curl_setopt_xferinfo(handle, curlProgress)
        setLong(CURLOPT_NOPROGRESS, 0)
        // The debug callback sees the request headers exactly as sent; it replaces verbose printing.
        palimpsest_curl_setopt_debug(handle, curlDebug)
        setLong(CURLOPT_VERBOSE, 1)
    }

    deinit {
        curl_easy_cleanup(handle)  // writes the cookie jar, when there is one
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// Runs one GET exchange, blocking the calling thread.
    func perform(url: String, headers: [HTTPHeader], cancel: CancelFlag) -> Result<CurlExchange, FetchFailure> {
        let sink = ResponseSink(settings: settings, cancel: cancel)
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        let context = unmanaged.toOpaque()

        setString(CURLOPT_URL, url)
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        // ("\r\n" is one Character in Swift: look at scalars.)
        for h in headers where !(h.name + h.value).unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            headerList = curl_slist_append(headerList, "\(h.name): \(h.value)")  // never a smuggled header line
        }
        palimpsest_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        for option in [CURLOPT_WRITEDATA, CURLOPT_HEADERDATA, CURLOPT_XFERINFODATA, CURLOPT_DEBUGDATA] {
            palimpsest_curl_setopt_pointer(handle, option, context)
        }

        let code = curl_easy_perform(handle)
        if settings.cookieJar != nil {
            setString(CURLOPT_COOKIELIST, "FLUSH")  // the jar is written now, not when the handle goes
        }
        if code != CURLE_OK {
            return .failure(failure(code, sink: sink, url: url))
        }
        var status = 0
        palimpsest_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        let timings = Timings(nameLookup: getDouble(CURLINFO_NAMELOOKUP_TIME), connect: getDouble(CURLINFO_CONNECT_TIME),
                              firstByte: getDouble(CURLINFO_STARTTRANSFER_TIME), total: getDouble(CURLINFO_TOTAL_TIME))
        return .success(CurlExchange(status: status, statusLine: sink.statusLine, headers: sink.headers,
                                     body: sink.body, timings: timings, requestHeaders: sink.requestHeaders))
    }

    /// A failed exchange as a `FetchFailure`: the reason, and libcurl's code and message.
    private func failure(_ code: CURLcode, sink: ResponseSink, url: String) -> FetchFailure {
        let detail = String(cString: errorBuffer)
        let curlMessage = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let reason: FetchFailure.Reason
        var message = curlMessage
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL:
            reason = .refusedScheme
        case CURLE_URL_MALFORMAT:
            reason = .invalidURL
        case CURLE_OPERATION_TIMEDOUT:
            reason = .timeout
        case CURLE_FILESIZE_EXCEEDED:
            reason = .tooLarge
            message = "the body is larger than the limit of \(settings.maxBodyBytes) bytes (\(curlMessage))"
        case CURLE_WRITE_ERROR where sink.overflow != nil:
            reason = .tooLarge
            message = sink.overflow!
        case CURLE_ABORTED_BY_CALLBACK where sink.cancel.isRaised:
            reason = .other
            message = "cancelled"
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_BAD_CONTENT_ENCODING, CURLE_HTTP2,
             CURLE_HTTP2_STREAM:
            reason = .truncated
            message = "the transfer was cut short after \(sink.body.count) bytes: \(curlMessage)"
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_SSL_CONNECT_ERROR,
             CURLE_PEER_FAILED_VERIFICATION, CURLE_SEND_ERROR, CURLE_WEIRD_SERVER_REPLY:
            reason = .network
        default:
            reason = .other
        }
        return FetchFailure(reason, url: url, message: message, curlCode: Int(code.rawValue))
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

/// Collects one response's status line, headers and body, enforcing the limits while downloading.
final class ResponseSink {
    let settings: CurlSettings
    let cancel: CancelFlag
    var statusLine = ""
    var headers: [HTTPHeader] = []
    var body = Data()
    var requestHeaders: [HTTPHeader] = []
    private var headerBytes = 0
    private var headerLines = 0
    /// Why a limit stopped the transfer.
    var overflow: String?

    init(settings: CurlSettings, cancel: CancelFlag) {
        self.settings = settings
        self.cancel = cancel
    }

    /// Takes decoded body bytes; false stops the transfer (too large: a huge body or a decompression bomb).
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if body.count + bytes.count > settings.maxBodyBytes {
            overflow = "the body is larger than the limit of \(settings.maxBodyBytes) bytes (stopped while downloading)"
            return false
        }
        body.append(contentsOf: bytes)
        return !cancel.isRaised
    }

    /// Takes one header line; false stops the transfer (too many or too large headers).
    func appendHeader(_ bytes: UnsafeRawBufferPointer) -> Bool {
        headerBytes += bytes.count
        headerLines += 1
        if headerBytes > settings.maxHeaderBytes || headerLines > settings.maxHeaderCount {
            overflow = "the response headers exceed the limit of \(settings.maxHeaderBytes) bytes or "
                + "\(settings.maxHeaderCount) lines"
            return false
        }
        let line = trimmedLine(bytes)
        if line.hasPrefix("HTTP/") {
            // A new response (an interim 1xx before the final one): start over.
            statusLine = line
            headers = []
        } else if let first = line.unicodeScalars.first, first == " " || first == "\t", !headers.isEmpty {
            // An obsolete folded continuation line.
            headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
        } else if let colon = line.firstIndex(of: ":") {
            headers.append(HTTPHeader(String(line[..<colon]),
                                      line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return true
    }

    /// Takes the request head as libcurl sent it.
    func recordRequestHead(_ bytes: UnsafeRawBufferPointer) {
        requestHeaders = bytes.split(separator: 10).dropFirst().compactMap { raw in
            let line = String(decoding: raw.last == 13 ? raw.dropLast() : raw, as: UTF8.self)
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return HTTPHeader(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }

    private func trimmedLine(_ bytes: UnsafeRawBufferPointer) -> String {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 13 || bytes[end - 1] == 10 { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
    }
}

private func sink(_ context: UnsafeMutableRawPointer?) -> ResponseSink? {
    context.map { Unmanaged<ResponseSink>.fromOpaque($0).takeUnretainedValue() }
}

private func curlWrite(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                       _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let sink = sink(context) else { return 0 }
    let n = size * count
    return sink.appendBody(UnsafeRawBufferPointer(start: data, count: n)) ? n : 0
}

private func curlHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                        _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let sink = sink(context) else { return 0 }
    let n = size * count
    return sink.appendHeader(UnsafeRawBufferPointer(start: data, count: n)) ? n : 0
}

private func curlProgress(_ context: UnsafeMutableRawPointer?, _ downloadTotal: curl_off_t, _ downloaded: curl_off_t,
                          _ uploadTotal: curl_off_t, _ uploaded: curl_off_t) -> Int32 {
    sink(context)?.cancel.isRaised == true ? 1 : 0
}

private func curlDebug(_ handle: UnsafeMutableRawPointer?, _ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>?,
                       _ size: Int, _ context: UnsafeMutableRawPointer?) -> Int32 {
    if type == CURLINFO_HEADER_OUT, let data, let sink = sink(context) {
        sink.recordRequestHead(UnsafeRawBufferPointer(start: data, count: size))
    }
    return 0
}
