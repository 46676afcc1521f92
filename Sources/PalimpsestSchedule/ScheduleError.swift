import Foundation

/// What is wrong with a schedule file, and where: printed as "FILE:LINE: message".
public struct ScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The schedule file's path.
    public var file: String
    /// 1-based; the line of the offending key, else of its table's header, else 1.
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}
