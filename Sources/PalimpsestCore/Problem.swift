import Foundation

/// Something that went wrong or looks wrong in a fetch or an extraction.
public struct Problem: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The capture cannot be trusted as complete: nothing may disappear because of it.
        case incomplete
        /// Worth saying, but the capture stays complete (a declared count that differs, say).
        case warning
    }

    /// A stable, machine-readable code ("truncated-document", "no-article-body", "error-page", ...).
    public var code: String
    public var message: String
    public var severity: Severity

    public init(_ code: String, _ message: String, severity: Severity = .incomplete) {
        self.code = code
        self.message = message
        self.severity = severity
    }

    public var description: String { "\(code): \(message)" }
}

extension Array where Element == Problem {
    /// True when none of the problems makes the capture incomplete.
    public var allowsComplete: Bool { !contains { $0.severity == .incomplete } }
}
