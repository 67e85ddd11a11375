import ArgumentParser
import Logging
import SwitchboardBus
import SwitchboardTopology

/// `switchboard reload`.
struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make the running router re-read the contact-centre file.",
        discussion: """
            Sends router.reload. The router reads the file the topology names again and takes up \
            queues, skills, profiles, roles and agents without a restart (agents added, updated, \
            removed; work of a removed agent is re-queued ahead of new work). A bad file is refused \
            with the reason and the old one stays in force. The monitor re-reads the file when the \
            router reports the reload. SIGHUP to the router does the same.
            """)

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions
    @OptionGroup var principalOptions: PrincipalOptions

    @Flag(help: "Print the router's answer as JSON.")
    var json = false

    @Option(help: "Give up after this many seconds without an answer.")
    var deadline: Double = 10

    func run() async throws {
        let topology = try topologyOptions.load()
        LogSetup.bootstrapOnce(level: loggingOptions.toolLevel)
        guard let endpoint = topology.service(.router)?.command else {
            throw ValidationError("\(topology.file) places no router with a command endpoint")
        }
        let security = try principalOptions.security(
            topology, defaultPrincipal: "operator", logger: Logger(label: "switchboard.cli"))
        let result = try await sendOnce(
            to: endpoint, service: "router", "router.reload", [:], deadlineSeconds: deadline, security: security)
        if json {
            print(result.text)
        } else {
            let added = result["agentsAdded"]?.intValue ?? 0
            let updated = result["agentsUpdated"]?.intValue ?? 0
            let removed = result["agentsRemoved"]?.intValue ?? 0
            print("Contact centre reloaded: \(added) agents added, \(updated) updated, \(removed) removed.")
        }
    }
}
