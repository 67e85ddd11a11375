public import Logging
public import ServiceLifecycle

/// One part of a service process (a relay, a heartbeat, a server, a loop, a follower) as a
/// swift-service-lifecycle `Service`. It runs until its graceful shutdown, which cancels its
/// body, and then finishes what it owes (the relay publishes what was committed).
///
/// A process's parts run in one `ServiceGroup`, listed in start order; the group shuts them
/// down in the reverse order, each after the one listed after it has finished. So the
/// command server, listed last, stops taking commands first, and the heartbeat, listed first,
/// stops last.
public struct ServicePart: Service, CustomStringConvertible {
    public let description: String
    private let body: @Sendable () async -> Void
    private let finish: @Sendable () async -> Void
    /// Where the part says it stopped (set by the group it runs in).
    var logger: Logger?

    /// - Parameters:
    ///   - name: what the logs call it (`router command server`).
    ///   - run: runs until the task is cancelled.
    ///   - finish: runs after `run` returns at shutdown, with the task not cancelled.
    public init(
        _ name: String, run: @escaping @Sendable () async -> Void, finish: @escaping @Sendable () async -> Void = {}
    ) {
        description = name
        body = run
        self.finish = finish
    }

    public func run() async {
        await cancelWhenGracefulShutdown { await body() }
        await finish()
        logger?.debug("\(description) stopped")
    }

    /// This part, saying where it stopped in `logger`'s log.
    public func logging(to logger: Logger) -> ServicePart {
        var part = self
        part.logger = logger
        return part
    }
}
