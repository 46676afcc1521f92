import Crypto
import Foundation
import GRDB

/// Raw bodies: content-addressed by SHA-256, stored once, zstd-compressed against the page's previous body
/// when that helps (a growing thread then costs about the size of its new comments). Delta chains are cut
/// every `maxDepth` bodies so that reading any body stays fast.
extension Store {
    static let maxDepth = 16

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Stores a body unless already there; returns its hash.
    func storeBody(_ db: Database, _ data: Data, previous: String?, zstd: Zstd) throws -> String {
        let hash = Store.sha256(data)
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM body WHERE sha256 = ?", arguments: [hash]) == true { return hash }
        var best = try zstd.compress(data, prefix: nil)
        var base: String?
        var depth = 0
        if let previous, previous != hash, !data.isEmpty,
           let baseDepth = try Int.fetchOne(db, sql: "SELECT depth FROM body WHERE sha256 = ?", arguments: [previous]),
           baseDepth < Store.maxDepth
        {
            let prefix = try loadBody(db, previous, zstd: zstd)
            let delta = try zstd.compress(data, prefix: prefix)
            if delta.count < best.count {
                best = delta
                base = previous
                depth = baseDepth + 1
            }
        }
        try db.execute(sql: "INSERT INTO body (sha256, size, base, depth, data) VALUES (?, ?, ?, ?, ?)",
                       arguments: [hash, data.count, base, depth, best])
        return hash
    }

    /// A body, byte for byte as received.
    func loadBody(_ db: Database, _ hash: String, zstd: Zstd) throws -> Data {
        var chain: [(size: Int, data: Data)] = []
        var next: String? = hash
        while let h = next {
            guard let row = try Row.fetchOne(db, sql: "SELECT size, base, data FROM body WHERE sha256 = ?", arguments: [h])
            else { throw StoreError.codec("a stored body is missing: \(h)") }
            chain.append((row["size"], row["data"]))
            next = row["base"]
            if chain.count > Store.maxDepth + 1 { throw StoreError.codec("a stored body's delta chain is broken: \(hash)") }
        }
        var content: Data?
        for link in chain.reversed() {
            content = try zstd.decompress(link.data, prefix: content, size: link.size)
        }
        let body = content ?? Data()
        guard Store.sha256(body) == hash else { throw StoreError.codec("a stored body does not match its hash: \(hash)") }
        return body
    }
}
