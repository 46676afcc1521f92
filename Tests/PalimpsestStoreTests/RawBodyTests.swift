import Foundation
import GRDB
import PalimpsestCore
import Testing

@testable import PalimpsestStore

/// Raw responses: restored byte for byte, stored once, as deltas against the previous body.
@Suite struct RawBodyTests {
    @Test func responsesComeBackByteForByteWithTheirHeaders() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        var bytes = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) })  // not text, not UTF-8
        bytes.append(Fixture.html([Fixture.comment("1", "Un commentaire accentué, « guillemets ».")]))
        var main = Fixture.response(bytes, etag: "\"v1\"")
        main.redirects = [Redirect(url: "http://news.example.org/a", status: 301, location: Fixture.url)]
        main.requestedURL = "http://news.example.org/a"
        main.charset = "windows-1252"
        main.timings = Timings(nameLookup: 0.001, connect: 0.002, firstByte: 0.01, total: 0.02)
        let second = Fixture.response(Data("<p>comment page 2</p>".utf8))
        var input = Fixture.capture([Fixture.comment("1", "x")], hour: 0)
        input.responses = [main, second]
        _ = try store.record(input)
        _ = try store.record(Fixture.status(304, hour: 1))

        let stored = try store.responses(url: Fixture.url, capture: 1)
        #expect(stored.count == 2)
        let r = stored[0].response
        #expect(r.body == bytes && stored[1].response.body == second.body)
        #expect(r.headers == main.headers && r.redirects == main.redirects && r.requestHeaders == main.requestHeaders)
        #expect(r.requestedURL == main.requestedURL && r.finalURL == main.finalURL && r.statusLine == main.statusLine)
        #expect(r.charset == "windows-1252" && r.timings == main.timings && r.status == 200)
        #expect(stored[0].sha256 == Blobs.hex(Blobs.sha256(bytes)) && stored[0].sha256.count == 64)
        #expect(stored.map(\.ordinal) == [0, 1] && stored.allSatisfy { $0.captureNumber == 1 })
        let all = try store.responses(url: Fixture.url, capture: nil)
        #expect(all.map(\.captureNumber) == [1, 1, 2] && all[2].response.status == 304 && all[2].response.body.isEmpty)
        #expect(try store.validators(url: Fixture.url) == ("\"v1\"", nil))
    }

    @Test func identicalBodiesAreStoredOnceAndGrowthCostsItsSize() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        var items: [Item] = []
        var rng = SplitMix(seed: 3)
        func words(_ n: Int) -> String {
            (0..<n).map { _ in ["vote", "bridge", "année", "où", "river", "council", "never"][Int(rng.next() % 7)] }
                .joined(separator: " ")
        }
        for i in 0..<40 { items.append(Fixture.comment(String(1000 + i), words(40))) }
        _ = try store.record(Fixture.capture(items, hour: 0))
        _ = try store.record(Fixture.capture(items, hour: 1))  // same bytes
        for k in 0..<70 {  // past the chain limit of a small body
            items.append(Fixture.comment(String(2000 + k), words(30)))
            _ = try store.record(Fixture.capture(items, hour: Double(2 + k)))
        }
        let (blobs, bodies, maxDepth, standalone) = try store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM blob")!,
             try Int.fetchOne(db, sql: "SELECT count(DISTINCT body) FROM response")!,
             try Int.fetchOne(db, sql: "SELECT max(depth) FROM blob")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM blob WHERE id IN (SELECT body FROM response) AND base IS NULL")!)
        }
        #expect(bodies == 71, "the repeated body is stored once")
        #expect(blobs <= 71 + 72)
        #expect(maxDepth == Blobs.depthLimit(size: 0) && standalone == 2, "the chain is cut at its limit")
        // Each later body costs about the new comment, compressed.
        let deltas = try store.pool.read { db in
            try Int.fetchAll(db, sql: """
                SELECT length(data) FROM blob WHERE id IN (SELECT body FROM response) AND base IS NOT NULL
                """)
        }
        #expect(deltas.max()! < 400, "\(deltas)")
        for r in try store.responses(url: Fixture.url, capture: nil) {
            #expect(Blobs.hex(Blobs.sha256(r.response.body)) == r.sha256)
        }
        #expect(try store.integrityCheck())
    }

    @Test func aDamagedBlobIsReportedNotReturned() throws {
        let path = Fixture.storePath()
        defer { Fixture.remove(path) }
        let store = try Store(path: path)
        _ = try store.record(Fixture.capture([Fixture.comment("1", "One.")], hour: 0))
        try store.pool.write { db in
            try db.execute(sql: "UPDATE blob SET codec = 0, data = CAST('tampered' AS BLOB), size = 8 WHERE id = (SELECT body FROM response)")
        }
        #expect(throws: StoreError.self) { _ = try store.responses(url: Fixture.url, capture: 1) }
    }
}

/// A small, fast, seedable generator (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
