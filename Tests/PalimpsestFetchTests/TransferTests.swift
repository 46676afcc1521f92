import Foundation
import PalimpsestCore
import PalimpsestServe
import Testing

@testable import PalimpsestFetch

func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)"))
}

/// Limits, cookies, recorded request headers, cancellation.
@Suite struct TransferTests {
    @Test func aDecompressionBombStopsAtTheLimit() async throws {
        let bomb = try fixture("bomb.html.gz")  // 8 KB that inflate to 8 MiB
        let server = try LoopbackServer { _ in
            LoopbackResponse(status: 200, headers: [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], body: bomb)
        }
        defer { server.stop() }
        var o = testOptions()
        o.maxBodyBytes = 1 << 20
        let f = await fetchError { _ = try await Fetcher(options: o).fetch(server.baseURL + "/") }
        #expect(f?.reason == .tooLarge)
        #expect(f?.message.contains("\(1 << 20)") == true)
        // Within a larger limit the same body is fine.
        o.maxBodyBytes = 16 << 20
        #expect(try await Fetcher(options: o).fetch(server.baseURL + "/").body.count == (8 << 20) + 12)
    }

    @Test func tooManyHeadersStopTheTransfer() async throws {
        let headers = (0..<1500).map { ("X-Filler-\($0)", "v") }
        let server = try LoopbackServer { _ in LoopbackResponse(status: 200, headers: headers, body: Data("x".utf8)) }
        defer { server.stop() }
        let f = await fetchError { _ = try await Fetcher(options: testOptions()).fetch(server.baseURL + "/") }
        #expect(f?.reason == .tooLarge)
        #expect(f?.message.contains("headers") == true)
    }

    @Test func theRequestHeadersSentAreRecorded() async throws {
        let server = try LoopbackServer { _ in .html("<p>x</p>") }
        defer { server.stop() }
        var o = testOptions()
        o.userAgent = "TestAgent/1"
        let r = try await Fetcher(options: o).fetch(server.baseURL + "/p",
                                                     validators: Validators(etag: "\"e\"", lastModified: "Wed, 01 Jan 2025 00:00:00 GMT"))
        #expect(r.requestHeaders.value(of: "Host") == "127.0.0.1:\(server.port)")
        #expect(r.requestHeaders.value(of: "User-Agent") == "TestAgent/1")
        #expect(r.requestHeaders.value(of: "Accept-Encoding")?.contains("gzip") == true)
        #expect(r.requestHeaders.value(of: "If-Modified-Since") == "Wed, 01 Jan 2025 00:00:00 GMT")
        let seen = server.requests.last
        #expect(seen?.header("If-None-Match") == "\"e\"")
        #expect(seen?.header("User-Agent") == "TestAgent/1")
    }

    @Test func aHeaderValueCannotSmuggleALine() async throws {
        let server = try LoopbackServer { _ in .html("<p>x</p>") }
        defer { server.stop() }
        _ = try await Fetcher(options: testOptions()).fetch(server.baseURL + "/",
                                                            validators: Validators(etag: "\"a\"\r\nX-Evil: 1"))
        #expect(server.requests.last?.header("X-Evil") == nil)
        #expect(server.requests.last?.header("If-None-Match") == nil)
    }

    @Test func cookiesAreReadAndWrittenOnlyWhenAsked() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("palimpsest-cookies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let jar = dir.appendingPathComponent("cookies.txt").path
        let original = "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tabc\n"
        try original.write(toFile: jar, atomically: true, encoding: .utf8)
        let server = try LoopbackServer { req in
            switch req.path {
            case "/login": LoopbackResponse(status: 302, headers: [("Location", "/home"), ("Set-Cookie", "fresh=1; Path=/")])
            default: .html("<p>\(req.header("Cookie") ?? "none")</p>")
            }
        }
        defer { server.stop() }
        var o = testOptions()
        o.cookieFile = jar
        let r = try await Fetcher(options: o).fetch(server.baseURL + "/login")
        #expect(r.text.contains("sid=abc"), "the cookie file is read")
        #expect(r.text.contains("fresh=1"), "a cookie set on one hop goes with the next")
        #expect(try String(contentsOfFile: jar, encoding: .utf8) == original, "read only unless asked")
        o.writeCookies = true
        _ = try await Fetcher(options: o).fetch(server.baseURL + "/login")
        let written = try String(contentsOfFile: jar, encoding: .utf8)
        #expect(written.contains("fresh\t1"))
        #expect(written.contains("sid\tabc"))
    }

    @Test func aCancelledFetchStopsItsTransfer() async throws {
        let server = try LoopbackServer { _ in LoopbackResponse(status: 200, body: Data("x".utf8), fault: .stall(seconds: 20)) }
        defer { server.stop() }
        var o = testOptions()
        o.stallTimeout = 30
        o.totalTimeout = 30
        let fetcher = Fetcher(options: o)
        let task = Task { try await fetcher.fetch(server.baseURL + "/") }
        while server.requests.isEmpty { try await Task.sleep(nanoseconds: 10_000_000) }
        task.cancel()
        let f = await fetchError { _ = try await task.value }
        #expect(f?.message == "cancelled")
        #expect(f?.curlCode == 42)
    }

    @Test func statusesOtherThanRetriedOnesAreResponses() async throws {
        let server = try LoopbackServer { req in
            switch req.path {
            case "/gone": .html("gone", status: 410)
            case "/broken": .html("oops", status: 500)
            default: .html("forbidden", status: 403)
            }
        }
        defer { server.stop() }
        let fetcher = Fetcher(options: testOptions())
        #expect(try await fetcher.fetch(server.baseURL + "/gone").status == 410)
        #expect(try await fetcher.fetch(server.baseURL + "/broken").status == 500)
        #expect(try await fetcher.fetch(server.baseURL + "/x").status == 403)
        #expect(server.requests.count == 3, "none retried")
    }

    @Test func aSelfRedirectSettingACookieIsNotALoop() async throws {
        let server = try LoopbackServer { req in
            req.header("Cookie")?.contains("ok=1") == true
                ? .html("<p>in</p>")
                : LoopbackResponse(status: 302, headers: [("Location", "/page"), ("Set-Cookie", "ok=1; Path=/")])
        }
        defer { server.stop() }
        let r = try await Fetcher(options: testOptions()).fetch(server.baseURL + "/page")
        #expect(r.status == 200)
        #expect(r.redirects.count == 1)
    }

    @Test func aDripFedPageArrivesWhole() async throws {
        let page = String(repeating: "<p>slow</p>", count: 20)
        let server = try LoopbackServer { _ in
            LoopbackResponse(status: 200, headers: [("Content-Type", "text/html")], body: Data(page.utf8),
                             fault: .drip(chunk: 50, interval: 0.01))
        }
        defer { server.stop() }
        #expect(try await Fetcher(options: testOptions()).fetch(server.baseURL + "/").text == page)
    }
}

@Suite struct CharsetTests {
    @Test func httpEquivMetaIsRead() {
        let page = Data("<html><head><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=iso-8859-1'></head>".utf8)
            + Data([0x63, 0x61, 0x66, 0xE9, 0x20, 0x80])
        let d = Charset.decode(page, contentType: "text/html")
        #expect(d.source == "meta")
        #expect(d.charset == "windows-1252", "latin-1 labels are read as windows-1252, as browsers do")
        #expect(d.text.hasSuffix("café €"))
    }

    @Test func theHeaderWinsOverTheMetaAndABOMOverBoth() {
        let arabic = Data([0xDA, 0xD3, 0xDF, 0xD1, 0xED, 0xC9])
        let page = Data("<meta charset=\"utf-8\">".utf8) + arabic
        let d = Charset.decode(page, contentType: "text/html;charset=\"Windows-1256\"")
        #expect(d.source == "header")
        #expect(d.text.hasSuffix("عسكرية"))
        let bom = Data([0xFF, 0xFE]) + "<p>é</p>".data(using: .utf16LittleEndian)!
        let b = Charset.decode(bom, contentType: "text/html; charset=iso-8859-1")
        #expect(b.source == "bom")
        #expect(b.text == "<p>é</p>")
    }

    @Test func invalidBytesInADeclaredCharsetAreReplaced() {
        // Shift_JIS "日本" then a lone lead byte, then ASCII.
        let d = Charset.decode(Data([0x93, 0xFA, 0x96, 0x7B, 0x81, 0x20, 0x6F, 0x6B]), contentType: "text/plain; charset=shift_jis")
        #expect(d.text.hasPrefix("日本"))
        #expect(d.text.contains("\u{FFFD}"))
        #expect(d.text.hasSuffix("ok"))
    }

    @Test func noDeclarationMeansUTF8() {
        let d = Charset.decode(Data("<p>naïve</p>".utf8), contentType: nil)
        #expect(d.source == "default")
        #expect(d.text == "<p>naïve</p>")
    }
}

@Suite struct LoopbackServerTests {
    @Test func stopFreesThePortAndCutsAStalledConnection() async throws {
        let server = try LoopbackServer { _ in LoopbackResponse(status: 200, body: Data("x".utf8), fault: .stall(seconds: 30)) }
        var o = testOptions()
        o.stallTimeout = 60
        o.totalTimeout = 60
        let pending = Task { try await Fetcher(options: o).fetch(server.baseURL + "/") }
        while server.requests.isEmpty { try await Task.sleep(nanoseconds: 10_000_000) }
        server.stop()
        let f = await fetchError { _ = try await pending.value }
        #expect(f?.reason == .truncated, "the stalled transfer ends when the server stops")
        let g = await fetchError { _ = try await Fetcher(options: testOptions()).fetch(server.baseURL + "/") }
        #expect(g?.reason == .network, "nothing listens any more")
    }
}
