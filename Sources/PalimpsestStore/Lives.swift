import GRDB

/// Presence at each asked capture, per comment, from the page's presence intervals that start by the last of
/// them: whether the comment is present there, when it first appeared, and when it last disappeared.
struct Lives {
    struct Life {
        var present = false
        var appearedAt = Int.max
        var lastEnd = 0
    }

    /// The captures asked, in the order asked.
    let numbers: [Int]
    /// Comment row id → its place in `lives` (times the number of captures).
    private var slots: SlotTable
    /// Each comment's life at each capture, by slot then capture.
    private var lives: [Life] = []

    init(_ db: Database, pageID: Int64, at numbers: [Int]) throws {
        self.numbers = numbers
        let statement = try db.cachedStatement(sql: """
            SELECT comment_id, start_capture, end_capture FROM presence WHERE page_id = ? AND start_capture <= ?
            """)
        var intervals: [(id: Int64, start: Int, end: Int?)] = []
        let cursor = try Row.fetchCursor(statement, arguments: [pageID, numbers.max() ?? 0])
        let columns = SQLiteColumns(statement)
        while try cursor.next() != nil {
            intervals.append((columns.int64(0), columns.int(1), columns.optionalInt(2)))
        }
        slots = SlotTable(ids: intervals.lazy.map(\.id))
        lives.reserveCapacity(slots.count * numbers.count)
        for interval in intervals { add(interval.id, start: interval.start, end: interval.end) }
    }

    /// Counts one presence interval of comment `id`.
    private mutating func add(_ id: Int64, start: Int, end: Int?) {
        let base = slots.slot(of: id)! * numbers.count
        if base == lives.count { lives.append(contentsOf: repeatElement(Life(), count: numbers.count)) }
        for (k, n) in numbers.enumerated() where start <= n {
            lives[base + k].appearedAt = min(lives[base + k].appearedAt, start)
            if let end, end <= n {
                lives[base + k].lastEnd = max(lives[base + k].lastEnd, end)
            } else {
                lives[base + k].present = true
            }
        }
    }

    /// How many comments are present at the `k`th capture.
    func present(at k: Int) -> Int { stride(from: k, to: lives.count, by: numbers.count).count { lives[$0].present } }

    /// How many comments were seen by the `k`th capture.
    func seen(at k: Int) -> Int {
        stride(from: k, to: lives.count, by: numbers.count).count { lives[$0].appearedAt <= numbers[k] }
    }

    /// The slot of a comment with a presence interval, nil for one never seen by the last capture.
    func slot(of id: Int64) -> Int? { slots.slot(of: id) }

    subscript(slot: Int, k: Int) -> Life { lives[slot * numbers.count + k] }
}

/// Comment row id → slot, slots numbered in order of first appearance among the ids given. A flat table
/// over the range of ids when it is dense enough (a page's comments are mostly consecutive rows, and
/// hashing every id cost more than the rest of reading the presence intervals), a dictionary otherwise.
struct SlotTable {
    private var low: Int64 = 0
    private var flat: [Int32] = []
    private var hashed: [Int64: Int] = [:]
    private var dense = true
    /// How many distinct ids.
    private(set) var count = 0

    init(ids: some Collection<Int64>) {
        guard let low = ids.min(), let high = ids.max() else { return }
        let span = high - low + 1
        dense = span <= 4 * Int64(ids.count) + 4096
        if dense {
            self.low = low
            flat = [Int32](repeating: -1, count: Int(span))
        } else {
            hashed.reserveCapacity(ids.count)
        }
        for id in ids where slot(of: id) == nil {
            if dense { flat[Int(id - low)] = Int32(count) } else { hashed[id] = count }
            count += 1
        }
    }

    func slot(of id: Int64) -> Int? {
        guard dense else { return hashed[id] }
        guard id >= low, id - low < Int64(flat.count) else { return nil }
        let slot = flat[Int(id - low)]
        return slot < 0 ? nil : Int(slot)
    }
}
