import Foundation
public import GRDB
public import Logging
public import SwitchboardBus
public import SwitchboardStore
public import SwitchboardTopology
public import ZeroMQ

/// What every authority process (router, presence, desk) runs on: its I/O thread, its
/// durable store (which raises the epoch), the PUB socket fed by the store's outbox relay,
/// and, once `serve` is called, its state and command endpoints and the heartbeat.
public struct AuthorityRuntime: Sendable {
    public let name: ServiceName
    public let service: Topology.Service
    public let loop: SocketLoop
    public let store: AuthorityStore
    public let publisher: EventPublisher
    public let relay: OutboxRelay
    public let logger: Logger

    /// Opens the store at `<dataDirectory>/<name>.sqlite` and binds the PUB socket.
    public static func start(
        _ name: ServiceName, topology: Topology, logger: Logger,
        migrations: @escaping @Sendable (inout DatabaseMigrator) -> Void = { _ in }
    ) async throws -> AuthorityRuntime {
        guard let service = topology.service(name) else {
            throw RuntimeError("the topology \(topology.file) places no \(name) (add services.\(name))")
        }
        if let plan = try CrashPoints.validateEnvironment() {
            logger.warning("crash point armed: \(plan)")
        }
        try FileManager.default.createDirectory(atPath: service.dataDirectory, withIntermediateDirectories: true)
        var configuration = StoreConfiguration(path: "\(service.dataDirectory)/\(name.rawValue).sqlite", source: name.rawValue)
        configuration.replyRetentionSeconds = topology.retention.commandRepliesSeconds
        let store = try await AuthorityStore.open(configuration, logger: logger, migrations: migrations)
        let loop = try SocketLoop(name: "sb-\(name.rawValue)-io", logger: logger)
        let publisher = try await EventPublisher(
            loop: loop, bind: service.publishBind, source: name.rawValue, epoch: store.epoch, logger: logger)
        let relay = try OutboxRelay(store: store, publisher: publisher, logger: logger)
        logger.info(
            "\(name) starting", metadata: ["epoch": "\(store.epoch)", "publish": "\(service.publish)", "pid": "\(getpid())"])
        return AuthorityRuntime(
            name: name, service: service, loop: loop, store: store, publisher: publisher, relay: relay, logger: logger)
    }

    /// Binds the state and command endpoints and runs them, the relay, the heartbeat and
    /// `tasks` until the calling task is cancelled; then closes everything in order.
    public func serve(
        snapshots: any SnapshotSource, commands: any CommandHandler, tasks: [@Sendable () async -> Void] = []
    ) async throws {
        guard let stateEndpoint = service.stateBind, let commandEndpoint = service.commandBind else {
            throw RuntimeError("the \(name) needs state: and command: endpoints in the topology")
        }
        let snapshotServer = try await SnapshotServer(
            loop: loop, bind: stateEndpoint, sourceName: name.rawValue, source: snapshots, logger: logger)
        let commandServer = try await CommandServer(
            loop: loop, bind: commandEndpoint, handler: commands, store: DurableCommandReplyStore(store: store, logger: logger),
            logger: logger)
        logger.info("\(name) serving", metadata: ["state": "\(service.state ?? "")", "command": "\(service.command ?? "")"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await relay.run() }
            group.addTask { await publisher.runHeartbeats() }
            group.addTask { await snapshotServer.run() }
            group.addTask { await commandServer.run() }
            for task in tasks { group.addTask { await task() } }
            // Runs until cancelled (graceful shutdown cancels the service's task).
            await withTaskCancellationHandler {
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(3_600)) }
            } onCancel: {}
            group.cancelAll()
        }
        await stop()
    }

    /// Closes the sockets and the store.
    public func stop() async {
        // Runs after a cancellation (graceful shutdown): the store's last write (the published
        // watermark) must not be interrupted by it.
        let store = self.store
        await Task { await store.close() }.value
        await loop.shutdown()
        logger.info("\(name) stopped")
    }
}

/// A service could not start; the message says what to fix.
public struct RuntimeError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
