import CZstd
import Foundation

/// zstd compression, optionally against a prefix (the page's previous body): then only what differs costs
/// space. Owns its contexts and frees them in `deinit`. Every libzstd call of the package is in this file.
final class Zstd {
    private let cctx: OpaquePointer
    private let dctx: OpaquePointer

    init() throws {
        guard let c = ZSTD_createCCtx(), let d = ZSTD_createDCtx() else { throw StoreError.codec("zstd: cannot create a context") }
        cctx = c
        dctx = d
    }

    deinit {
        ZSTD_freeCCtx(cctx)
        ZSTD_freeDCtx(dctx)
    }

    func compress(_ data: Data, prefix: Data?, level: Int32 = 9) throws -> Data {
        ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)
        let window = Zstd.windowLog(data.count + (prefix?.count ?? 0))
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, window)
        if prefix != nil { ZSTD_CCtx_setParameter(cctx, ZSTD_c_enableLongDistanceMatching, 1) }
        let capacity = ZSTD_compressBound(data.count)
        var out = Data(count: capacity)
        let written: Int = try withPrefix(prefix) { prefixPtr, prefixCount in
            if let prefixPtr {
                let r = ZSTD_CCtx_refPrefix(cctx, prefixPtr, prefixCount)
                if ZSTD_isError(r) != 0 { throw StoreError.codec("zstd: \(String(cString: ZSTD_getErrorName(r)))") }
            }
            return try out.withUnsafeMutableBytes { dst in
                try data.withUnsafeBytes { src in
                    let r = ZSTD_compress2(cctx, dst.baseAddress, capacity, src.baseAddress, src.count)
                    if ZSTD_isError(r) != 0 { throw StoreError.codec("zstd: \(String(cString: ZSTD_getErrorName(r)))") }
                    return r
                }
            }
        }
        out.count = written
        return out
    }

    func decompress(_ data: Data, prefix: Data?, size: Int) throws -> Data {
        ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters)
        ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, 31)
        var out = Data(count: size)
        let produced: Int = try withPrefix(prefix) { prefixPtr, prefixCount in
            if let prefixPtr {
                let r = ZSTD_DCtx_refPrefix(dctx, prefixPtr, prefixCount)
                if ZSTD_isError(r) != 0 { throw StoreError.codec("zstd: \(String(cString: ZSTD_getErrorName(r)))") }
            }
            return try out.withUnsafeMutableBytes { dst in
                try data.withUnsafeBytes { src in
                    let r = ZSTD_decompressDCtx(dctx, dst.baseAddress, size, src.baseAddress, src.count)
                    if ZSTD_isError(r) != 0 {
                        throw StoreError.codec("zstd: a stored body does not decompress: \(String(cString: ZSTD_getErrorName(r)))")
                    }
                    return r
                }
            }
        }
        guard produced == size else { throw StoreError.codec("zstd: a stored body decompressed to \(produced) bytes, not \(size)") }
        return out
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
