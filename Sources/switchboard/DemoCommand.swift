import ArgumentParser
import Foundation
import Logging
import SwitchboardBus
import SwitchboardServices
import SwitchboardTopology
import UnixSignals

/// `switchboard demo`.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole system with simulated customers and agents, and watch the routing live.",
        discussion: """
            Starts `switchboard up` (every service of the topology on this host, each its own \
            process), runs `switchboard simulate` against it, and prints a line for each \
            conversation an agent gets, with the rule and the one-sentence reason of the \
            decision. With --duration it ends by itself, stops the services cleanly and prints a \
            summary; without, it runs until Ctrl-C. The services keep their state in the \
            topology's data directory (var/local); --fresh starts from nothing.
            """)

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions
    @OptionGroup var simulation: SimulationOptions

    @Option(help: "Seconds of arrivals before the demo drains, stops and prints its summary (default: until Ctrl-C).")
    var duration: Double?

    @Flag(help: "Remove the data directory first (var/local with Topology/local.yaml): start from nothing.")
    var fresh = false

    @Option(help: "Log level of the services (their lines go to standard error).")
    var serviceLogLevel = "warning"

    func validate() throws {
        if let duration, !(duration > 0 && duration.isFinite) {
            throw ValidationError("--duration must be a positive number of seconds")
        }
    }

    func run() async throws {
        var logger = loggingOptions.bootstrap(label: "switchboard.demo")
        logger.logLevel = max(logger.logLevel, .notice)
        let topology = try topologyOptions.load()
        let contactCentre = try loadContactCentre(topology)
        var settings = try simulation.settings(duration: duration ?? .infinity)
        if simulation.agentsThrough == "auto" { settings.agentPath = .desk }
        // Only the services this build has: one without its command would die and be restarted.
        let built = Set(Switchboard.configuration.subcommands.compactMap { $0.configuration.commandName })
        let services = topology.services(on: try UpCommand.chooseHost(nil, in: topology)).map(\.name)
            .filter { built.contains($0.rawValue) }
        let status = LineOutput.standardError
        let missing = ServiceName.allCases.filter { !built.contains($0.rawValue) }
        if !missing.isEmpty {
            status.write(
                "demo: this build has no \(missing.map(\.rawValue).joined(separator: ", ")) yet"
                    + (services.contains(.desk) ? "" : "; agents act on the router directly"))
        }
        var demo = DemoRunner(
            topologyFile: topologyOptions.topology, topology: topology, contactCentre: contactCentre,
            settings: settings, utterances: try simulation.utterances(topology: topologyOptions.topology),
            services: services, logger: logger)
        demo.fresh = fresh
        demo.serviceLogLevel = serviceLogLevel
        demo.status = { status.write("demo: \($0)") }
        let output = LineOutput()
        if simulation.feed && !simulation.json { demo.feed = { output.write($0) } }
        status.write(
            "demo: \(contactCentre.name), \(contactCentre.agents.count) agents, "
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
        let summary: SimulationSummary
        do {
            summary = try await demo.run(control: control)
        } catch {
            signals.cancel()
            throw ValidationError("\(error)")
        }
        signals.cancel()
        output.write(simulation.json ? summary.json.text : summary.text)
    }
}
