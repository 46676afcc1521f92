// swift-tools-version:6.0
// Palimpsest: an archival scraper and snapshot store for news articles and their comment threads.
//
// Targets by concern, dependencies pointing inward:
//   PalimpsestCore      plain Sendable value types (article, comment, thread, capture, fetch result, clock)
//   PalimpsestHTML      the libxml2 HTML parser and XPath, behind one small wrapper
//   PalimpsestFetch     the polite libcurl fetcher (robots.txt, per-host delay, backoff, limits)
//   PalimpsestServe     a tiny loopback HTTP server (the demo, the tests, the benchmarks)
//   PalimpsestExtract   article and comment-thread extraction, selectors as data, completeness
//   PalimpsestStore     the versioned SQLite store (GRDB), raw bodies deduplicated and zstd-compressed
//   PalimpsestRender    diff, restore and terminal-safe rendering
//   PalimpsestCapture   fetch + extract + store, one capture at a time
//   PalimpsestSchedule  schedules/ files and the long-lived runner
//   PalimpsestFuzzing   the fuzz targets (libFuzzer driver in Tests/Fuzz, replayed by the tests)
//   palimpsest          the thin command-line interface
import PackageDescription

let package = Package(
    name: "Palimpsest",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "palimpsest", targets: ["palimpsest"]),
        // For the libFuzzer driver, a package of its own in Tests/Fuzz (it needs -sanitize=fuzzer).
        .library(name: "PalimpsestFuzzing", targets: ["PalimpsestFuzzing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C libraries: a module map and a shim header each, nothing else.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),

        .target(name: "PalimpsestCore"),
        .target(name: "PalimpsestHTML", dependencies: ["CLibXML2"]),
        .target(name: "PalimpsestFetch", dependencies: ["PalimpsestCore", "CCurl"]),
        .target(name: "PalimpsestServe", dependencies: []),
        .target(name: "PalimpsestExtract", dependencies: ["PalimpsestCore", "PalimpsestHTML"]),
        .target(name: "PalimpsestStore", dependencies: [
            "PalimpsestCore", "CZstd",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),  // SQLiteColumns: columns read in place
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "PalimpsestRender", dependencies: ["PalimpsestCore"]),
        .target(name: "PalimpsestCapture", dependencies: [
            "PalimpsestCore", "PalimpsestFetch", "PalimpsestExtract", "PalimpsestStore",
        ]),
        .target(name: "PalimpsestSchedule", dependencies: [
            "PalimpsestCore", "PalimpsestCapture", "PalimpsestFetch", "PalimpsestStore", "PalimpsestExtract", "PalimpsestHTML",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .executableTarget(name: "palimpsest", dependencies: [
            "PalimpsestCore", "PalimpsestFetch", "PalimpsestServe", "PalimpsestExtract",
            "PalimpsestStore", "PalimpsestRender", "PalimpsestCapture", "PalimpsestSchedule",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Fuzz targets (see Tests/Fuzz/README.md): run by the libFuzzer driver, replayed by the tests.
        .target(name: "PalimpsestFuzzing", dependencies: [
            "PalimpsestCore", "PalimpsestExtract", "PalimpsestRender", "PalimpsestSchedule",
        ]),

        // Benchmarks (see Benchmarks/README.md): measured side by side with the tools users would pick instead.
        .executableTarget(name: "palimpsest-bench", dependencies: [
            "PalimpsestCore", "PalimpsestHTML", "PalimpsestExtract", "PalimpsestStore", "PalimpsestFetch",
            "PalimpsestServe", "PalimpsestCapture", "PalimpsestRender", "PalimpsestSchedule",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ], path: "Benchmarks/palimpsest-bench"),

        .testTarget(name: "PalimpsestFetchTests", dependencies: ["PalimpsestFetch", "PalimpsestServe"], exclude: ["Fixtures"]),
        .testTarget(name: "PalimpsestExtractTests", dependencies: ["PalimpsestExtract"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "PalimpsestStoreTests", dependencies: [
            "PalimpsestStore", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "PalimpsestScheduleTests", dependencies: ["PalimpsestSchedule", "PalimpsestServe"]),
        .testTarget(name: "PalimpsestRenderTests", dependencies: ["PalimpsestRender"]),
        .testTarget(name: "PalimpsestCLITests", dependencies: [
            "palimpsest", "PalimpsestServe", "PalimpsestCapture", "PalimpsestStore", "PalimpsestFetch", "PalimpsestCore",
        ], exclude: ["Fixtures"]),
        .testTarget(name: "PalimpsestFuzzingTests", dependencies: ["PalimpsestFuzzing"]),
    ],
    swiftLanguageModes: [.v6]
)
