import Foundation
import Testing

/// The commands users run, end to end through the built `palimpsest` binary, on a thread of our own
/// (Fixtures/library-thread: three moments, a truncated page and a maintenance page served with 200).
@Suite struct CLIScenarioTests {
    static let url = "https://courier.example.net/2026/02/02/fairhaven-library-extension/"
    let cli = CLI()

    /// Imports t0, t1, t2, t2 again, truncated, soft-error, an hour or more apart.
    func importAll() throws {
        let steps = [("t0", "2026-02-02T10:00:00+01:00"), ("t1", "2026-02-02T16:00:00+01:00"),
                     ("t2", "2026-02-03T08:00:00+01:00"), ("t2", "2026-02-03T14:00:00+01:00"),
                     ("truncated", "2026-02-03T15:00:00+01:00"), ("soft-error", "2026-02-03T16:00:00+01:00")]
        for (file, at) in steps {
            let r = try cli.run("import", CLI.fixture("library-thread/\(file).html"), "--url", Self.url, "--at", at)
            #expect(r.status == 0, "import \(file): \(r.stderr)")
        }
    }

    @Test func historyRecordsAppearancesEditsDisappearancesAndFaultyCaptures() throws {
        try importAll()
        let r = try cli.run("history", Self.url, "--json")
        #expect(r.status == 0)
        let caps = try #require(try r.json()["captures"] as? [[String: Any]])
        try #require(caps.count == 6)
        func ids(_ c: [String: Any], _ key: String) -> [String] { ((c[key] as? [String]) ?? []).sorted() }
        #expect(caps.map { $0["complete"] as? Bool } == [true, true, true, true, false, false])
        #expect(ids(caps[0], "appeared") == ["701", "702", "703", "704", "705"])
        #expect(ids(caps[1], "appeared") == ["706", "707", "708"])
        #expect(caps[1]["article_changed"] as? Bool == true)
        #expect(ids(caps[2], "appeared") == ["709", "710"])
        #expect(ids(caps[2], "disappeared") == ["703", "708"])
        #expect(ids(caps[2], "edited") == ["707"])
        #expect(caps[2]["comments"] as? Int == 8)
        #expect(caps[2]["declared_count"] as? Int == 8)
        for c in caps[3...] {
            #expect(ids(c, "appeared").isEmpty && ids(c, "disappeared").isEmpty && ids(c, "edited").isEmpty)
        }
        #expect(!((caps[4]["problems"] as? [Any]) ?? []).isEmpty, "the truncated capture says why")
        #expect(!((caps[5]["problems"] as? [Any]) ?? []).isEmpty, "the maintenance page says why")
        // The human view: one line per capture, the incomplete ones marked.
        let human = try cli.run("history", Self.url)
        #expect(human.stdout.components(separatedBy: "INCOMPLETE").count - 1 == 2)
    }

    @Test func diffShowsTheRemovedParentTheEditAndTheArticleChange() throws {
        try importAll()
        let d = try cli.run("diff", Self.url, "--from", "2026-02-02T16:00:00+01:00", "--to", "3", "--json").json()
        let comments = try #require(d["comments"] as? [String: Any])
        func ids(_ key: String) -> [String] {
            ((comments[key] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.sorted()
        }
        #expect(ids("added") == ["709", "710"])
        #expect(ids("removed") == ["703", "708"])
        #expect(ids("edited") == ["707"])
        let edit = try #require((comments["edited"] as? [[String: Any]])?.first)
        #expect(((edit["after"] as? [String: Any])?["text"] as? String)?.contains("open late too") == true)
        let a = try cli.run("diff", Self.url, "--from", "1", "--to", "2", "--json").json()
        let article = try #require(a["article"] as? [String: Any])
        #expect(article["changed"] as? Bool == true)
        #expect((article["added"] as? [String])?.first?.hasPrefix("Correction: the extension cost") == true)
        // Default: the last two complete captures (t2 and t2 again): nothing changed.
        let same = try cli.run("diff", Self.url, "--json").json()
        #expect(((same["comments"] as? [String: Any])?["added"] as? [Any])?.isEmpty == true)
        // The human diff marks the word that changed.
        let human = try cli.run("diff", Self.url, "--from", "2", "--to", "3")
        #expect(human.stdout.contains("{+late+}") || human.stdout.contains("late"))
        #expect(human.stdout.contains("- "))
    }

    @Test func restoreShowsTheThreadAsItStood() throws {
        try importAll()
        let latest = try cli.run("restore", Self.url)
        #expect(latest.status == 0)
        let text = latest.stdout
        #expect(text.contains("Fairhaven library extension opens"))
        #expect(text.contains("« Nous voulions une bibliothèque où l’on reste », said the head librarian, Odile\u{00A0}Brun."))
        #expect(text.contains("مكتبة رائعة"))
        #expect(!text.contains("Who paid for this?"), "a removed comment is not shown by default")
        for chrome in ["Most read", "Share this", "Leave a Reply", "Terms", "Reply\n"] {
            #expect(!text.contains(chrome), "page chrome '\(chrome)' in restore")
        }
        // Nesting: a depth-3 reply is indented more than its top-level thread.
        func indent(_ s: String) -> Int? {
            text.split(separator: "\n").first { $0.contains(s) }.map { $0.prefix { $0 == " " }.count }
        }
        let top = try #require(indent("Lovely building"))
        let reply = try #require(indent("Same here — the reading nook"))
        #expect(reply > top)
        let removed = try cli.run("restore", Self.url, "--with-removed").stdout
        #expect(removed.contains("Who paid for this?"))
        #expect(removed.contains("disappeared at capture 3"))
        let atT1 = try cli.run("restore", Self.url, "--at", "2026-02-02T16:30:00+01:00").stdout
        #expect(atT1.contains("Who paid for this?"))
        #expect(!atT1.contains("Thank you all for coming"))
        let json = try cli.run("restore", Self.url, "--format", "json").json()
        #expect((json["comments"] as? [Any])?.count == 8)
    }

    @Test func hostileCommentStaysInertOnTheTerminal() throws {
        try importAll()
        for args in [["restore", Self.url, "--at", "2"], ["diff", Self.url, "--from", "1", "--to", "2"],
                     ["extract", CLI.fixture("library-thread/t1.html")]] {
            let out = try cli.run(args).stdout
            #expect(!out.unicodeScalars.contains("\u{1B}"), "raw ESC in \(args[0])")
            #expect(!out.unicodeScalars.contains("\u{202E}"), "raw bidi override in \(args[0])")
            #expect(!out.unicodeScalars.contains("\u{9B}"), "raw C1 CSI in \(args[0])")
            #expect(out.contains("\\u{9B}31mSYSTEM"), "the control is shown, escaped, in \(args[0])")
            #expect(out.contains("\\u{202E}gnp.exe"), "the bidi override is shown, escaped, in \(args[0])")
        }
        // JSON escapes as JSON does.
        let json = try cli.run("restore", Self.url, "--at", "2", "--format", "json").stdout
        #expect(json.contains("\\u009b") || json.contains("\u{9B}"))
    }

    @Test func badInputGivesClearErrorsAndTheRightExitStatus() throws {
        try importAll()
        let never = try cli.run("history", "https://never.example/captured")
        #expect(never.status == 1)
        #expect(never.stderr.split(separator: "\n").count == 1)
        let badRef = try cli.run("restore", Self.url, "--at", "yesterday-ish")
        #expect(badRef.status == 2)
        let noMatch = try cli.run("restore", Self.url, "--at", "99")
        #expect(noMatch.status == 1)
        let before = try cli.run("diff", Self.url, "--from", "1999-01-01T00:00:00Z", "--json")
        #expect(before.status == 1)
        #expect(try cli.run("bogus-command").status == 2)
        #expect(try cli.run("capture", "file:///etc/passwd").status == 2)

        // A file that is not a store: refused, left as it was.
        let notStore = cli.dir.appendingPathComponent("notes.txt")
        try Data("my notes\n".utf8).write(to: notStore)
        let r = try cli.run(["--store", notStore.path, "history", Self.url])
        #expect(r.status == 1)
        #expect(try Data(contentsOf: notStore) == Data("my notes\n".utf8))

        // A file that is not HTML: nothing imported.
        let binary = cli.dir.appendingPathComponent("image.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]).write(to: binary)
        let imp = try cli.run("import", binary.path, "--url", Self.url)
        #expect(imp.status == 1)
        let caps = try cli.run("history", Self.url, "--json").json()["captures"] as? [Any]
        #expect(caps?.count == 6)
    }

    @Test func exportWritesWARCAndCommentRows() throws {
        try importAll()
        let warc = cli.dir.appendingPathComponent("out.warc")
        #expect(try cli.run("export", Self.url, "--format", "warc", "--output", warc.path).status == 0)
        let text = String(decoding: try Data(contentsOf: warc), as: UTF8.self)
        #expect(text.hasPrefix("WARC/1.1\r\n"))
        #expect(text.components(separatedBy: "WARC-Type: response").count - 1 == 6)
        #expect(text.contains("WARC-Target-URI: \(Self.url)"))
        let jsonl = try cli.run("export", Self.url, "--format", "jsonl")
        let rows = jsonl.stdout.split(separator: "\n")
        #expect(rows.count >= 10)  // ten comments, 707 in two versions
        let csv = try cli.run("export", Self.url, "--format", "csv").stdout
        #expect(csv.hasPrefix("comment_id,"))
    }
}

/// Runs the built binary with a fresh store in a temporary folder.
struct CLI {
    let dir: URL
    let store: URL

    init() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("palimpsest-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = dir.appendingPathComponent("store.sqlite")
    }

    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name).path
    }

    static var binary: URL {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for c in candidates {
            let b = c.appendingPathComponent("palimpsest")
            if FileManager.default.isExecutableFile(atPath: b.path) { return b }
        }
        return candidates[0].appendingPathComponent("palimpsest")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        func json() throws -> [String: Any] {
            guard let o = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
                throw CocoaError(.coderReadCorrupt)
            }
            return o
        }
    }

    func run(_ args: String...) throws -> Result { try run(args) }

    /// Runs the binary with `args`; with `shellSetup`, through bash, those commands (`ulimit`, `setpriv`...)
    /// run first in the same process.
    func run(_ args: [String], shellSetup: String? = nil) throws -> Result {
        let p = Process()
        let full = args.first == "--store" ? args : ["--store", store.path] + args
        if let shellSetup {
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["-c", shellSetup + "; exec \"$@\"", "bash", CLI.binary.path] + full
        } else {
            p.executableURL = CLI.binary
            p.arguments = full
        }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }
}
