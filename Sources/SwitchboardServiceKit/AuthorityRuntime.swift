import Foundation
public import GRDB
public import Logging
import ServiceLifecycle
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
    /// CURVE on every socket the process binds or connects (nil: the topology leaves them open).
    public let security: BusSecurity?
    /// The topology file, read again at a reload for the allow-list.
    public let topologyFile: String
    /// Who may send which command here (the topology's `security:` principals; a reload replaces it).
    public let permissions: CommandPermissionsBook
    /// Metrics and readiness, served at the topology's `metrics:` endpoint when it gives one.
    public let management: Management

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
        var configuration = storeConfiguration(name, service: service, topology: topology)
        let management = Management()
        let metrics = management.metrics
        configuration.commitObserver = { metrics.committed(seconds: $0) }
        let store = try await AuthorityStore.open(configuration, logger: logger, migrations: migrations)
        let security = try ProcessSecurity.load(principal: name.rawValue, topology: topology, logger: logger)
        let loop = try SocketLoop(name: "sb-\(name.rawValue)-io", logger: logger)
        // The first CURVE server installs the loop's ZAP handler before its socket is opened.
        let publisher = try await EventPublisher(
            loop: loop, bind: service.publishBind, source: name.rawValue, epoch: store.epoch, logger: logger,
            security: security)
        let relay = try OutboxRelay(store: store, publisher: publisher, logger: logger)
        management.watch(publisher)
        management.watch(store)
        logger.info(
            "\(name) starting",
            metadata: ["epoch": "\(store.epoch)", "publish": "\(service.publish)", "pid": "\(getpid())"])
        return AuthorityRuntime(
            name: name, service: service, loop: loop, store: store, publisher: publisher, relay: relay, logger: logger,
            security: security, topologyFile: topology.file,
            permissions: CommandPermissionsBook(CommandPermissions(security: topology.security)),
            management: management)
    }

    /// How the service's store is opened: `<dataDirectory>/<name>.sqlite`, the topology's reply
    /// retention, and its `durability:` (`machine`: every commit flushed to the disk).
    public static func storeConfiguration(
        _ name: ServiceName, service: Topology.Service, topology: Topology
    ) -> StoreConfiguration {
        var configuration = StoreConfiguration(
            path: "\(service.dataDirectory)/\(name.rawValue).sqlite", source: name.rawValue)
        configuration.replyRetentionSeconds = topology.retention.commandRepliesSeconds
        configuration.durability =
            switch service.durability {
            case .process: .processCrash
            case .machine: .powerLoss
            }
        return configuration
    }

    /// Binds the state and command endpoints and runs the process's parts in one
    /// `ServiceGroup` until graceful shutdown (or cancellation); then closes everything. With CURVE
    /// keys, every command passes the permission table (`GuardedCommandHandler`, which also writes
    /// the audit log) before `commands` sees it. Without keys no sender is known: there is no one
    /// to check or to record, so commands go straight to `commands`.
    ///
    /// The parts, in start order: the heartbeat, the outbox relay, the snapshot server,
    /// `parts` (the service's own loop and followers, in the order given), the command server.
    /// Shutdown goes the other way: the command server stops taking commands, the service's
    /// parts stop (its loop answers what it holds and commits), the snapshot server stops, the
    /// relay publishes what was committed, and the heartbeat stops last.
    public func serve(
        snapshots: any SnapshotSource, commands: any CommandHandler, parts: [ServicePart] = []
    ) async throws {
        guard let stateEndpoint = service.stateBind, let commandEndpoint = service.commandBind else {
            throw RuntimeError("the \(name) needs state: and command: endpoints in the topology")
        }
        let snapshotServer = try await SnapshotServer(
            loop: loop, bind: stateEndpoint, sourceName: name.rawValue, source: snapshots, logger: logger,
            security: security)
        let commandServer = try await CommandServer(
            loop: loop, bind: commandEndpoint,
            handler: security == nil
                ? commands
                : GuardedCommandHandler(
                    commands, service: name, permissions: permissions, store: store, logger: logger),
            store: DurableCommandReplyStore(store: store, logger: logger),
            logger: logger, security: security, observer: management.metrics)
        management.watch(snapshotServer)
        let managementServer = try management.server(at: service.metrics, logger: logger)
        logger.info(
            "\(name) serving", metadata: ["state": "\(service.state ?? "")", "command": "\(service.command ?? "")"])
        let relay = self.relay
        let publisher = self.publisher
        let all =
            (managementServer.map { [ServicePart(serving: $0, logger: logger)] } ?? []) + [
                ServicePart("\(name) heartbeat", run: { await publisher.runHeartbeats() }),
                ServicePart(
                    "\(name) outbox relay", run: { await relay.run() },
                    finish: { await relay.drain(withinSeconds: Self.drainSecondsMax) }),
                ServicePart("\(name) snapshot server", run: { await snapshotServer.run() }),
            ] + parts + [ServicePart("\(name) command server", run: { await commandServer.run() })]
        do {
            try await Self.runGroup(all, logger: logger)
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    /// Re-reads the topology's allow-list and principals and puts them in force on this process's
    /// servers and in its permission table.
    public func reloadAllowList() {
        ProcessSecurity.reloadAllowList(
            topologyFile: topologyFile, loop: loop, logger: logger, permissions: permissions)
    }

    /// The longest the relay takes at shutdown to publish what was committed.
    public static let drainSecondsMax = 5.0

    /// Runs `parts` in a `ServiceGroup` that shuts down gracefully when the calling service
    /// does, and as a whole when any part ends or fails on its own.
    public static func runGroup(_ parts: [ServicePart], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: parts.map {
                    ServiceGroupConfiguration.ServiceConfiguration(
                        service: $0.logging(to: logger), successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup)
                },
                logger: logger))
        try await withGracefulShutdownHandler {
            try await group.run()
        } onGracefulShutdown: {
            Task { await group.triggerGracefulShutdown() }
        }
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
