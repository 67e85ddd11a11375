import Foundation
public import Logging
public import ServiceLifecycle
public import SwitchboardBus
import SwitchboardServiceKit
import SwitchboardStore
public import SwitchboardTopology
import ZeroMQ

/// `switchboard monitor`: the supervisor's view and the supervisors' hand on conversations.
/// Follows every publisher of the topology (router, presence, desk, summariser; any may be
/// down, and the view says so) through the Clone pattern, computes the view once a second,
/// publishes it as `monitor.*` items (and `alert.*` for escalations), and takes
/// `supervisor.observe/.listen/.whisper/.barge/.stop/.reassign/.setPresence` (checked against the
/// sender's role in the contact-centre file) and `monitor.view`. The interventions in progress are its authority,
/// kept in `<dataDirectory>/monitor.sqlite`.
public struct MonitorService: Service, CustomStringConvertible {
    /// What swift-service-lifecycle logs for the service. (The default description would print
    /// every stored property, the intent model's weights included: half a second at start.)
    public var description: String { "monitor" }

    public let topology: Topology
    public let logger: Logger
    public let settings: MonitorSettings
    private let loadCentre: @Sendable () throws -> ContactCentre

    /// - Parameter loadCentre: reads the contact-centre file (at start, and again when the
    ///   router reports that it reloaded it).
    public init(
        topology: Topology, settings: MonitorSettings = MonitorSettings(), logger: Logger,
        loadCentre: @escaping @Sendable () throws -> ContactCentre
    ) {
        self.topology = topology
        self.settings = settings
        self.logger = logger
        self.loadCentre = loadCentre
    }

    /// The services the monitor follows.
    public static let followed: [ServiceName] = [.router, .presence, .desk, .summariser]

    /// What the monitor asks each followed service for: everything, and from the router its
    /// transcripts too (they come only to a snapshot that names them), so that health sees
    /// the recent messages of conversations that began before the monitor did.
    public static func snapshotPrefixes(of service: ServiceName) -> [String] {
        service == .router ? ["agent.", "alert.", "conv.", "queue.", "sticky.", "sys.", "transcript."] : []
    }

    public func run() async throws {
        let centre = try loadCentre()
        var settings = self.settings
        settings.retentionSeconds = topology.retention.closedConversationsSeconds
        let runtime = try await AuthorityRuntime.start(
            .monitor, topology: topology, logger: logger, migrations: InterventionTable.migrate)
        let followed = Self.followed.compactMap { topology.service($0) }
        let core = try await MonitorCore(
            store: runtime.store, centre: centre, followed: followed.map(\.name), settings: settings, logger: logger,
            reloadCentre: loadCentre)
        let router: CommandClient? =
            if let command = topology.service(.router)?.command {
                try await CommandClient(
                    loop: runtime.loop, connect: command, serviceName: "router", logger: logger,
                    security: runtime.security)
            } else { nil }
        // Supervisors set agents' presence through the monitor, which checks their role first.
        let presence: CommandClient? =
            if let command = topology.service(.presence)?.command {
                try await CommandClient(
                    loop: runtime.loop, connect: command, serviceName: "presence", logger: logger,
                    security: runtime.security)
            } else { nil }
        var parts = [
            ServicePart("monitor loop", run: { await core.run() }),
            ServicePart(
                "monitor clock",
                run: {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(1))
                        core.tick()
                    }
                }),
        ]
        for service in followed {
            parts.append(
                ServicePart(
                    "monitor following the \(service.name)",
                    run: {
                        await Self.follow(
                            service, loop: runtime.loop, security: runtime.security, core: core,
                            management: runtime.management, logger: runtime.logger)
                    }))
        }
        parts.append(
            .allowListReloadOnSIGHUP(
                "monitor", topologyFile: runtime.topologyFile, loop: runtime.loop, logger: logger,
                permissions: runtime.permissions))
        try await runtime.serve(
            snapshots: core, commands: MonitorCommandHandler(core: core, router: router, presence: presence),
            parts: parts)
    }

    /// Feeds one publisher's snapshots, events and link status into the core.
    static func follow(
        _ service: Topology.Service, loop: SocketLoop, security: BusSecurity?, core: MonitorCore,
        management: Management, logger: Logger
    ) async {
        let replica = Replica(
            loop: loop, publish: service.publish, state: service.state, prefixes: snapshotPrefixes(of: service.name),
            logger: logger, options: Replica.Options(security: security))
        // The monitor shows the others' links itself; only the router's view decides whether it is ready.
        management.watch(replica, following: service.name.rawValue, gatesReadiness: service.name == .router)
        let name = service.name
        do {
            try await replica.run { update in
                await core.accept([MonitorInput(update, from: name)])
            }
        } catch {
            logger.error("cannot follow the \(name) at \(service.publish): \(error)")
        }
    }
}

extension MonitorInput {
    /// Reads a replica's update.
    public init(_ update: ReplicaUpdate, from service: ServiceName) {
        switch update {
        case .snapshot(let snapshot):
            self = .snapshot(
                service,
                items: snapshot.items.compactMap { item in
                    (try? item.value()).map { MonitorItem(key: item.key, value: $0) }
                })
        case .event(let event):
            self = .event(
                service,
                MonitorEvent(
                    topic: event.topic, type: event.type, data: (try? event.data()) ?? .null,
                    atMilliseconds: event.timestampMicroseconds / 1_000))
        case .status(let status):
            let mapped: SourceStatus
            switch status {
            case .live(_, let epoch): mapped = .live(epoch: epoch)
            case .resyncing(let reason), .gap(let reason): mapped = .resyncing(reason)
            case .silent(_, let seconds): mapped = .silent(seconds: seconds)
            case .failed(let reason): mapped = .failed(reason)
            }
            self = .status(service, mapped)
        }
    }
}
