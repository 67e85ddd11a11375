import Foundation
import Logging
import SwitchboardBenchmarks
import SwitchboardReplay
import SwitchboardRouter

/// A recorded synthetic day in a temporary router store, removed by `remove()`.
struct RecordedDay {
    let directory: URL
    let path: String
    let day: SyntheticDay

    static let logger: Logger = {
        var logger = Logger(label: "switchboard.replay.test")
        logger.logLevel = .critical
        return logger
    }()

    static func record(conversations: Int, seed: UInt64) async throws -> RecordedDay {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("router.sqlite").path
        let day = SyntheticDay(conversations: conversations, seed: seed)
        _ = try await day.record(to: path, logger: logger)
        return RecordedDay(directory: directory, path: path, day: day)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

extension RecordedDay {
    static func syntheticSettings() -> RouterSettings { SyntheticDay(conversations: 1, seed: 1).settings() }
}
