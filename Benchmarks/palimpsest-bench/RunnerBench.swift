import ArgumentParser
import Foundation
import GRDB
import GRDBSQLite
import PalimpsestCore
import PalimpsestFetch
import PalimpsestSchedule
import PalimpsestStore

/// The scheduled runner over thousands of real captures (loopback site, real store), time driven by a manual
/// clock: resident memory and the state file are sampled every `every` captures and must not grow.
struct RunnerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runner", abstract: "Resident memory of the scheduled runner over many captures.")

    @Option var pages = 100
    @Option var captures = 5000
    @Option var comments = 50
    @Option(help: "Sample memory every this many captures.") var every = 500
    @Option(help: "Pages served by another process (`palimpsest-bench serve`): their URL list, one per line. Without it the site is served from this process and changes between passes.")
    var urls: String?
    @Option(help: "With --urls: the server's process id, sent SIGUSR1 after each pass so that its pages change.")
    var serverPID: Int32?

    func run() async throws {
        // In this process, a site whose pages change (and keep their size) between passes; or another
        // process's pages, so that the server's own memory is not counted.
        let site = urls == nil ? try BenchSite(pages: pages, comments: comments) : nil
        defer { site?.server.stop() }
        let pageURLs = try urls.map { try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n").map(String.init) }
            ?? site!.urls
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("palimpsest-runner-\(UUID().uuidString)")
        let schedules = dir.appendingPathComponent("schedules")
        try FileManager.default.createDirectory(at: schedules, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let watches = pageURLs.map { "[[watch]]\nurl = \"\($0)\"\nevery = \"30m\"\nmax_every = \"30m\"\n" }
        try watches.joined(separator: "\n").write(to: schedules.appendingPathComponent("bench.toml"),
                                                   atomically: true, encoding: .utf8)
        let storePath = dir.appendingPathComponent("store.sqlite").path
        let statePath = storePath + ".schedule-state.json"
        var options = FetchOptions()
        options.perHostDelay = 0
        options.respectRobots = false
        let clock = ManualClock()
        let backend = CapturerBackend(store: try Store(path: storePath), fetchOptions: options, clock: clock)
        let runner = try ScheduleRunner(directory: schedules.path, statePath: statePath, backend: backend, clock: clock,
                                        options: RunnerOptions(seed: 1))
        var done = 0, failures = 0, nextSample = every
        var samples: [[String: Any]] = []
        let elapsed = try await asyncSeconds {
            while done < captures {
                let report = await runner.pass()
                guard report.captures > 0 || report.failures > 0 else {
                    clock.advance(by: 60)
                    continue
                }
                done += report.captures
                failures += report.failures
                // A new comment, an edit and a removal on every page: each capture records changes, and the
                // pages keep their size (growing pages would grow memory for reasons of their own).
                site?.churn(3)
                if let serverPID {
                    kill(serverPID, SIGUSR1)
                    try await Task.sleep(nanoseconds: 20_000_000)
                }
                clock.advance(by: 30 * 60)
                if done >= nextSample {
                    // Resident memory as it stands, then after giving free heap pages back to the system: what
                    // stays after malloc_trim is live memory (a leak would show there), the rest is the allocator's.
                    let rss = currentRSSMiB()
                    _ = mallocTrim(0)
                    samples.append(["captures": done, "rss_mib": rss, "rss_trimmed_mib": currentRSSMiB(),
                                    "sqlite_mib": (Double(sqlite3_memory_used()) / 104_857.6).rounded() / 10,
                                    "state_bytes": fileSize(statePath)])
                    nextSample += every
                }
            }
            _ = try checkpointedSize(storePath)
        }
        let rss = samples.compactMap { $0["rss_trimmed_mib"] as? Double }
        // Growth: last sample against the first one taken after warm-up (the first fifth of the run).
        let warm = rss.count >= 5 ? rss[rss.count / 5] : rss.first ?? 0
        emit(["captures": done, "failures": failures, "seconds": elapsed, "captures_per_s": Double(done) / elapsed,
              "samples": samples, "rss_after_warmup_mib": warm, "rss_last_mib": rss.last ?? 0,
              "rss_growth_mib": ((rss.last ?? 0) - warm)])
    }
}

/// Resident set size now (not the peak), in MiB, from /proc/self/statm.
func currentRSSMiB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
    return (pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576 * 10).rounded() / 10
}

/// glibc's malloc_trim (not exported to Swift by Glibc's module map).
@_silgen_name("malloc_trim") func mallocTrim(_ pad: Int) -> Int32
