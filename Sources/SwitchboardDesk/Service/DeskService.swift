import Foundation
public import Logging
public import ServiceLifecycle
import SwitchboardBus
import SwitchboardServiceKit
import SwitchboardStore
public import SwitchboardTopology
import UnixSignals

/// `switchboard desk`: the authority over agents' workspaces. One actor per signed-in agent
/// carries the workspace model; it follows the router's stream (offers, assignments,
/// messages, ends of work) and the summariser's (assistance for the pane), forwards the
/// agent's accept, decline, replies, close and wrap-up to the router, and keeps every
/// agent's desk in SQLite, so workspaces and drafts survive a restart.
public struct DeskService: Service, CustomStringConvertible {
    /// What swift-service-lifecycle logs for the service. (The default description would print
    /// every stored property, the intent model's weights included: half a second at start.)
    public var description: String { "desk" }

    public let topology: Topology
    public let logger: Logger
    private let loadContactCentre: @Sendable () throws -> ContactCentre

    /// - Parameter loadContactCentre: reads the contact-centre file the topology names (at
    ///   start and on SIGHUP; a throw on SIGHUP keeps the file in force).
    public init(
        topology: Topology, logger: Logger, loadContactCentre: @escaping @Sendable () throws -> ContactCentre
    ) {
        self.topology = topology
        self.logger = logger
        self.loadContactCentre = loadContactCentre
    }

    public func run() async throws {
        let contactCentre = try loadContactCentre()
        let runtime = try await AuthorityRuntime.start(
            .desk, topology: topology, logger: logger, migrations: DeskTable.migrate)
        let routerService = topology.service(.router)
        var routerClient: CommandClient?
        if let command = routerService?.command {
            routerClient = try await CommandClient(
                loop: runtime.loop, connect: command, serviceName: "router", logger: logger,
                security: runtime.security)
        }
        let core = DeskCore(
            store: runtime.store, committer: GroupCommitter(store: runtime.store), contactCentre: contactCentre,
            router: routerClient, logger: logger)
        try await core.load()

        var parts: [ServicePart] = []
        if let routerService {
            parts.append(
                ServicePart("desk following the router") {
                    await Self.follow(routerService, prefixes: ["agent.", "conv.", "transcript."], runtime: runtime) {
                        await core.routerUpdate($0)
                    }
                })
        } else {
            logger.warning("the topology places no router: the desk learns of no work")
        }
        if let summariser = topology.service(.summariser) {
            // The summariser may be down or absent: the pane then waits for assistance.
            parts.append(
                ServicePart("desk following the summariser") {
                    await Self.follow(summariser, prefixes: ["assist."], runtime: runtime, gatesReadiness: false) {
                        await core.assistUpdate($0)
                    }
                })
        }
        let logger = self.logger
        let load = loadContactCentre
        parts.append(
            ServicePart("desk reload on SIGHUP") {
                for await _ in await UnixSignalsSequence(trapping: .sighup) {
                    runtime.reloadAllowList()
                    do {
                        await core.reload(try load())
                    } catch {
                        logger.error("SIGHUP: the contact-centre file was refused, the old one stays: \(error)")
                    }
                }
            })
        try await runtime.serve(snapshots: core, commands: core, parts: parts)
    }

    /// Follows one publisher (snapshot, then events in order, again after any gap).
    static func follow(
        _ service: Topology.Service, prefixes: [String], runtime: AuthorityRuntime, gatesReadiness: Bool = true,
        _ handler: @escaping @Sendable (ReplicaUpdate) async -> Void
    ) async {
        let replica = Replica(
            loop: runtime.loop, publish: service.publish, state: service.state, prefixes: prefixes,
            logger: runtime.logger, options: Replica.Options(security: runtime.security))
        runtime.management.watch(replica, following: service.name.rawValue, gatesReadiness: gatesReadiness)
        do {
            try await replica.run(handler)
        } catch {
            runtime.logger.error("cannot follow \(service.publish): \(error)")
        }
    }
}
