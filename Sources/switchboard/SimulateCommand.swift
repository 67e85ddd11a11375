import ArgumentParser
import Foundation
import Logging
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardTools
import SwitchboardTopology
import UnixSignals

/// `switchboard simulate`.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Drive simulated customers and agents through the running system, then print a summary.",
        discussion: """
            Needs the system running (`switchboard up`). Customers arrive at every queue of the \
            contact centre (Poisson arrivals, --rate conversations per second in all, split by queue \
            weights), open with real BANKING77 utterances when ../shared/data/banking77/train.csv \
            is beside the repository (read in place; the shipped example set otherwise) or with \
            short scripted lines in Spanish, French and German, write follow-ups from scripted \
            dialogues, come back later (so stickiness is exercised) and give up when they have \
            waited longer than their patience. Agents sign in at the desk, send presence \
            heartbeats, accept or decline offers, reply, close, wrap up with a disposition, take \
            breaks and sign out. Every random choice follows --seed.

            After --duration seconds no new customer arrives; agents finish their conversations \
            and sign out, and the summary is printed. Ctrl-C ends the arrivals early (twice: stop \
            at once). At the end the routing invariants are checked over the router's event stream \
            when the run started from an empty router; a broken one makes the exit status 2.
            """)

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions
    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var principalOptions: PrincipalOptions

    @Option(help: "Seconds of arrivals before the run drains and ends.")
    var duration: Double = 60

    func validate() throws {
        guard duration > 0, duration.isFinite else {
            throw ValidationError("--duration must be a positive number of seconds")
        }
    }

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.simulate")
        let topology = try topologyOptions.load()
        let contactCentre = try topology.loadContactCentre()
        var settings = try simulation.settings(duration: duration)
        let security = try principalOptions.security(topology, defaultPrincipal: "simulator", logger: logger)
        if simulation.agentsThrough == "auto" {
            let deskUp = await ServiceProbe.answers(
                .desk, topology: topology, logger: logger, seconds: 2, security: security)
            settings.agentPath = deskUp ? .desk : .router
            if !deskUp {
                LineOutput.standardError.write("simulate: no desk answers; agents act on the router directly")
            }
        }
        var runner = SimulationRunner(
            topology: topology, contactCentre: contactCentre, settings: settings,
            utterances: try simulation.utterances(topology: topologyOptions.topology), logger: logger)
        let output = LineOutput()
        if simulation.feed && !simulation.json { runner.feed = { output.write($0) } }
        runner.checkInvariants = simulation.check
        runner.security = security
        let control = SimulationRunner.Control()
        let signals = Task {
            for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                if control.requested == .none {
                    LineOutput.standardError.write(
                        "simulate: ending the arrivals; agents finish and sign out (again to stop at once)")
                    control.request(.endEarly)
                } else {
                    control.request(.abort)
                }
            }
        }
        let summary: SimulationSummary
        do {
            summary = try await runner.run(control: control)
        } catch {
            signals.cancel()
            throw ValidationError("\(error)")
        }
        signals.cancel()
        output.write(simulation.json ? summary.json.text : summary.text)
        if let invariants = summary.invariants, invariants.checked, !invariants.violations.isEmpty {
            throw ExitCode(2)
        }
    }
}

/// Options shared by `simulate` and `demo`.
struct SimulationOptions: ParsableArguments {
    @Option(help: "Conversations opened per second over the whole contact centre.")
    var rate: Double = 1

    @Option(help: "The seed of every random choice (same seed, same choices).")
    var seed: UInt64 = 1

    @Option(help: "How agents act: auto (the desk when it answers), desk, or router (straight on the router).")
    var agentsThrough = "auto"

    @Option(
        help: "A CSV of text,intent for customers' openings (default: BANKING77 beside the repository, else examples).")
    var utterances: String?

    @Flag(help: "Print the summary as one JSON line (and no live feed).")
    var json = false

    @Flag(inversion: .prefixedNo, help: "Print a line per assignment as it happens.")
    var feed = true

    @Flag(inversion: .prefixedNo, help: "Check the routing invariants over the run's events at the end.")
    var check = true

    func validate() throws {
        guard rate > 0, rate <= 1_000 else {
            throw ValidationError("--rate must be above 0 and at most 1000 per second")
        }
        guard ["auto", "desk", "router"].contains(agentsThrough) else {
            throw ValidationError("--agents-through is auto, desk or router, not '\(agentsThrough)'")
        }
    }

    func settings(duration: Double) throws -> SimulationSettings {
        var settings = SimulationSettings()
        settings.durationSeconds = duration
        settings.conversationsPerSecond = rate
        settings.seed = seed
        settings.agentPath = agentsThrough == "router" ? .router : .desk
        return settings
    }

    /// The customers' openings: --utterances, else BANKING77 beside the repository, else the
    /// shipped examples.
    func utterances(topology file: String) throws -> UtteranceBank {
        try Self.utteranceBank(topology: file, explicitPath: utterances)
    }

    static func utteranceBank(topology file: String, explicitPath: String? = nil) throws -> UtteranceBank {
        do {
            return try UtteranceBank.locate(topologyFile: file, explicitPath: explicitPath)
        } catch {
            throw ValidationError("cannot read the customers' utterances: \(error)")
        }
    }
}
