import Foundation
import PalimpsestCore

/// What changed between two snapshots of a page: article paragraphs and comments added, removed, edited
/// and moved. Comments are matched by id (dictionary lookups), paragraphs by the standard library's
/// `difference(from:)`, so a 10,000-comment thread diffs in milliseconds.
public struct ThreadDiff: Sendable {
    public struct Edit: Sendable, Hashable {
        public var before: Comment
        public var after: Comment
    }
    public struct Move: Sendable, Hashable {
        public var comment: Comment
        public var fromParent: String?
        public var toParent: String?
    }

    public var from: CaptureInfo
    public var to: CaptureInfo
    public var titleBefore: String?
    public var titleAfter: String?
    public var bylineBefore: String?
    public var bylineAfter: String?
    public var addedParagraphs: [String]
    public var removedParagraphs: [String]
    public var added: [Comment]
    public var removed: [Comment]
    public var edited: [Edit]
    public var moved: [Move]
    /// The union of both threads in thread order (removed comments where they stood), for the threaded view.
    /// Built when asked: a comparison that is not shown threaded never copies the whole thread.
    public var merged: [Comment] { ThreadDiff.merge(before: before, after: after, inAfter: inAfter) }

    /// Both sides and how they match, kept for `merged` (the snapshots' own arrays, shared, not copied).
    private let before: Side
    private let after: Side
    private let inAfter: [Int?]

    public var articleChanged: Bool {
        titleBefore != titleAfter || bylineBefore != bylineAfter || !addedParagraphs.isEmpty
            || !removedParagraphs.isEmpty
    }

    public var isEmpty: Bool {
        !articleChanged && added.isEmpty && removed.isEmpty && edited.isEmpty && moved.isEmpty
    }

    /// Compares the comments present in each snapshot.
    public init(from old: Snapshot, to new: Snapshot) {
        from = old.capture
        to = new.capture
        titleBefore = old.article.title
        titleAfter = new.article.title
        bylineBefore = old.article.byline
        bylineAfter = new.article.byline
        let paragraphs = new.article.paragraphs.difference(from: old.article.paragraphs)
        addedParagraphs = paragraphs.insertions.map { if case .insert(_, let p, _) = $0 { p } else { "" } }
        removedParagraphs = paragraphs.removals.map { if case .remove(_, let p, _) = $0 { p } else { "" } }

        // Positions in the snapshots, not copies of the comments: on a 10,000-comment thread the copies (a
        // retain and a release for each of a comment's strings) cost more than the comparison. A comment is
        // copied once, into the lists the diff keeps.
        let before = Side(old.comments)
        let after = Side(new.comments)
        let inAfter = before.matches(in: after)
        self.before = before
        self.after = after
        self.inAfter = inAfter
        let inBefore = after.matches(in: before)
        var added: [Comment] = []
        var edited: [Edit] = []
        var moved: [Move] = []
        for (j, i) in after.present.enumerated() {
            guard let k = inBefore[j] else {
                added.append(after.states[i].comment)
                continue
            }
            let b = before.present[k]
            if ThreadDiff.isEdited(before.states[b].comment, after.states[i].comment) {
                edited.append(Edit(before: before.states[b].comment, after: after.states[i].comment))
            }
            if before.states[b].comment.parent != after.states[i].comment.parent {
                moved.append(Move(comment: after.states[i].comment, fromParent: before.states[b].comment.parent,
                                  toParent: after.states[i].comment.parent))
            }
        }
        self.added = added
        removed = zip(before.present, inAfter).compactMap { i, k in k == nil ? before.states[i].comment : nil }
        self.edited = edited
        self.moved = moved
    }

    /// Text, author or kind changed (borrowed, not copied: called once per comment in both).
    static func isEdited(_ b: borrowing Comment, _ c: borrowing Comment) -> Bool {
        b.paragraphs != c.paragraphs || b.author != c.author || b.kind != c.kind
    }

    /// The present comments of one snapshot, by position, and where each id first stands among them.
    struct Side {
        let states: [CommentState]
        /// Positions in `states` of the present comments, in thread order.
        let present: [Int]
        /// Each id's first place in `present`.
        let firstByID: [String: Int]
        /// For each place in `present`, the first place of the same id (itself unless the id repeats).
        let firstPlace: [Int]

        init(_ states: [CommentState]) {
            self.states = states
            present = states.indices.filter { states[$0].present }
            var first: [String: Int] = [:]
            first.reserveCapacity(present.count)
            var firstPlace: [Int] = []
            firstPlace.reserveCapacity(present.count)
            for (k, i) in present.enumerated() {
                // One hash for a new id (nearly all of them); a repeated id gets its first place back.
                if let earlier = first.updateValue(k, forKey: states[i].comment.id) {
                    first[states[i].comment.id] = earlier
                    firstPlace.append(earlier)
                } else {
                    firstPlace.append(k)
                }
            }
            firstByID = first
            self.firstPlace = firstPlace
        }

        /// For each present comment, the first place of its id among `other`'s, nil where `other` lacks it.
        func matches(in other: Side) -> [Int?] {
            present.map { other.firstByID[states[$0].comment.id] }
        }
    }

    /// `after` in order, each comment only in `before` inserted after its nearest predecessor there.
    static func merge(before: Side, after: Side, inAfter: [Int?]) -> [Comment] {
        // By the first place in `after` of the predecessor's id → removed comments after it. The start is
        // keyed as the empty id was (so a comment whose id is empty is followed by the start's too).
        let start = after.firstByID[""] ?? -1
        var inserts: [Int: [Int]] = [:]
        var lastKept = start
        for (k, i) in before.present.enumerated() {
            if let j = inAfter[k] {
                lastKept = j
            } else {
                inserts[lastKept, default: []].append(i)
            }
        }
        if inserts.isEmpty { return after.present.map { after.states[$0].comment } }
        var out: [Comment] = []
        out.reserveCapacity(after.present.count + inserts.values.reduce(0) { $0 + $1.count })
        for i in inserts[start] ?? [] { out.append(before.states[i].comment) }
        for (j, i) in after.present.enumerated() {
            out.append(after.states[i].comment)
            // After every comment with that id (a repeated id repeats them, as it always has).
            if let r = inserts[after.firstPlace[j]] { for i in r { out.append(before.states[i].comment) } }
        }
        return out
    }
}

/// Word-level differences inside an edited text.
public enum WordDiff {
    public enum Piece: Sendable, Hashable {
        case same(String), removed(String), added(String)
    }

    /// Splits on white space and aligns the words with `difference(from:)`.
    public static func pieces(before: String, after: String) -> [Piece] {
        let old = before.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        let new = after.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        let diff = new.difference(from: old)
        var removedAt = Set<Int>()
        var insertedAt = Set<Int>()
        for change in diff {
            switch change {
            case .remove(let offset, _, _): removedAt.insert(offset)
            case .insert(let offset, _, _): insertedAt.insert(offset)
            }
        }
        var out: [Piece] = []
        var i = 0, j = 0
        while i < old.count || j < new.count {
            if i < old.count, removedAt.contains(i) {
                out.append(.removed(old[i])); i += 1
            } else if j < new.count, insertedAt.contains(j) {
                out.append(.added(new[j])); j += 1
            } else if i < old.count, j < new.count {
                out.append(.same(new[j])); i += 1; j += 1
            } else if i < old.count {
                out.append(.removed(old[i])); i += 1
            } else {
                out.append(.added(new[j])); j += 1
            }
        }
        return out
    }
}
