import ArgumentParser
import Foundation
import PalimpsestRender
import PalimpsestStore

/// history, restore (snapshot + rendering) and diff latency on a large store.
struct QueryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queries", abstract: "Median and worst latency of history, restore and diff on a store.")

    @Option var store: String
    @Option var url: String
    @Option var samples = 30

    func run() throws {
        let s = try Store.openExisting(path: store)
        var rng = SplitMix(seed: 7)
        var history: [Double] = []
        var restore: [Double] = []
        var diff: [Double] = []
        var captures = 0
        var comments = 0
        let renderer = TextRenderer(style: OutputStyle(color: false))
        for _ in 0..<samples {
            history.append(try seconds { captures = try s.history(url: url).count })
        }
        for _ in 0..<samples {
            let n = 1 + Int(rng.next() % UInt64(captures))
            restore.append(try seconds {
                let snap = try s.snapshot(url: url, at: n, includeRemoved: false)
                comments = snap.comments.count
                _ = RestoreReport(snapshot: snap, renderer: renderer).text
            })
        }
        for _ in 0..<samples {
            let a = 1 + Int(rng.next() % UInt64(captures)), b = 1 + Int(rng.next() % UInt64(captures))
            diff.append(try seconds {
                let sides = try s.snapshots(url: url, at: [min(a, b), max(a, b)], includeRemoved: false)
                let d = ThreadDiff(from: sides[0], to: sides[1])
                _ = DiffText(renderer: renderer).render(url: url, diff: d)
            })
        }
        let h = stats(history), r = stats(restore), d = stats(diff)
        emit(["captures": captures, "comments_at_last_sample": comments,
              "history_ms_median": h.median * 1000, "history_ms_worst": h.worst * 1000,
              "restore_ms_median": r.median * 1000, "restore_ms_worst": r.worst * 1000,
              "diff_ms_median": d.median * 1000, "diff_ms_worst": d.worst * 1000])
    }
}
