#!/usr/bin/env python3
"""Runs Palimpsest's benchmarks side by side with what users would pick instead, and writes BENCHMARKS.md.

usage: python3 Benchmarks/run.py [--quick] [--skip-build]
Needs ../shared (the corpora and the scenario) beside the repository, trafilatura (pip) and wget (Debian).
Every comparison is made in one run on this machine and reported as a ratio.
"""
import argparse
import datetime
import glob
import gzip
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
OUT = os.path.join(ROOT, "Benchmarks", "out")
BIN = os.path.join(ROOT, ".build", "release", "palimpsest")
BENCH = os.path.join(ROOT, ".build", "release", "palimpsest-bench")
PIN = ["taskset", "-c", "0"] if shutil.which("taskset") else []


def sh(cmd, **kw):
    print("+", " ".join(cmd) if isinstance(cmd, list) else cmd, file=sys.stderr, flush=True)
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def bench(*args):
    return json.loads(sh(PIN + [BENCH, *args]).strip().splitlines()[-1])


def eval_extract(extractor_args, name):
    out = os.path.join(OUT, f"eval-{name}.jsonl")
    if os.path.exists(out):
        os.remove(out)
    sh([sys.executable, os.path.join(SHARED, "tools", "eval_extract.py"), *extractor_args, "--dataset", "readability",
        "--data", os.path.join(SHARED, "corpus", "readability-pages"), "--name", name, "--json-out", out], cwd=ROOT)
    return json.loads(open(out).read().splitlines()[-1])


def extraction(results):
    pages = os.path.join(SHARED, "corpus", "readability-pages")
    ours = eval_extract(["--cmd", f"{BIN} extract --jsonl {{dir}}"], "palimpsest")
    traf = eval_extract(["trafilatura"], "trafilatura")
    floor = bench("parse", pages)
    results["extraction"] = {"palimpsest": ours, "trafilatura": traf, "floor": floor}
    # Comments: our JSON per page, scored against the gold threads.
    comments = os.path.join(SHARED, "corpus", "comments")
    pred = tempfile.mkdtemp()
    for page in sorted(glob.glob(os.path.join(comments, "*.html"))):
        name = os.path.basename(page)[:-5]
        with open(os.path.join(pred, name + ".json"), "w") as f:
            f.write(sh([BIN, "extract", "--json", page]))
    score = sh([sys.executable, os.path.join(SHARED, "tools", "score_comments.py"), comments, pred])
    nums = dict(re.findall(r"(\w+)=([0-9.]+)", score))
    cfloor = bench("parse", comments)
    results["comments"] = {"score": nums, "score_text": score.strip(), "speed": cfloor}


def storage(results, quick):
    t2 = os.path.join(SHARED, "scenarios", "bamako-thread", "t2.html")
    results["unchanged"] = bench("storage", "unchanged", "--page", t2, "--captures", "100")
    # A thread that grows by one comment per capture: the scenario's 32-comment thread, cut at each comment.
    grow = tempfile.mkdtemp()
    sh([sys.executable, os.path.join(ROOT, "Benchmarks", "growing_thread.py"), t2, grow])
    results["growing"] = bench("storage", "growing", "--dir", grow)
    results["growing"]["wget"] = wget_sizes(sorted(glob.glob(os.path.join(grow, "*.html"))))
    results["unchanged"]["wget"] = wget_sizes([t2] * 101)
    captures = "200" if quick else "1000"
    store = os.path.join(tempfile.mkdtemp(), "large.sqlite")
    results["large"] = bench("storage", "large", "--comments", "10000", "--captures", captures, "--changes", "50",
                             "--store", store)
    results["queries"] = bench("queries", "--store", store, "--url", results["large"]["url"], "--samples", "30")


def wget_sizes(files):
    """WARC bytes added after the first capture by wget --warc-file, without and with --warc-dedup."""
    if not shutil.which("wget"):
        return None
    site = tempfile.mkdtemp()
    server = subprocess.Popen([sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", site],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        port = re.search(r"port (\d+)", line).group(1)
        url = f"http://127.0.0.1:{port}/page.html"
        work = tempfile.mkdtemp()
        sizes = {"plain": [], "dedup": []}
        for i, f in enumerate(files):
            shutil.copy(f, os.path.join(site, "page.html"))
            for mode in ("plain", "dedup"):
                warc = os.path.join(work, f"{mode}-{i:04d}")
                args = ["wget", "-q", "-O", "/dev/null", "--no-warc-keep-log", f"--warc-file={warc}",
                        f"--warc-cdx"]
                if mode == "dedup" and i > 0:
                    args.append(f"--warc-dedup={os.path.join(work, 'dedup-all.cdx')}")
                subprocess.run(args + [url], check=False)
                sizes[mode].append(os.path.getsize(warc + ".warc.gz"))
                if mode == "dedup":
                    with open(os.path.join(work, "dedup-all.cdx"), "a") as all_cdx, open(warc + ".cdx") as cdx:
                        lines = cdx.read().splitlines()
                        all_cdx.write("\n".join(lines if i == 0 else lines[1:]) + "\n")
        later = lambda xs: sum(xs[1:]) / max(len(xs) - 1, 1)
        return {"warc_bytes_per_later_capture": later(sizes["plain"]),
                "warc_dedup_bytes_per_later_capture": later(sizes["dedup"])}
    finally:
        server.terminate()
        server.wait()


def pipeline(results, quick):
    rounds = "3" if quick else "10"
    results["pipeline"] = bench("pipeline", "--pages", "100", "--rounds", rounds, "--comments", "50")
    # The same job with wget --warc-file: fetch and archive the raw bytes, nothing else.
    urls = os.path.join(tempfile.mkdtemp(), "urls.txt")
    server = subprocess.Popen([BENCH, "serve", "--pages", "100", "--comments", "50", "--urls", urls],
                              stdout=subprocess.PIPE, text=True)
    try:
        server.stdout.readline()
        work = tempfile.mkdtemp()
        start = time.perf_counter()
        for r in range(int(rounds)):
            if r:
                server.send_signal(signal.SIGUSR1)
                time.sleep(0.05)
            subprocess.run(["wget", "-q", "-O", "/dev/null", f"--warc-file={work}/round{r}", "-i", urls], check=False)
        elapsed = time.perf_counter() - start
        size = sum(os.path.getsize(p) for p in glob.glob(f"{work}/*.warc.gz"))
        results["pipeline"]["wget"] = {"captures": 100 * int(rounds), "seconds": elapsed,
                                       "captures_per_s": 100 * int(rounds) / elapsed, "warc_bytes": size}
    finally:
        server.terminate()
        server.wait()


def runner(results, quick):
    # The site is served by another process (its pages change after each pass, keeping their size), so that
    # only the runner's memory is measured.
    captures = "1000" if quick else "5000"
    urls = os.path.join(tempfile.mkdtemp(), "urls.txt")
    server = subprocess.Popen([BENCH, "serve", "--pages", "100", "--comments", "50", "--urls", urls, "--churn"],
                              stdout=subprocess.PIPE, text=True)
    try:
        server.stdout.readline()
        results["runner"] = bench("runner", "--urls", urls, "--server-pid", str(server.pid), "--captures", captures,
                                  "--every", "100" if quick else "500")
    finally:
        server.terminate()
        server.wait()


def machine():
    cpu = ""
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read()).group(1)
    except Exception:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.platform()}, {swift}"


def fmt(x, digits=1):
    return f"{x:,.{digits}f}" if isinstance(x, (int, float)) else str(x)


def goals(r):
    """The goals of the issues, each with what this run measured and whether it is met."""
    rows = []

    def row(goal, measured, met):
        rows.append(f"| {goal} | {measured} | {'met' if met else '**missed**'} |")
    if "extraction" in r:
        o, t, f = r["extraction"]["palimpsest"], r["extraction"]["trafilatura"], r["extraction"]["floor"]
        row("extraction F1 above trafilatura's", f"{o['f1']:.3f} vs {t['f1']:.3f}", o["f1"] > t["f1"])
        ratio = o["pages_per_s"] / t["pages_per_s"]
        row("extraction 5x trafilatura's pages/s or more", f"{ratio:.1f}x", ratio >= 5)
        row("extraction within 2x of a bare libxml2 parse", f"{f['extract_over_parse']:.2f}x", f["extract_over_parse"] <= 2)
    if "unchanged" in r:
        u = r["unchanged"]["store_bytes_added_after_first"]
        row("100 captures of an unchanged page add under 64 KiB", f"{u:,} bytes", u < 65536)
        g = r["growing"]["store_over_gzip"]
        row("growing thread: at most 1/4 of gzip per capture", f"{g:.2f}", g <= 0.25)
    if "queries" in r:
        q = r["queries"]
        st = q.get("state_ms_worst", q["restore_ms_worst"])
        row("state at any capture under 100 ms (10,000 comments, 1,000 captures)",
            f"median {q.get('state_ms_median', q['restore_ms_median']):.0f} ms, worst {st:.0f} ms", st < 100)
        row("diff between any two captures under 100 ms", f"median {q['diff_ms_median']:.0f} ms, worst {q['diff_ms_worst']:.0f} ms",
            q["diff_ms_worst"] < 100)
    if "runner" in r:
        u = r["runner"]
        row("the scheduled runner's memory does not grow over 5,000 captures",
            f"{u['rss_growth_mib']:+.1f} MiB of live memory after warm-up", u["rss_growth_mib"] < 1)
    if not rows:
        return []
    return ["## Goals\n", "| goal | measured | |", "|---|---|---|"] + rows + [""]


def report(r, quick, started):
    L = []
    L.append("# Benchmarks\n")
    L.append(f"Measured {started:%Y-%m-%d %H:%M} UTC on {machine()}.  ")
    if r.get("measured"):
        # Parts re-run alone (--only) keep the time of their own run.
        L.append("Parts measured at: " + ", ".join(f"{k} {v}" for k, v in sorted(r["measured"].items())) + ".  ")
    L.append("Command: `python3 Benchmarks/run.py" + (" --quick" if quick else "") + "` (builds release, runs everything, "
             "writes this file). Comparisons are made in the same run and given as ratios; the machine is shared "
             "and noisy, so read speeds to within ±15%.\n")
    L.extend(goals(r))
    if "extraction" in r:
        e = r["extraction"]
        o, t, f = e["palimpsest"], e["trafilatura"], e["floor"]
        L.append("## 1. Extraction (126 pages of ../shared/corpus/readability-pages, one core)\n")
        L.append("| extractor | F1 | precision | recall | pages/s | vs trafilatura |")
        L.append("|---|---|---|---|---|---|")
        L.append(f"| Palimpsest | {o['f1']:.3f} | {o['precision']:.3f} | {o['recall']:.3f} | {fmt(o['pages_per_s'])} | "
                 f"{o['pages_per_s'] / t['pages_per_s']:.1f}x |")
        L.append(f"| trafilatura {t.get('version', '')} | {t['f1']:.3f} | {t['precision']:.3f} | {t['recall']:.3f} | "
                 f"{fmt(t['pages_per_s'])} | 1.0x |")
        L.append(f"| bare libxml2 parse (floor) | – | – | – | {fmt(f['parse_pages_per_s'])} | "
                 f"{f['parse_pages_per_s'] / t['pages_per_s']:.1f}x |")
        L.append("")
        L.append(f"Extraction over parse, same process: {f['extract_over_parse']:.2f}x the time of the bare parse "
                 f"(goal: within 2x). Goals: F1 above trafilatura's, 5x its pages/s.\n")
        c = r["comments"]
        s = c["score"]
        L.append("### Comment threads (../shared/corpus/comments, 29 pages, 408 comments)\n")
        L.append("| | F1 | precision | recall | parent accuracy | author accuracy | pages with invented comments | pages/s |")
        L.append("|---|---|---|---|---|---|---|---|")
        L.append(f"| Palimpsest | {s.get('F1')} | {s.get('precision')} | {s.get('recall')} | {s.get('parent_accuracy')} | "
                 f"{s.get('author_accuracy')} | {s.get('false_positive_pages')} | {fmt(c['speed']['extract_pages_per_s'])} |")
        L.append("\nFor reference (corpus README): trafilatura finds the text of 88% of these comments, as one flat block "
                 "without ids, authors or nesting, and reports comment text on 3 of the 5 pages that have none.\n")
    if "pipeline" in r:
        p = r["pipeline"]
        w = p.get("wget", {})
        L.append("## 2. Capture pipeline (100 pages with 50-comment threads on a loopback server)\n")
        L.append("| job | captures | seconds | captures/s | bytes kept | peak RSS |")
        L.append("|---|---|---|---|---|---|")
        L.append(f"| palimpsest capture (fetch, extract, store; 4 at a time) | {p['captures']} | {fmt(p['seconds'])} | "
                 f"{fmt(p['captures_per_s'])} | {p['store_bytes']:,} | {p['peak_rss_mib']} MiB |")
        if w:
            L.append(f"| wget --warc-file (fetch and archive only) | {w['captures']} | {fmt(w['seconds'])} | "
                     f"{fmt(w['captures_per_s'])} | {w['warc_bytes']:,} | – |")
        L.append("")
    if "unchanged" in r:
        L.append("## 3. Storage (bytes the store file grows by, WAL folded in, derived data included)\n")
        L.append("| thread | captures | store per later capture | gzip'd body per capture | wget WARC | wget WARC + --warc-dedup | store / gzip |")
        L.append("|---|---|---|---|---|---|---|")
        for key, label in [("unchanged", "unchanged page (scenario t2)"), ("growing", "growing by one comment (scenario thread)"),
                           ("large", "10,000 comments, 50 changes per capture")]:
            x = r[key]
            w = x.get("wget") or {}
            L.append(f"| {label} | {x['captures']} | {fmt(x['store_bytes_per_later_capture'], 0)} | "
                     f"{fmt(x['gzip_bytes_per_later_capture'], 0)} | {fmt(w.get('warc_bytes_per_later_capture', '–'), 0)} | "
                     f"{fmt(w.get('warc_dedup_bytes_per_later_capture', '–'), 0)} | {x['store_over_gzip']:.3f} |")
        u = r["unchanged"]
        L.append(f"\n100 captures of an unchanged page added {u['store_bytes_added_after_first']:,} bytes after the first "
                 f"(goal: under 65,536). Growing thread: the store costs {r['growing']['store_over_gzip']:.2f} of gzip per "
                 f"capture (goal: at most 0.25). Recording a capture of the 10,000-comment thread: median "
                 f"{fmt(r['large']['record_ms_median'])} ms, worst {fmt(r['large']['record_ms_worst'])} ms "
                 f"(extraction included); peak RSS {r['large']['peak_rss_mib']} MiB.\n")
    if "queries" in r:
        q = r["queries"]
        L.append(f"## 4. Queries on a store of {q['captures']} captures of a 10,000-comment thread\n")
        L.append("| query | median | worst |")
        L.append("|---|---|---|")
        L.append(f"| history (all captures) | {fmt(q['history_ms_median'])} ms | {fmt(q['history_ms_worst'])} ms |")
        if "state_ms_median" in q:
            L.append(f"| state at a random capture (every comment present, in thread order) | {fmt(q['state_ms_median'])} ms | {fmt(q['state_ms_worst'])} ms |")
        L.append(f"| restore at a random capture (state + text as printed) | {fmt(q['restore_ms_median'])} ms | {fmt(q['restore_ms_worst'])} ms |")
        L.append(f"| diff between two random captures (both states + comparison) | {fmt(q['diff_ms_median'])} ms | {fmt(q['diff_ms_worst'])} ms |")
        if "diff_text_ms_median" in q:
            L.append(f"| diff as printed (+ the threaded view of the whole thread) | {fmt(q['diff_text_ms_median'])} ms | {fmt(q['diff_text_ms_worst'])} ms |")
        L.append(f"\nGoal: state and diff under 100 ms. Peak RSS {q['peak_rss_mib']} MiB.\n")
    L.append("## 5. Memory\n")
    L.append("Peak resident memory is given beside each job above (getrusage of the benchmark process).\n")
    if "runner" in r:
        u = r["runner"]
        L.append(f"The scheduled runner (`palimpsest-bench runner`: the real runner, capturer and store, time driven by a "
                 f"manual clock; the pages served by another process and changed after each pass) over {u['captures']:,} captures of 100 pages ({fmt(u['captures_per_s'])} captures/s, "
                 f"{u['failures']} failed): live memory (resident after `malloc_trim`) {u['rss_after_warmup_mib']} MiB "
                 f"after the first fifth, {u['rss_last_mib']} MiB at the end (growth {u['rss_growth_mib']:+.1f} MiB); "
                 f"peak {u['peak_rss_mib']} MiB.\n")
        L.append("| captures | resident MiB | resident after malloc_trim, MiB | schedule state file bytes |")
        L.append("|---|---|---|---|")
        for x in u["samples"]:
            L.append(f"| {x['captures']:,} | {x['rss_mib']} | {x.get('rss_trimmed_mib', '–')} | {x['state_bytes']:,} |")
        L.append("")
    L.append("## Raw results\n")
    L.append("```json\n" + json.dumps(r, indent=1, sort_keys=True, default=str)[:20000] + "\n```\n")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller runs (200 captures of the large thread, 3 rounds)")
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--report-only", action="store_true", help="rewrite BENCHMARKS.md from the last results.json")
    ap.add_argument("--only", nargs="*", default=["extraction", "pipeline", "storage", "runner"],
                    help="parts to run (extraction pipeline storage runner queries); the others are kept from the "
                         "last results.json")
    ap.add_argument("--large-store", help="with --only queries: the large store an earlier storage run kept")
    args = ap.parse_args()
    if not os.path.isdir(SHARED):
        sys.exit("../shared (corpora and scenario) is needed beside the repository")
    os.makedirs(OUT, exist_ok=True)
    started = datetime.datetime.utcnow()
    if args.report_only:
        with open(os.path.join(ROOT, "BENCHMARKS.md"), "w") as f:
            f.write(report(json.load(open(os.path.join(OUT, "results.json"))), False, started))
        return
    if not args.skip_build:
        sh(["swift", "build", "-c", "release", "--product", "palimpsest"], cwd=ROOT)
        sh(["swift", "build", "-c", "release", "--product", "palimpsest-bench"], cwd=ROOT)
    results = os.path.join(OUT, "results.json")
    r = json.load(open(results)) if os.path.exists(results) and set(args.only) != {"extraction", "pipeline", "storage", "runner"} else {}
    if "queries" in args.only and "storage" not in args.only:
        r["queries"] = bench("queries", "--store", args.large_store, "--url", r["large"]["url"], "--samples", "30")
    if "extraction" in args.only:
        extraction(r)
    if "pipeline" in args.only:
        pipeline(r, args.quick)
    if "storage" in args.only:
        storage(r, args.quick)
    if "runner" in args.only:
        runner(r, args.quick)
    for part in args.only:
        r.setdefault("measured", {})[part] = f"{started:%Y-%m-%d %H:%M} UTC"
    with open(results, "w") as f:
        json.dump(r, f, indent=1, default=str)
    with open(os.path.join(ROOT, "BENCHMARKS.md"), "w") as f:
        f.write(report(r, args.quick, started))
    print("wrote BENCHMARKS.md")


if __name__ == "__main__":
    main()
