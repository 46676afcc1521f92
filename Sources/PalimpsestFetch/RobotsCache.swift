import Foundation

/// robots.txt per origin, fetched once per fetcher (concurrent askers share one fetch).
actor RobotsCache {
    private var entries: [String: Task<RobotsTxt, Never>] = [:]

    func robots(for origin: String, load: @escaping @Sendable () async -> RobotsTxt) async -> RobotsTxt {
        if let task = entries[origin] { return await task.value }
        let task = Task { await load() }
        entries[origin] = task
        return await task.value
    }
}
