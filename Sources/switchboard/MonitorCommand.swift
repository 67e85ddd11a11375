import ArgumentParser
import Foundation
import Glibc
import Logging
import SwitchboardBus
import SwitchboardMonitor
import SwitchboardServiceKit
import SwitchboardTopology
import UnixSignals

/// `switchboard monitor`: the service, a one-off view, or a live terminal view.
struct MonitorCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Run the supervisor's monitor, or show its view (--once, --watch).",
        discussion: """
            Without a flag, runs the monitor service: it follows the router, the presence tracker, \
            the desk and the summariser (any may be down; the view says so), keeps the supervisor's \
            view (queues, agents, routing rates, conversation health, alerts), publishes it as \
            monitor.* items, and takes supervisor.observe/.listen/.whisper/.barge/.stop, each checked \
            against the sender's role in the contact-centre file (docs/PROTOCOL.md §6.5).

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
            if once { try await printOnce(client) } else { try await runWatch(client) }
            return
        }
        let logger = loggingOptions.bootstrap(label: "switchboard.monitor")
        _ = try loadContactCentre(topology)  // refuse a bad file before binding anything
        let service = MonitorService(
            topology: topology, logger: logger, loadCentre: { try loadContactCentre(topology) })
        try await runService(service, logger: logger)
    }

    private func printOnce(_ client: MonitorViewClient) async throws {
        let (document, origin) = try await client.fetch()
        if case .computedLocally(let reason) = origin {
            FileHandle.standardError.write(
                Data(
                    "monitor: no answer from the monitor (\(reason)); this view was computed from the services' snapshots, without interventions\n"
                        .utf8))
        }
        if json {
            print(document.text)
            return
        }
        var renderer = MonitorRenderer()
        renderer.ansi = !plain && isatty(STDOUT_FILENO) != 0
        print(renderer.render(document))
    }

    private func runWatch(_ client: MonitorViewClient) async throws {
        let terminal = isatty(STDOUT_FILENO) != 0
        let ansi = !plain && terminal
        let output = FileHandle.standardOutput
        if terminal { output.write(Data("\u{1B}[?25l".utf8)) }  // hide the cursor while redrawing
        let seconds = self.seconds
        let watching = Task {
            try await client.watch(seconds: seconds) { document, status in
                let size = Self.terminalSize()
                var renderer = MonitorRenderer()
                renderer.ansi = ansi
                renderer.width = terminal ? size.columns : nil
                renderer.agentLinesMax = terminal ? max(5, size.rows / 3) : nil
                renderer.conversationLinesMax = terminal ? max(5, size.rows / 5) : 40
                var frame = renderer.render(document)
                if status.isDown {
                    frame =
                        "monitor \(status.name): showing what it last published (is `switchboard up` running?)\n"
                        + frame
                }
                let screen = terminal ? "\u{1B}[H\u{1B}[2J" + frame + "\n" : frame + "\n\n"
                output.write(Data(screen.utf8))
            }
        }
        let signals = Task {
            for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                watching.cancel()
                return
            }
        }
        defer {
            signals.cancel()
            if terminal { output.write(Data("\u{1B}[?25h".utf8)) }
        }
        try await watching.value
    }

    /// The terminal's rows and columns (80×24 when it cannot be read).
    static func terminalSize() -> (rows: Int, columns: Int) {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return (24, 80) }
        return (Int(size.ws_row), Int(size.ws_col))
    }
}

extension LoggingOptions {
    /// The level of a one-shot tool: errors only unless a level was asked for, so that the
    /// sockets' housekeeping does not clutter the terminal.
    var toolLevel: Logger.Level {
        logLevel == "info" ? .error : Logger.Level(rawValue: logLevel) ?? .error
    }
}
