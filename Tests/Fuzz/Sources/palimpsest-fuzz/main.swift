import CLibFuzzer
import Foundation
import PalimpsestFuzzing

// palimpsest-fuzz TARGET [libFuzzer options and corpus folders]
// TARGET is one of FuzzTarget's cases (extract, rules, schedule); the rest goes to libFuzzer as is.
let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
guard CommandLine.arguments.count > 1, let chosen = FuzzTarget(rawValue: CommandLine.arguments[1]) else {
    FileHandle.standardError.write(Data("usage: palimpsest-fuzz TARGET [libFuzzer options] [CORPUS...]; TARGET: \(names)\n".utf8))
    exit(2)
}

/// The target libFuzzer calls back into (a C callback cannot capture it).
nonisolated(unsafe) var target = chosen

/// One input. Also exported as libFuzzer's usual entry point: SwiftPM renames this file's `main`, so the
/// linker pulls libFuzzer's own `main` object in too, which needs the symbol (ours stays the entry point).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    target.run(size == 0 ? Data() : Data(bytes: data!, count: size))
    return 0
}

var arguments = [CommandLine.arguments[0]] + CommandLine.arguments.dropFirst(2)
var argc = Int32(arguments.count)
var cStrings = arguments.map { strdup($0) } + [nil]
let status = cStrings.withUnsafeMutableBufferPointer { buffer -> Int32 in
    var argv = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in testOneInput(data, size) }
}
exit(status)
