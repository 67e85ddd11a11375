import ArgumentParser
import Foundation
import Glibc
import Logging
import SwitchboardBus
import SwitchboardGateway
import SwitchboardMonitor
import SwitchboardProcesses
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardTopology
import UnixSignals

/// `switchboard demo`.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole system with simulated customers and agents, and watch the routing live.",
        discussion: """
            Starts `switchboard up` (every service of the topology on this host, each its own \
            process), runs `switchboard simulate` against it, and shows agents getting \
            conversations live: on a terminal, the monitor's supervisor view redrawn every second \
            with the latest routing decisions under it (each with its rule and one-sentence \
            reason); otherwise, or with --feed-only, one line per decision. With --duration it \
            ends by itself, stops the services cleanly and prints a summary, with the routing \
            invariants checked over the whole event stream; without, it runs until Ctrl-C. The \
            services keep their state in the topology's data directory (var/local); --fresh \
            starts from nothing.
            """)

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions
    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var principalOptions: PrincipalOptions

    @Option(help: "Seconds of arrivals before the demo drains, stops and prints its summary (default: until Ctrl-C).")
    var duration: Double?

    @Flag(help: "Remove the data directory first (var/local with Topology/local.yaml): start from nothing.")
    var fresh = false

    @Option(help: "Log level of the services (their lines go to standard error).")
    var serviceLogLevel = "warning"

    @Flag(help: "Print the feed of decisions line by line, without the monitor's screen.")
    var feedOnly = false

    func validate() throws {
        if let duration, !(duration > 0 && duration.isFinite) {
            throw ValidationError("--duration must be a positive number of seconds")
        }
    }

    func run() async throws {
        var logger = loggingOptions.bootstrap(label: "switchboard.demo")
        logger.logLevel = max(logger.logLevel, .notice)
        let topology = try topologyOptions.load()
        let contactCentre = try topology.loadContactCentre()
        var settings = try simulation.settings(duration: duration ?? .infinity)
        if simulation.agentsThrough == "auto" { settings.agentPath = .desk }
        let pages = DemoPages(topology: topology, contactCentre: contactCentre)
        if pages != nil { settings.agentsLeftToPeople = [AgentID(DemoPages.person)] }
        let services = topology.services(on: try topology.host(requested: nil)).map(\.name)
        let status = LineOutput.standardError
        var demo = DemoRunner(
            topologyFile: topologyOptions.topology, topology: topology, contactCentre: contactCentre,
            settings: settings, utterances: try simulation.utterances(topology: topologyOptions.topology),
            services: services, logger: logger)
        demo.fresh = fresh
        demo.security = try principalOptions.security(topology, defaultPrincipal: "simulator", logger: logger)
        demo.serviceLogLevel = serviceLogLevel
        if let pages, services.contains(.gateway) {
            // A gateway that cannot listen would die until `up` gives up and stops everything.
            if let problem = pages.portProblem { throw ValidationError("demo: \(problem)") }
            demo.prepare = { try await pages.seedPasswords() }
        }
        let output = LineOutput()
        // On a terminal, with the monitor running: its view on top, the latest decisions under it.
        let useScreen =
            services.contains(.monitor) && simulation.feed && !simulation.json && !feedOnly
            && MonitorTerminal.isTerminal
        let size = MonitorTerminal.size
        var initialScreen = DemoScreen(feedLinesMax: max(5, size.rows / 4))
        if let pages, services.contains(.gateway) {
            initialScreen.pinned = pages.lines
            for line in pages.lines { status.write("demo: \(line)") }
        }
        let screen = Locked(initialScreen)
        if useScreen {
            demo.status = { line in screen.withLock { $0.setStatus("demo: \(line)") } }
            demo.feed = { line in screen.withLock { $0.append(line) } }
        } else {
            demo.status = { status.write("demo: \($0)") }
            if simulation.feed && !simulation.json { demo.feed = { output.write($0) } }
        }
        let people = settings.agentsLeftToPeople.map(\.rawValue).sorted().joined(separator: ", ")
        status.write(
            "demo: \(contactCentre.name), \(contactCentre.agents.count) agents"
                + (people.isEmpty ? ", " : " (\(people) left to you), ")
                + "\(simulation.rate) conversations/s, "
                + (duration.map { "\(Int($0)) s" } ?? "until Ctrl-C")
                + "; openings from \(demo.utterances.origin.rawValue) (\(demo.utterances.path))")
        let control = SimulationRunner.Control()
        // Ctrl-C reaches `up` too (same terminal): the demo stops at once and waits for it.
        let signals = Task {
            for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                status.write("demo: stopping")
                control.request(.abort)
            }
        }
        let header =
            "Switchboard demo · \(contactCentre.name) · \(simulation.rate) conversations/s · "
            + (duration.map { "\(Int($0)) s" } ?? "Ctrl-C stops")
        let drawing =
            useScreen
            ? Task { [security = demo.security] in
                await Self.draw(screen, header: header, topology: topology, security: security)
            } : nil
        let summary: SimulationSummary
        do {
            summary = try await demo.run(control: control)
        } catch {
            signals.cancel()
            drawing?.cancel()
            await drawing?.value
            throw ValidationError("\(error)")
        }
        signals.cancel()
        drawing?.cancel()
        await drawing?.value
        output.write(simulation.json ? summary.json.text : summary.text)
    }

    /// Redraws the screen every second from the monitor's stream until cancelled.
    private static func draw(
        _ screen: Locked<DemoScreen>, header: String, topology: Topology, security: BusSecurity? = nil
    ) async {
        var quiet = Logger(label: "switchboard.demo-view")
        quiet.logLevel = .error
        let client = MonitorViewClient(topology: topology, logger: quiet, security: security)
        try? await MonitorTerminal.redraw(client, seconds: nil, terminal: true) { document, _, size in
            var renderer = MonitorRenderer()
            renderer.ansi = true
            renderer.width = size.columns
            renderer.agentLinesMax = max(5, size.rows / 5)
            renderer.conversationLinesMax = max(3, size.rows / 8)
            let view = document.objectValue?.isEmpty == false ? renderer.render(document) : nil
            return screen.withLock {
                $0.frame(
                    header: "\(header) · \(LiveFeed.clock(WallClock.microseconds() / 1_000))", monitorView: view,
                    width: size.columns)
            }
        }
    }
}
