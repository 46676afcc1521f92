import Foundation
import PalimpsestCore

/// robots.txt per origin, fetched once per fetcher (concurrent askers share one fetch). An origin whose
/// robots.txt could not be read keeps its failure for the fetcher's life: the site is kept off for the run.
actor RobotsCache {
    private var entries: [String: Task<Result<RobotsTxt, FetchFailure>, Never>] = [:]

    func robots(for origin: String, load: @escaping @Sendable () async -> Result<RobotsTxt, FetchFailure>) async
        -> Result<RobotsTxt, FetchFailure> {
        if let task = entries[origin] { return await task.value }
        let task = Task { await load() }
        entries[origin] = task
        return await task.value
    }
}
