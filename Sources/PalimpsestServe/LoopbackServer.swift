import Foundation

/// A tiny HTTP/1.1 server on 127.0.0.1, for the demo, the tests and the benchmarks.
public final class LoopbackServer: Sendable {
    public init() {}
}
