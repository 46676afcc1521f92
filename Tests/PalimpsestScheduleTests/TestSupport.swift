import Foundation
import PalimpsestCore
@testable import PalimpsestSchedule

/// A fresh temporary folder, with a `schedules/` folder inside.
struct TempFolder {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("palimpsest-schedule-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("schedules"),
                                                withIntermediateDirectories: true)
    }

    var schedules: String { root.appendingPathComponent("schedules").path }
    var statePath: String { root.appendingPathComponent("store.sqlite.schedule-state.json").path }

    /// Writes a schedule file; returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = root.appendingPathComponent("schedules").appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// A backend that records calls and answers as told, without any network.
final class FakeBackend: ScheduleBackend, @unchecked Sendable {
    enum Answer {
        case changed
        case unchanged
        case failed
        case throwing
    }

    private let lock = NSLock()
    private var _calls: [CaptureRequest] = []
    private var _inFlight = 0
    private var _maxInFlight = 0
    private var _hostsInFlight: [String: Int] = [:]
    private var _hostOverlap = false
    private var _waiting: [CheckedContinuation<Void, Never>] = []
    private var _feeds: [String: String] = [:]
    /// Per URL: the answers, in order (the last one repeats); unknown URLs answer `.changed`.
    private var _answers: [String: [Answer]] = [:]
    /// When true, each capture waits for `release()`.
    private var _gated = false
    /// Task.yield()s made inside each capture, so that captures overlap.
    let yields: Int

    init(yields: Int = 0) {
        self.yields = yields
    }

    var calls: [CaptureRequest] { lock.withLock { _calls } }
    var maxInFlight: Int { lock.withLock { _maxInFlight } }
    var hostOverlap: Bool { lock.withLock { _hostOverlap } }
    var waiting: Int { lock.withLock { _waiting.count } }
    func calls(to url: String) -> Int { calls.filter { $0.url == url }.count }

    func answer(_ url: String, _ answers: [Answer]) { lock.withLock { _answers[url] = answers } }
    func feed(_ url: String, _ xml: String) { lock.withLock { _feeds[url] = xml } }
    func gate(_ on: Bool) { lock.withLock { _gated = on } }

    /// Lets every waiting capture go on.
    func release() {
        let waiting = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            defer { _waiting = [] }
            return _waiting
        }
        waiting.forEach { $0.resume() }
    }

    func capture(_ request: CaptureRequest) async throws -> CaptureResult {
        let host = URL(string: request.url)?.host ?? ""
        let (answer, gated, number) = lock.withLock { () -> (Answer, Bool, Int) in
            _calls.append(request)
            _inFlight += 1
            _maxInFlight = max(_maxInFlight, _inFlight)
            _hostsInFlight[host, default: 0] += 1
            if _hostsInFlight[host]! > 1 { _hostOverlap = true }
            let n = _calls.filter { $0.url == request.url }.count
            let list = _answers[request.url] ?? [.changed]
            return (list[min(n - 1, list.count - 1)], _gated, n)
        }
        if gated {
            await withCheckedContinuation { c in lock.withLock { _waiting.append(c) } }
        }
        for _ in 0..<yields { await Task.yield() }
        lock.withLock {
            _inFlight -= 1
            _hostsInFlight[host]! -= 1
        }
        switch answer {
        case .changed:
            return CaptureResult(outcome: .fetched, changed: true, summary: "changed", captureNumber: number)
        case .unchanged:
            return CaptureResult(outcome: .unchanged, changed: false, summary: "unchanged", captureNumber: number)
        case .failed:
            return CaptureResult(outcome: .failed, changed: false, summary: "network failure", captureNumber: number)
        case .throwing:
            struct StoreDown: Error, CustomStringConvertible { var description: String { "the store is down" } }
            throw StoreDown()
        }
    }

    func fetchFeed(url: String, cookies: String?) async throws -> Data {
        guard let xml = lock.withLock({ _feeds[url] }) else { throw FeedError(url: url, message: "HTTP 404") }
        return Data(xml.utf8)
    }
}

/// Log lines, collected.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var _lines: [String] = []
    var lines: [String] { lock.withLock { _lines } }
    var sink: @Sendable (String) -> Void { { [self] line in lock.withLock { _lines.append(line) } } }
}

/// Waits (yielding, briefly pausing) until the condition holds; false after about two seconds.
func eventually(_ condition: () async -> Bool) async -> Bool {
    for _ in 0..<2000 {
        if await condition() { return true }
        await Task.yield()
        try? await Task.sleep(nanoseconds: 1_000_000)
    }
    return await condition()
}

let t0 = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z, ManualClock's default start
let minute: TimeInterval = 60
let hour: TimeInterval = 3600
let day: TimeInterval = 86_400
