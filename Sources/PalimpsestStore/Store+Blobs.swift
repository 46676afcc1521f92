import Crypto
import Foundation
import GRDB

/// Raw bytes, content-addressed by SHA-256 and stored once, zstd-compressed against the page's previous body
/// when that is smaller (a growing thread then costs about the size of its new comments). Chains of bases
/// are cut (see `Blobs.depthLimit`) so that reading any blob stays fast.
enum Blobs {
    /// The longest chain of bases below a blob of `size` bytes: reading a blob decompresses its whole chain,
    /// so large bodies get shorter chains (64 steps of 1 MiB, or 16 of a 4.5 MB thread, take tens of ms).
    static func depthLimit(size: Int) -> Int { size <= 1 << 20 ? 64 : 16 }

    static func sha256(_ data: Data) -> Data { Data(SHA256.hash(data: data)) }

    static func hex(_ digest: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(digest.count * 2)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Stores `data` unless already there, as a delta against `base` when that is smaller; returns its id.
    static func store(_ db: Database, _ data: Data, base: Int64?, reader: BlobReader) throws -> Int64 {
        let hash = sha256(data)
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM blob WHERE sha256 = ?", arguments: [hash]) { return id }
        var best: (codec: Int, base: Int64?, depth: Int, data: Data) = (0, nil, 0, data)
        if data.count > 64 {
            if let base, let baseDepth = try Int.fetchOne(db, sql: "SELECT depth FROM blob WHERE id = ?", arguments: [base]),
               baseDepth < depthLimit(size: data.count)
            {
                let delta = try reader.zstd.compress(data, prefix: try reader.load(db, base))
                if delta.count < best.data.count { best = (1, base, baseDepth + 1, delta) }
            }
            // A delta down to a sixty-fourth of the input is taken as is; otherwise compare with a standalone frame.
            if best.base == nil || best.data.count > data.count / 64 {
                let whole = try reader.zstd.compress(data, prefix: nil)
                if whole.count < best.data.count { best = (1, nil, 0, whole) }
            }
        }
        try db.execute(sql: "INSERT INTO blob (sha256, size, codec, base, depth, data) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [hash, data.count, best.codec, best.base, best.depth, best.data])
        let id = db.lastInsertedRowID
        reader.remember(id, data)
        return id
    }
}

/// Restores blobs byte for byte, checking each against its SHA-256. Keeps the last few restored blobs, so
/// that reading a page's bodies in capture order decompresses each delta once.
final class BlobReader {
    let zstd: Zstd
    private var cache: [(id: Int64, data: Data)] = []
    private let cacheSize = 4

    init() throws { zstd = try Zstd() }

    func remember(_ id: Int64, _ data: Data) {
        cache.removeAll { $0.id == id }
        cache.append((id, data))
        if cache.count > cacheSize { cache.removeFirst() }
    }

    private func cached(_ id: Int64) -> Data? { cache.last { $0.id == id }?.data }

    func load(_ db: Database, _ id: Int64) throws -> Data {
        if let data = cached(id) { return data }
        struct Link {
            var id: Int64
            var sha256: Data
            var size: Int
            var codec: Int
            var data: Data
        }
        // Walk down the chain to a standalone blob or one already restored, then decode back up.
        var chain: [Link] = []
        var next: Int64? = id
        var restored: Data?
        while let current = next {
            if let data = cached(current) {
                restored = data
                break
            }
            guard let row = try Row.fetchOne(db, sql: "SELECT sha256, size, codec, base, data FROM blob WHERE id = ?",
                                             arguments: [current])
            else { throw StoreError.codec("a stored blob is missing (blob \(current), needed for blob \(id))") }
            chain.append(Link(id: current, sha256: row[0], size: row[1], codec: row[2], data: row[4]))
            next = row[3]
            if chain.count > 1024 { throw StoreError.codec("the chain of deltas under blob \(id) does not end") }
        }
        for link in chain.reversed() {
            let data: Data
            switch link.codec {
            case 0: data = link.data
            case 1: data = try zstd.decompress(link.data, prefix: restored, size: link.size)
            default: throw StoreError.codec("blob \(link.id) has an unknown codec \(link.codec) (a newer store?)")
            }
            // The links below are checked through the top one: a damaged link cannot restore it.
            if link.id == id, Blobs.sha256(data) != link.sha256 {
                cache.removeAll()
                throw StoreError.codec("blob \(link.id) does not match its SHA-256 \(Blobs.hex(link.sha256)): the store is damaged")
            }
            remember(link.id, data)
            restored = data
        }
        return restored ?? Data()
    }
}
