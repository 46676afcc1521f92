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
    public var merged: [Comment]

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

        let before = old.comments.filter(\.present).map(\.comment)
        let after = new.comments.filter(\.present).map(\.comment)
        // Positions by id, not copies of the comments: on a 10,000-comment thread the copies cost more than
        // the comparison.
        let beforeByID = ThreadDiff.positions(before)
        let afterByID = ThreadDiff.positions(after)
        added = after.filter { beforeByID[$0.id] == nil }
        removed = before.filter { afterByID[$0.id] == nil }
        var edited: [Edit] = []
        var moved: [Move] = []
        for c in after {
            guard let i = beforeByID[c.id] else { continue }
            let b = before[i]
            if b.paragraphs != c.paragraphs || b.author != c.author || b.kind != c.kind {
                edited.append(Edit(before: b, after: c))
            }
            if b.parent != c.parent {
                moved.append(Move(comment: c, fromParent: b.parent, toParent: c.parent))
            }
        }
        self.edited = edited
        self.moved = moved
        merged = ThreadDiff.merge(before: before, after: after, afterByID: afterByID)
    }

    /// Each id's first position.
    static func positions(_ comments: [Comment]) -> [String: Int] {
        var out: [String: Int] = [:]
        out.reserveCapacity(comments.count)
        for (i, c) in comments.enumerated() where out[c.id] == nil { out[c.id] = i }
        return out
    }

    /// `after` in order, each comment only in `before` inserted after its nearest predecessor there.
    static func merge(before: [Comment], after: [Comment], afterByID: [String: Int]) -> [Comment] {
        var inserts: [String: [Comment]] = [:]  // predecessor id ("" = start) → removed comments after it
        var lastKept = ""
        for c in before {
            if afterByID[c.id] != nil {
                lastKept = c.id
            } else {
                inserts[lastKept, default: []].append(c)
            }
        }
        if inserts.isEmpty { return after }
        var out = inserts[""] ?? []
        out.reserveCapacity(after.count + inserts.values.reduce(0) { $0 + $1.count })
        for c in after {
            out.append(c)
            if let r = inserts[c.id] { out += r }
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
