import ArgumentParser
import Logging
import SwitchboardBus
import SwitchboardMonitor
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTopology

/// `switchboard monitor`: the service, a one-off view, or a live terminal view.
struct MonitorCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Run the supervisor's monitor, or show its view (--once, --watch).",
        discussion: """
            Without a flag, runs the monitor service: it follows the router, the presence tracker, \
            the desk and the summariser (any may be down; the view says so), keeps the supervisor's \
            view (queues, agents, routing rates, conversation health, alerts), publishes it as \
            monitor.* items, and takes supervisor.observe/.listen/.whisper/.barge/.stop and \
            supervisor.reassign/.setPresence (which it forwards to the router and the presence \
            tracker), each checked against the sender's role in the contact-centre file \
            (docs/PROTOCOL.md §6.5).

            --once prints the running monitor's view (monitor.view) as text, or as JSON with \
            --json. When no monitor answers, the view is computed from the services' snapshots \
            (without the interventions, which only the monitor keeps), and a note says so.

            --watch redraws the view every second from the monitor's stream until Ctrl-C (or \
            --seconds).
            """)

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions
    @OptionGroup var principalOptions: PrincipalOptions

    @Flag(help: "Print the current view and exit.")
    var once = false

    @Flag(help: "A live terminal view, redrawn every second until Ctrl-C.")
    var watch = false

    @Flag(help: "With --once: print the view as JSON.")
    var json = false

    @Option(help: "With --watch: stop after this many seconds.")
    var seconds: Double?

    @Flag(help: "With --once or --watch: no colours.")
    var plain = false

    func validate() throws {
        if once && watch { throw ValidationError("choose --once or --watch, not both") }
        if json && !once { throw ValidationError("--json goes with --once") }
        if let seconds, seconds <= 0 { throw ValidationError("--seconds must be above 0") }
    }

    func run() async throws {
        let topology = try topologyOptions.load()
        if once || watch {
            // A viewer's own chatter (replicas catching up) would clutter the terminal.
            LogSetup.bootstrapOnce(level: loggingOptions.toolLevel)
            let logger = Logger(label: "switchboard.monitor-view")
            let security = try principalOptions.security(topology, defaultPrincipal: "operator", logger: logger)
            let client = MonitorViewClient(topology: topology, logger: logger, security: security)
            if once {
                try await printOnce(client)
            } else {
                try await MonitorTerminal.watch(client, seconds: seconds, plain: plain)
            }
            return
        }
        let logger = loggingOptions.bootstrap(label: "switchboard.monitor")
        try await ServiceRunner.run(try MonitorService.build(topology: topology, logger: logger), logger: logger)
    }

    private func printOnce(_ client: MonitorViewClient) async throws {
        let text = try await MonitorTerminal.once(
            client, json: json, ansi: !plain && MonitorTerminal.isTerminal,
            note: { LineOutput.standardError.write("monitor: \($0)") })
        print(text)
    }
}

extension LoggingOptions {
    /// The level of a one-shot tool: errors only unless a level was asked for, so that the
    /// sockets' housekeeping does not clutter the terminal.
    var toolLevel: Logger.Level {
        logLevel == "info" ? .error : Logger.Level(rawValue: logLevel) ?? .error
    }
}
