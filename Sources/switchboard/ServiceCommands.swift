import ArgumentParser
import SwitchboardPresence
import SwitchboardRouter
import SwitchboardServiceKit
import SwitchboardTopology

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
        try await ServiceRunner.run(try RouterService.build(topology: topology, logger: logger), logger: logger)
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
        try await ServiceRunner.run(try PresenceService.build(topology: topology, logger: logger), logger: logger)
    }
}
