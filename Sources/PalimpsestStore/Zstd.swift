import CZstd
import Foundation

/// zstd compression, optionally against a prefix (the page's previous body): then only what differs costs
/// space. Owns its contexts and frees them in `deinit`. Every libzstd call of the package is in this file.
///
/// Frames carry no zstd checksum: the store checks every restored blob against its SHA-256 instead.
final class Zstd {
    private let cctx: OpaquePointer
    private let dctx: OpaquePointer

    init() throws {
        guard let c = ZSTD_createCCtx() else { throw StoreError.codec("zstd: cannot create a compression context") }
        guard let d = ZSTD_createDCtx() else {
            ZSTD_freeCCtx(c)
            throw StoreError.codec("zstd: cannot create a decompression context")
        }
        cctx = c
        dctx = d
    }

    deinit {
        ZSTD_freeCCtx(cctx)
        ZSTD_freeDCtx(dctx)
    }

    /// The level used for `bytes` of input: the strongest for pages up to 1 MiB (measured: about 10 ms for a
    /// 50 KB page), a fast one above (level 19 takes seconds on a 4.5 MB thread; level 9 tens of milliseconds).
    static func level(for bytes: Int) -> Int32 { bytes <= 1 << 20 ? 19 : 9 }

    func compress(_ data: Data, prefix: Data?) throws -> Data {
        try check(ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters))
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, Zstd.level(for: data.count)))
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0))
        // The window must reach back over the whole prefix for its matches to count.
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, Zstd.windowLog(data.count + (prefix?.count ?? 0))))
        if let prefix, prefix.count > 1 << 20 {
            try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_enableLongDistanceMatching, 1))
        }
        let capacity = ZSTD_compressBound(data.count)
        var out = Data(count: capacity)
        let written: Int = try withPrefix(prefix) { prefixPtr, prefixCount in
            if let prefixPtr { try check(ZSTD_CCtx_refPrefix(cctx, prefixPtr, prefixCount)) }
            return try out.withUnsafeMutableBytes { dst in
                try data.withUnsafeBytes { src in
                    try check(ZSTD_compress2(cctx, dst.baseAddress, capacity, src.baseAddress, src.count))
                }
            }
        }
        out.count = written
        return out
    }

    func decompress(_ data: Data, prefix: Data?, size: Int) throws -> Data {
        try check(ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters))
        try check(ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, 31))
        var out = Data(count: size)
        let produced: Int = try withPrefix(prefix) { prefixPtr, prefixCount in
            if let prefixPtr { try check(ZSTD_DCtx_refPrefix(dctx, prefixPtr, prefixCount)) }
            return try out.withUnsafeMutableBytes { dst in
                try data.withUnsafeBytes { src in
                    try check(ZSTD_decompressDCtx(dctx, dst.baseAddress, size, src.baseAddress, src.count),
                              "a stored blob does not decompress")
                }
            }
        }
        guard produced == size else { throw StoreError.codec("zstd: a stored blob decompressed to \(produced) bytes, not \(size)") }
        return out
    }

    /// A libzstd return value, or the error it names.
    @discardableResult
    private func check(_ code: Int, _ what: String = "") throws -> Int {
        if ZSTD_isError(code) != 0 {
            let name = String(cString: ZSTD_getErrorName(code))
            throw StoreError.codec("zstd: " + (what.isEmpty ? name : "\(what): \(name)"))
        }
        return code
    }

    private func withPrefix<T>(_ prefix: Data?, _ body: (UnsafeRawPointer?, Int) throws -> T) throws -> T {
        guard let prefix, !prefix.isEmpty else { return try body(nil, 0) }
        return try prefix.withUnsafeBytes { try body($0.baseAddress, $0.count) }
    }

    static func windowLog(_ bytes: Int) -> Int32 {
        var log: Int32 = 10
        while (1 << log) < bytes && log < 30 { log += 1 }
        return log
    }
}
