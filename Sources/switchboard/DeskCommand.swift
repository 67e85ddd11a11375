import ArgumentParser
import Foundation
import Logging
import SwitchboardDesk
import SwitchboardServiceKit
import SwitchboardTopology

/// `switchboard desk`: runs the desk service; `switchboard desk show AGENT` prints a workspace.
struct DeskCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk",
        abstract: "Run the agent desk: each signed-in agent's sessions, tabs, pane and drafts.",
        discussion: """
            Binds the desk's publish, state and command endpoints of the topology, keeps every \
            agent's workspace in <dataDirectory>/desk/desk.sqlite (drafts survive a restart), \
            follows the router (offers, assignments, messages) and the summariser (assistance), \
            and forwards the agents' accept, decline, replies, close and wrap-up to the router. \
            Re-reads the contact-centre file's role defaults on SIGHUP. \
            `switchboard desk show AGENT` prints one agent's workspace.
            """,
        subcommands: [DeskShowCommandLine.self])

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.desk")
        let topology = try topologyOptions.load()
        try await ServiceRunner.run(try DeskService.build(topology: topology, logger: logger), logger: logger)
    }
}

/// `switchboard desk show AGENT`.
struct DeskShowCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print an agent's workspace: sessions, tabs, productivity pane, drafts, preferences.",
        discussion: """
            Asks the running desk (desk.show) for the agent's workspace as text: the offers \
            waiting, the session list with focus, unread counts and pending actions, the session \
            on screen with its tabs and pane, the end of its conversation, drafts and preferences. \
            With --watch it prints it again every few seconds until interrupted.
            """)

    @Argument(help: "The agent's id, e.g. priya-raman.")
    var agent: String

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var principalOptions: PrincipalOptions

    @Option(help: "Columns to fit the text in (40 to 400).")
    var width: Int = 100

    @Option(help: "Print again every this many seconds until interrupted.")
    var watch: Double?

    func validate() throws {
        guard (40...400).contains(width) else { throw ValidationError("--width must be from 40 to 400") }
        if let watch, watch < 0.5 { throw ValidationError("--watch must be at least 0.5 seconds") }
    }

    func run() async throws {
        var logger = Logger(label: "switchboard.desk-show")
        logger.logLevel = .error
        let topology = try topologyOptions.load()
        let security = try principalOptions.security(topology, defaultPrincipal: "operator", logger: logger)
        while true {
            let text: String
            do {
                text = try await DeskShowClient.text(
                    agent: agent, topology: topology, width: width, logger: logger, security: security)
            } catch {
                throw CommandLineFailure(description: "\(error)")
            }
            guard let watch else {
                print(text, terminator: "")
                return
            }
            // Clear the screen and draw again, like `watch`.
            print("\u{1B}[2J\u{1B}[H" + text, terminator: "")
            fflush(nil)  // every stream: `stdout` itself is shared mutable state to Swift 6
            try await Task.sleep(for: .milliseconds(Int64(watch * 1_000)))
        }
    }
}
