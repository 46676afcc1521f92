import ArgumentParser
import Foundation

/// The benchmark driver. Each subcommand prints one JSON object on stdout (numbers only, for run.sh and
/// BENCHMARKS.md), and its peak resident memory. Timings are wall-clock on one thread unless said.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "palimpsest-bench",
        abstract: "Palimpsest's benchmarks (run them all with Benchmarks/run.sh).",
        subcommands: [ParseBench.self, StorageBench.self, QueryBench.self, PipelineBench.self, ServeBench.self, RunnerBench.self, GenerateBench.self])
}

/// Peak resident set size of this process, in MiB.
func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func emit(_ fields: [String: Any]) {
    var f = fields
    f["peak_rss_mib"] = (peakRSSMiB() * 10).rounded() / 10
    let data = try! JSONSerialization.data(withJSONObject: f, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
}

/// Median and worst of a list of timings.
func stats(_ xs: [Double]) -> (median: Double, worst: Double) {
    let s = xs.sorted()
    return (s.isEmpty ? 0 : s[s.count / 2], s.last ?? 0)
}

func temporaryStore(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("palimpsest-bench-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}
