import Foundation

extension ScheduleFile {
    /// Where each table and key of a TOML text is, found by reading the text line by line: TOMLKit gives
    /// lines only for syntax errors, and a mistake in a value must still name its line.
    struct LineIndex {
        /// A table: its name and, for an array of tables (`[[watch]]`), its index among them.
        struct Table: Hashable {
            var name: String
            var index: Int?
        }

        private(set) var headers: [Table: Int] = [:]
        private(set) var keys: [Table: [String: Int]] = [:]

        init(_ text: String) {
            var current = Table(name: "", index: nil)
            var counts: [String: Int] = [:]
            var inMultiline = false
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                let quotes = line.components(separatedBy: "\"\"\"").count - 1
                    + line.components(separatedBy: "'''").count - 1
                if inMultiline {
                    if quotes % 2 == 1 { inMultiline = false }
                    continue
                }
                if line.hasPrefix("[[") {
                    let name = LineIndex.tableName(line.dropFirst(2), closing: "]]")
                    let index = counts[name, default: 0]
                    counts[name] = index + 1
                    current = Table(name: name, index: index)
                    headers[current] = headers[current] ?? n + 1
                } else if line.hasPrefix("[") {
                    current = Table(name: LineIndex.tableName(line.dropFirst(), closing: "]"), index: nil)
                    headers[current] = headers[current] ?? n + 1
                } else if let eq = line.firstIndex(of: "="), !line.hasPrefix("#") {
                    var key = line[..<eq].trimmingCharacters(in: .whitespaces)
                    if key.count >= 2, let f = key.first, f == "\"" || f == "'", key.last == f {
                        key = String(key.dropFirst().dropLast())
                    }
                    if keys[current, default: [:]][key] == nil { keys[current, default: [:]][key] = n + 1 }
                    if quotes % 2 == 1 { inMultiline = true }
                }
            }
        }

        private static func tableName(_ rest: Substring, closing: String) -> String {
            let name = rest.range(of: closing).map { rest[..<$0.lowerBound] } ?? rest
            return name.trimmingCharacters(in: .whitespaces)
        }

        /// The line of `key` in the table, else of the table's header, else 1.
        func line(_ table: Table, key: String? = nil) -> Int {
            if let key, let n = keys[table]?[key] { return n }
            return headers[table] ?? 1
        }
    }
}
