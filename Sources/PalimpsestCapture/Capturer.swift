import Foundation
import PalimpsestCore
import PalimpsestExtract
import PalimpsestFetch
import PalimpsestStore

/// Fetch, extract, store: one capture of a page, every comment page included, recorded in one transaction.
public struct Capturer: Sendable {
    public var fetcher: Fetcher
    public var store: Store
    public var extractor: PageExtractor
    public var clock: any WallClock
    /// At most this many comment pages are fetched beyond the first page (a runaway pager is cut here, and the
    /// capture is then incomplete).
    public var maxCommentPages: Int

    public init(fetcher: Fetcher, store: Store, extractor: PageExtractor = PageExtractor(),
                clock: any WallClock = SystemClock(), maxCommentPages: Int = 50) {
        self.fetcher = fetcher
        self.store = store
        self.extractor = extractor
        self.clock = clock
        self.maxCommentPages = maxCommentPages
    }

    /// Captures one page. Never throws for what the web does (failures are recorded as failed captures);
    /// throws only when the store cannot record.
    /// `notes` are recorded with the capture (a scheduled run that started late, say).
    public func capture(_ url: String, notes: [Problem] = []) async throws -> CaptureRecord {
        let started = clock.now()
        let validators = try store.validators(url: url)
        let conditional = validators.etag != nil || validators.lastModified != nil
            ? Validators(etag: validators.etag, lastModified: validators.lastModified) : nil
        let fetched: Result<HTTPResponse, FetchFailure>
        do throws(FetchFailure) {
            fetched = .success(try await fetcher.fetch(url, validators: conditional))
        } catch {
            fetched = .failure(error)
        }
        let response: HTTPResponse
        switch fetched {
        case .success(let r):
            response = r
        case .failure(let failure):
            return try store.record(CaptureInput(url: url, capturedAt: started, failure: failure, extraProblems: notes,
                                                 duration: clock.now().timeIntervalSince(started)))
        }
        guard (200..<300).contains(response.status) else {
            // 304, 404/410, 5xx...: recorded as they are, nothing extracted, no lifecycle changes.
            return try store.record(CaptureInput(url: url, capturedAt: started, responses: [response], extraProblems: notes,
                                                 duration: clock.now().timeIntervalSince(started)))
        }
        let first = extractor.extract(html: response.text, url: response.finalURL)
        var responses = [response]
        var problems = notes
        let merged = try await fetchCommentPages(of: first, responses: &responses, problems: &problems)
        return try store.record(CaptureInput(url: url, capturedAt: started, responses: responses, extraction: merged,
                                             extraProblems: problems,
                                             duration: clock.now().timeIntervalSince(started)))
    }

    /// Follows the thread's other comment pages (breadth first, each once), extracts and merges them.
    /// A page that cannot be fetched whole makes the capture incomplete.
    func fetchCommentPages(of first: Extraction, responses: inout [HTTPResponse], problems: inout [Problem])
        async throws -> Extraction
    {
        var seen = Set(([first.url ?? ""] + responses.map(\.finalURL) + responses.map(\.requestedURL)).map(Capturer.withoutFragment))
        var queue = first.thread.pages.map(Capturer.withoutFragment).filter { !seen.contains($0) }
        var pages: [Extraction] = []
        while let next = queue.first {
            queue.removeFirst()
            guard !seen.contains(next) else { continue }
            seen.insert(next)
            if pages.count >= maxCommentPages {
                problems.append(Problem("comment-pages-capped",
                                        "more than \(maxCommentPages) comment pages; the rest were not fetched"))
                break
            }
            let fetched: Result<HTTPResponse, FetchFailure>
            do throws(FetchFailure) {
                fetched = .success(try await fetcher.fetch(next))
            } catch {
                fetched = .failure(error)
            }
            switch fetched {
            case .success(let r):
                responses.append(r)
                guard (200..<300).contains(r.status) else {
                    problems.append(Problem("comment-page-missing", "comment page \(next) answered HTTP \(r.status)"))
                    continue
                }
                let e = extractor.extract(html: r.text, url: r.finalURL)
                pages.append(e)
                seen.insert(Capturer.withoutFragment(r.finalURL))
                queue += e.thread.pages.map(Capturer.withoutFragment).filter { !seen.contains($0) }
            case .failure(let failure):
                problems.append(Problem("comment-page-missing", "comment page \(next): \(failure.message)"))
            }
        }
        return pages.isEmpty ? first : CommentPages.merge(first, pages: pages)
    }
}

extension Capturer {
    /// "https://x/p/comment-page-2/#comments" and "https://x/p/comment-page-2/" are one page.
    static func withoutFragment(_ url: String) -> String {
        guard let hash = url.firstIndex(of: "#") else { return url }
        return String(url[..<hash])
    }
}

/// Recording a saved page as a capture, as if fetched with status 200.
public struct Importer: Sendable {
    public var store: Store
    public var extractor: PageExtractor

    public init(store: Store, extractor: PageExtractor = PageExtractor()) {
        self.store = store
        self.extractor = extractor
    }

    public func importPage(_ data: Data, url: String, at date: Date, contentType: String? = nil) throws -> CaptureRecord {
        let start = Date()
        let decoded = Charset.decode(data, contentType: contentType)
        var headers = [HTTPHeader("Content-Type", contentType ?? "text/html; charset=\(decoded.charset)"),
                       HTTPHeader("Content-Length", String(data.count))]
        headers.append(HTTPHeader("X-Palimpsest-Import", "saved file"))
        let response = HTTPResponse(requestedURL: url, finalURL: url, status: 200, statusLine: "HTTP/1.1 200 OK",
                                    headers: headers, body: data, text: decoded.text, charset: decoded.charset,
                                    charsetSource: decoded.source)
        let extraction = extractor.extract(html: decoded.text, url: url)
        var problems: [Problem] = []
        if !extraction.thread.pages.isEmpty {
            problems.append(Problem("comment-page-missing",
                                    "the thread has \(extraction.thread.pages.count) other comment page(s), not in this file"))
        }
        return try store.record(CaptureInput(url: url, capturedAt: date, responses: [response], extraction: extraction,
                                             extraProblems: problems, duration: Date().timeIntervalSince(start)))
    }
}

/// Re-reading stored responses with the current extractor (`palimpsest reextract`).
public enum Reextraction {
    /// The extraction of one capture's stored responses: the first page, merged with its comment pages.
    public static func extract(_ responses: [StoredResponse], extractor: PageExtractor) -> Extraction {
        let pages = responses.sorted { $0.ordinal < $1.ordinal }
            .filter { (200..<300).contains($0.response.status) }
            .map { r in
                extractor.extract(data: r.response.body, url: r.response.finalURL,
                                  contentType: r.response.contentType)
            }
        guard let first = pages.first else { return Extraction() }
        return pages.count == 1 ? first : CommentPages.merge(first, pages: Array(pages.dropFirst()))
    }
}
