import ArgumentParser
import Logging
import ServiceLifecycle
import SwitchboardDesk
import SwitchboardMonitor
import SwitchboardPresence
import SwitchboardRouter
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardTopology
import UnixSignals

/// Runs one service under swift-service-lifecycle: SIGTERM and SIGINT shut it down gracefully.
func runService(_ service: some Service, logger: Logger) async throws {
    let group = ServiceGroup(
        configuration: ServiceGroupConfiguration(
            services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
}

/// The contact-centre file the topology names.
func loadContactCentre(_ topology: Topology) throws -> ContactCentre {
    guard let file = topology.contactCentreFile else {
        throw ValidationError("\(topology.file) names no contactCentre: file")
    }
    do {
        return try ContactCentre.load(file: file)
    } catch {
        throw ValidationError("\(error)")
    }
}

extension RouterSettings {
    init(_ contactCentre: ContactCentre, topology: Topology) {
        self.init(
            routing: contactCentre.routing, agents: contactCentre.agents,
            intentSkillLevels: contactCentre.intentSkillLevels,
            closedRetentionSeconds: topology.retention.closedConversationsSeconds)
    }
}

/// `switchboard router`.
struct RouterCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "router",
        abstract: "Run the router: conversations, queues, offers, assignments and sticky owners.",
        discussion: """
            Binds the router's publish, state and command endpoints of the topology, keeps its \
            state in <dataDirectory>/router/router.sqlite, follows the presence tracker, and \
            re-reads the contact-centre file on SIGHUP (or `switchboard reload`).
            """)

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.router")
        let topology = try topologyOptions.load()
        _ = try loadContactCentre(topology)  // refuse a bad file before binding anything
        let service = RouterService(
            topology: topology, logger: logger, classifier: try AssistantClassifier.load(for: topology, logger: logger),
            loadSettings: { RouterSettings(try loadContactCentre(topology), topology: topology) })
        try await runService(service, logger: logger)
    }
}

/// `switchboard presence`.
struct PresenceCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presence",
        abstract: "Run the presence tracker: Available, Away, DND and Offline for every agent.",
        discussion: """
            Takes presence.set and presence.heartbeat; an agent whose heartbeats stop for the \
            topology's heartbeatTimeoutSeconds goes Offline.
            """)

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.presence")
        let topology = try topologyOptions.load()
        let contactCentre = try loadContactCentre(topology)
        try await runService(
            PresenceService(topology: topology, knownAgents: contactCentre.agents.map(\.id), logger: logger),
            logger: logger)
    }
}
