import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One request as the server read it.
public struct LoopbackRequest: Sendable {
    public var method: String
    /// The request target: path and query.
    public var target: String
    public var headers: [LoopbackHeader]
    /// When the request head had been read.
    public var receivedAt: Date

    /// The path without the query.
    public var path: String { String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) }

    /// The last value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// One header line, in order.
public struct LoopbackHeader: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A fault injected while sending a response, to see how a client copes.
public enum Fault: Sendable, Hashable {
    /// Sends the head and this many body bytes, then resets the connection (RST).
    case resetAfter(bytes: Int)
    /// Sends the head, then nothing for this long, then closes.
    case stall(seconds: Double)
    /// Sends the body `chunk` bytes at a time with `interval` seconds between (no Content-Length).
    case drip(chunk: Int, interval: Double)
    /// Sends the head and an endless body (no Content-Length) until the client goes away.
    case endless
    /// Declares a Content-Length of `declared` bytes, sends the (shorter) body, then closes.
    case shortBody(declared: Int)
    /// Sends these raw bytes instead of a well-formed response, then closes.
    case raw(Data)
}

/// A response, and optionally a fault to inject while sending it. A Content-Length is added unless given
/// (or the fault excludes one); "Connection: close" is always added.
public struct LoopbackResponse: Sendable {
    public var status: Int
    public var headers: [LoopbackHeader]
    public var body: Data
    public var fault: Fault?

    public init(status: Int = 200, headers: [(String, String)] = [], body: Data = Data(), fault: Fault? = nil) {
        self.status = status
        self.headers = headers.map { LoopbackHeader($0.0, $0.1) }
        self.body = body
        self.fault = fault
    }

    /// An HTML page, encoded in UTF-8 (other charsets: build the body bytes and use `init`).
    public static func html(_ html: String, status: Int = 200, charset: String = "utf-8") -> LoopbackResponse {
        LoopbackResponse(status: status, headers: [("Content-Type", "text/html; charset=\(charset)")], body: Data(html.utf8))
    }

    public static func text(_ text: String, status: Int = 200) -> LoopbackResponse {
        LoopbackResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Data(text.utf8))
    }

    public static func redirect(to location: String, status: Int = 302) -> LoopbackResponse {
        LoopbackResponse(status: status, headers: [("Location", location)])
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for the demo, the tests and the benchmarks.
/// One thread accepts; each connection is served on a thread of its own and closed after one response.
/// Faults (resets, stalls, endless or short bodies) can be injected per response.
/// `stop()` returns promptly and frees the port; dropping the last reference stops it too.
public final class LoopbackServer: Sendable {
    public typealias Handler = @Sendable (LoopbackRequest) -> LoopbackResponse

    private let core: ServerCore

    public var port: Int { core.port }
    /// "http://127.0.0.1:PORT"
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Every request received so far, in order of arrival.
    public var requests: [LoopbackRequest] { core.requests }

    public init(handler: @escaping Handler) throws {
        core = try ServerCore(handler: handler)
        let core = self.core
        let thread = Thread { core.acceptLoop() }
        thread.name = "loopback-accept"
        thread.start()
    }

    deinit {
        core.stop()
    }

    /// Stops accepting, cuts open connections and frees the port.
    public func stop() {
        core.stop()
    }
}

public struct LoopbackError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

/// The socket, the request log and the serving threads (which hold this, not the server, so that dropping
/// the server stops it). `@unchecked Sendable`: mutable state is behind `lock`.
private final class ServerCore: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let handler: LoopbackServer.Handler
    private let lock = NSLock()
    private var log: [LoopbackRequest] = []
    private var stopped = false
    private var openConnections = Set<Int32>()
    private let acceptDone = DispatchSemaphore(value: 0)

    var requests: [LoopbackRequest] { lock.withLock { log } }
    private var isStopped: Bool { lock.withLock { stopped } }

    init(handler: @escaping LoopbackServer.Handler) throws {
        self.handler = handler
        let (fd, port) = try LoopbackSocket.bind()
        guard listen(fd, 128) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw LoopbackError("listen on 127.0.0.1: \(message)")
        }
        self.port = port
        listener = fd
    }

    func stop() {
        let connections: Set<Int32>? = lock.withLock {
            if stopped { return nil }
            stopped = true
            return openConnections
        }
        guard let connections else { return }
        shutdown(listener, Int32(SHUT_RDWR))  // wakes the blocked accept()
        for c in connections { shutdown(c, Int32(SHUT_RDWR)) }
        acceptDone.wait()
        close(listener)
    }

    func acceptLoop() {
        while !isStopped {
            let c = accept(listener, nil, nil)
            if c < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                break
            }
            var one: Int32 = 1
            setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let registered: Bool = lock.withLock {
                if stopped { return false }
                openConnections.insert(c)
                return true
            }
            guard registered else {
                close(c)
                break
            }
            let thread = Thread { [self] in
                serve(c)
                lock.withLock { _ = openConnections.remove(c) }
                close(c)
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        acceptDone.signal()
    }

    private func serve(_ fd: Int32) {
        guard let request = readRequest(fd) else { return }
        lock.withLock { log.append(request) }
        let response = handler(request)
        write(response, to: fd, headOnly: request.method == "HEAD")
    }

    /// Reads a request head (the body, if any, is ignored).
    private func readRequest(_ fd: Int32) -> LoopbackRequest? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while buffer.count < 256 * 1024 {
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { return nil }
            buffer += chunk[0..<n]
            guard let end = buffer.firstRange(of: [13, 10, 13, 10]) else { continue }
            let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
            var lines = head.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst().split(separator: " ")
            guard requestLine.count >= 2 else { return nil }
            let headers = lines.compactMap { line -> LoopbackHeader? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return LoopbackHeader(String(line[..<colon]),
                                      line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            return LoopbackRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
                                   receivedAt: Date())
        }
        return nil
    }

    private func write(_ r: LoopbackResponse, to fd: Int32, headOnly: Bool) {
        if case .raw(let bytes)? = r.fault {
            sendAll(fd, bytes)
            return
        }
        var head = "HTTP/1.1 \(r.status) \(ServerCore.reason(r.status))\r\n"
        for h in r.headers { head += "\(h.name): \(h.value)\r\n" }
        let hasLength = r.headers.contains { $0.name.lowercased() == "content-length" }
        switch r.fault {
        case .endless?, .drip?:
            break
        case .shortBody(let declared)?:
            head += "Content-Length: \(declared)\r\n"
        default:
            if !hasLength { head += "Content-Length: \(r.body.count)\r\n" }
        }
        head += "Connection: close\r\n\r\n"
        guard sendAll(fd, Data(head.utf8)), !headOnly else { return }
        switch r.fault {
        case nil, .shortBody?, .raw?:
            sendAll(fd, r.body)
        case .resetAfter(let bytes)?:
            sendAll(fd, r.body.prefix(bytes))
            var l = linger(l_onoff: 1, l_linger: 0)  // close() then sends RST
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        case .stall(let seconds)?:
            let end = Date().addingTimeInterval(seconds)
            while Date() < end && !isStopped { usleep(20_000) }
        case .drip(let chunk, let interval)?:
            var offset = 0
            while offset < r.body.count && !isStopped {
                let piece = r.body.dropFirst(offset).prefix(max(chunk, 1))
                guard sendAll(fd, Data(piece)) else { return }
                offset += piece.count
                usleep(useconds_t(interval * 1_000_000))
            }
        case .endless?:
            let block = Data(repeating: UInt8(ascii: "a"), count: 64 * 1024)
            while !isStopped, sendAll(fd, block) {}
        }
    }

    @discardableResult
    private func sendAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

/// A TCP socket bound to a free port of 127.0.0.1 (the kernel picks it).
enum LoopbackSocket {
    static func bind() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw LoopbackError("bind on 127.0.0.1: \(message)")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }
}

/// A port of 127.0.0.1 held bound but never listening, for "nothing answers there": a connection is refused,
/// and no server (of this process or another) can take the port while it is held. (A stopped server's port
/// may be handed to the next server that asks for one.)
public final class ClosedPort: Sendable {
    public let port: Int
    private let fd: Int32

    public init() throws {
        (fd, port) = try LoopbackSocket.bind()
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    deinit { close(fd) }
}
