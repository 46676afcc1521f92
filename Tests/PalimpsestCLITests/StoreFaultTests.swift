import Foundation
import PalimpsestStore
import Testing

/// A store that cannot be written (read-only file and folder; a disk that fills up during a capture): the
/// capture fails with a clear message and a non-zero exit, and the store stays exactly as it was.
@Suite struct StoreFaultTests {
    static let url = CLIScenarioTests.url

    /// The store's files and their bytes.
    func contents(_ cli: CLI) throws -> [String: Data] {
        var all: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: cli.dir.path) {
            all[name] = try Data(contentsOf: cli.dir.appendingPathComponent(name))
        }
        return all
    }

    /// A page whose body does not compress: its capture must write far more than a few kilobytes.
    func incompressiblePage(_ cli: CLI) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<600_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let html = "<html><head><title>Noise</title></head><body><article><p>" + Data(noise).base64EncodedString()
            + "</p></article></body></html>"
        let path = cli.dir.deletingLastPathComponent().appendingPathComponent("noise-\(UUID().uuidString).html").path
        try html.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aReadOnlyStoreIsAClearErrorAndStaysIntact() throws {
        let cli = CLI()
        #expect(try cli.run("import", CLI.fixture("library-thread/t0.html"), "--url", Self.url).status == 0)
        let before = try contents(cli)
        // Root writes anywhere whatever the modes say: as root, the capture runs as nobody instead.
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: cli.store.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: cli.dir.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: cli.dir.path) }
        let setup = geteuid() == 0 ? "exec setpriv --reuid=65534 --regid=65534 --clear-groups -- \"$@\"" : ":"
        let r = try cli.run(["import", CLI.fixture("library-thread/t1.html"), "--url", Self.url], shellSetup: setup)
        #expect(r.status != 0)
        #expect(r.stderr.contains("is read-only") && r.stderr.contains("nothing was written"), "a clear message: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: cli.dir.path)
        #expect(try contents(cli) == before, "the store is byte for byte as it was")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: cli.store.path)
        let store = try Store.openExisting(path: cli.store.path)
        #expect(try store.integrityCheck())
        #expect(try store.history(url: Self.url).count == 1)
    }

    /// True in a ThreadSanitizer build (`swift test --sanitize=thread`): its runtime faults (SIGBUS inside its
    /// own signal handling) in a process whose file size is capped, so the full-disk case cannot run there.
    static let underThreadSanitizer = dlsym(nil, "__tsan_init") != nil  // nil: RTLD_DEFAULT

    @Test(.disabled(if: underThreadSanitizer, "ThreadSanitizer's runtime faults under a capped file size"))
    func aFullDiskFailsTheCaptureAndLosesNothing() throws {
        let cli = CLI()
        #expect(try cli.run("import", CLI.fixture("library-thread/t0.html"), "--url", Self.url).status == 0)
        #expect(try cli.run("import", CLI.fixture("library-thread/t1.html"), "--url", Self.url).status == 0)
        let noise = try incompressiblePage(cli)
        defer { try? FileManager.default.removeItem(atPath: noise) }
        // No file may grow past 256 KiB: the capture of an 800 KB incompressible body cannot be written, as on
        // a full disk (the write fails with EFBIG instead of ENOSPC; SIGXFSZ is ignored so the write returns).
        let r = try cli.run(["import", noise, "--url", Self.url + "?noise"], shellSetup: "ulimit -f 256; trap '' XFSZ")
        #expect(r.status != 0)
        #expect((r.stderr.contains("the disk is full") || r.stderr.contains("writing to the disk failed"))
                && r.stderr.contains("nothing of this was recorded"), "a clear message: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
        let store = try Store.openExisting(path: cli.store.path)
        #expect(try store.integrityCheck())
        #expect(try store.history(url: Self.url).count == 2, "earlier captures are all there")
        #expect(((try? store.history(url: Self.url + "?noise")) ?? []).isEmpty, "no half capture")
        // With room again, the same capture goes through.
        #expect(try cli.run("import", noise, "--url", Self.url + "?noise").status == 0)
        #expect(try store.history(url: Self.url + "?noise").count == 1)
    }
}
