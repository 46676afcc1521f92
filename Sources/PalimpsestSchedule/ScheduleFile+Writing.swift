import Foundation

extension ScheduleFile {
    /// A `[[watch]]` table as TOML text (what `schedule add` appends).
    public static func watchTable(url: String, name: String? = nil, every: TimeInterval,
                                  maxEvery: TimeInterval? = nil, start: Date? = nil, stop: [StopCondition] = [],
                                  rules: String? = nil, cookies: String? = nil) -> String {
        var lines = ["[[watch]]"]
        if let name { lines.append("name = \(tomlString(name))") }
        lines.append("url = \(tomlString(url))")
        lines.append("every = \(tomlString(DurationText.format(every)))")
        if let maxEvery { lines.append("max_every = \(tomlString(DurationText.format(maxEvery)))") }
        if let start { lines.append("start = \(tomlString(ScheduleDate.format(start)))") }
        if stop.count == 1 {
            lines.append("stop = \(tomlString(stop[0].description))")
        } else if stop.count > 1 {
            lines.append("stop = [" + stop.map { tomlString($0.description) }.joined(separator: ", ") + "]")
        }
        if let rules { lines.append("rules = \(tomlString(rules))") }
        if let cookies { lines.append("cookies = \(tomlString(cookies))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Appends a table to the file at `path` (created if need be), checking the result first: nothing is
    /// written when the file would be invalid. Written atomically (temporary file, then rename).
    /// Returns the file as it now is.
    @discardableResult
    public static func append(_ table: String, toFile path: String) throws(ScheduleFileErrors) -> ScheduleFile {
        let existing = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        var text = existing
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        if !text.isEmpty { text += "\n" }
        text += table
        let file = try parse(text, path: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(URL(fileURLWithPath: path).lastPathComponent).tmp-\(getpid())").path
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: temp))
        } catch {
            throw ScheduleFileErrors([ScheduleError(file: path, line: 1, message: "cannot write: \(error)")])
        }
        guard rename(temp, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temp)
            throw ScheduleFileErrors([ScheduleError(file: path, line: 1, message: "cannot write: \(message)")])
        }
        return file
    }

    /// A TOML basic string: quotes, backslashes and control characters escaped.
    static func tomlString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
