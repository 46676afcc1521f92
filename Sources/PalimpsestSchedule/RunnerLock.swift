import Foundation

/// Only one runner per state file: an exclusive `flock` on `<state>.lock`, held while this object lives.
/// A cron pass that finds the long-lived runner (or a previous pass) still at work stops at once.
public final class RunnerLock {
    private let fd: Int32
    public let path: String

    /// Takes the lock; throws when another process holds it.
    public init(statePath: String) throws {
        path = statePath + ".lock"
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ScheduleStateError(path: path, message: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let message = busy ? "another schedule runner is at work on this store"
                : "cannot lock: \(String(cString: strerror(errno)))"
            close(fd)
            throw ScheduleStateError(path: path, message: message)
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
