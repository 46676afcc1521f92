import ArgumentParser
import Foundation
import PalimpsestFetch

/// Options of the polite fetcher, shared by fetch and capture.
struct FetchFlags: ParsableArguments {
    @Option(name: .customLong("user-agent"), help: "The User-Agent to send.") var userAgent: String?
    @Flag(name: .customLong("ignore-robots"), help: "Do not fetch or obey robots.txt.") var ignoreRobots = false
    @Option(help: "Minimum seconds between two requests to one host (default 2).") var delay: Double?
    @Option(help: "A Netscape-format cookie file (read only unless --write-cookies).") var cookies: String?
    @Flag(name: .customLong("write-cookies"), help: "Write cookies the site sets back to the --cookies file.")
    var writeCookies = false
    @Option(help: "Give up on a page after this many seconds (default 60).") var timeout: Double?

    func validate() throws {
        if let delay, delay < 0 { throw ValidationError("--delay cannot be negative") }
        if let timeout, timeout <= 0 { throw ValidationError("--timeout must be positive") }
        if writeCookies && cookies == nil { throw ValidationError("--write-cookies needs --cookies FILE") }
        if let cookies, !writeCookies, !FileManager.default.isReadableFile(atPath: cookies) {
            throw ValidationError("--cookies \(cookies): no readable file there")
        }
    }

    var options: FetchOptions {
        var o = FetchOptions()
        if let userAgent { o.userAgent = userAgent }
        if ignoreRobots { o.respectRobots = false }
        if let delay { o.perHostDelay = delay }
        if let cookies { o.cookieFile = cookies }
        o.writeCookies = writeCookies
        if let timeout { o.totalTimeout = timeout }
        return o
    }
}
