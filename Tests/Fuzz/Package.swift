// swift-tools-version:6.0
// The libFuzzer driver for Palimpsest's fuzz targets (Sources/PalimpsestFuzzing in the main package).
// A package of its own because it links only with -sanitize=fuzzer; run it with ./run.sh (see README.md).
import PackageDescription

let package = Package(
    name: "PalimpsestFuzz",
    dependencies: [
        .package(name: "Palimpsest", path: "../.."),
    ],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver (the runtime comes with -sanitize=fuzzer).
        .systemLibrary(name: "CLibFuzzer"),
        .executableTarget(name: "palimpsest-fuzz", dependencies: [
            "CLibFuzzer", .product(name: "PalimpsestFuzzing", package: "Palimpsest"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
