public import Logging
import Synchronization

/// Counts refused input per kind and logs each kind once (then every 10,000th time), so a
/// flood of garbage is visible without flooding the log.
public final class MalformedInputLog: Sendable {
    private let logger: Logger
    private let context: String
    private let counts = Mutex<[String: Int]>([:])

    public init(logger: Logger, context: String) {
        self.logger = logger
        self.context = context
    }

    public func record(_ input: MalformedInput) {
        let count = counts.withLock { counts -> Int in
            counts[input.code, default: 0] += 1
            return counts[input.code, default: 0]
        }
        if count == 1 || count % 10_000 == 0 {
            logger.warning(
                "refused malformed input on \(context): \(input.message)",
                metadata: ["code": "\(input.code)", "count": "\(count)"])
        }
    }

    /// How many inputs of each kind were refused.
    public func snapshot() -> [String: Int] {
        counts.withLock { $0 }
    }

    public var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}
