import ArgumentParser
import Foundation
import PalimpsestCore
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
        var history: [Double] = [], state: [Double] = [], restore: [Double] = [], diff: [Double] = [], diffText: [Double] = []
        var captures = 0
        var comments = 0
        let renderer = TextRenderer(style: OutputStyle(color: false))
        for _ in 0..<samples {
            history.append(try seconds { captures = try s.history(url: url).count })
        }
        for _ in 0..<samples {
            let n = 1 + Int(rng.next() % UInt64(captures))
            var snap: Snapshot?
            // The state at a capture (what restore and diff stand on), then the same rendered as `restore` prints it.
            state.append(try seconds { snap = try s.snapshot(url: url, at: n, includeRemoved: false) })
            comments = snap?.comments.count ?? 0
            restore.append(try seconds {
                let snap = try s.snapshot(url: url, at: n, includeRemoved: false)
                _ = RestoreReport(snapshot: snap, renderer: renderer).text
            })
        }
        for _ in 0..<samples {
            let a = 1 + Int(rng.next() % UInt64(captures)), b = 1 + Int(rng.next() % UInt64(captures))
            var d: ThreadDiff?
            // The diff between two captures (both states and the comparison), then rendered as `diff` prints it.
            diff.append(try seconds {
                let sides = try s.snapshots(url: url, at: [min(a, b), max(a, b)], includeRemoved: false)
                d = ThreadDiff(from: sides[0], to: sides[1])
            })
            diffText.append(seconds { _ = DiffText(renderer: renderer).render(url: url, diff: d!) })
        }
        let h = stats(history), st = stats(state), r = stats(restore), df = stats(diff)
        let dt = stats(zip(diff, diffText).map { $0 + $1 })
        emit(["captures": captures, "comments_at_last_sample": comments,
              "history_ms_median": h.median * 1000, "history_ms_worst": h.worst * 1000,
              "state_ms_median": st.median * 1000, "state_ms_worst": st.worst * 1000,
              "restore_ms_median": r.median * 1000, "restore_ms_worst": r.worst * 1000,
              "diff_ms_median": df.median * 1000, "diff_ms_worst": df.worst * 1000,
              "diff_text_ms_median": dt.median * 1000, "diff_text_ms_worst": dt.worst * 1000])
    }
}
