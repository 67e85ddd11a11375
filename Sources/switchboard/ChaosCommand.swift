import ArgumentParser
import Foundation
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardTools
import SwitchboardTopology

/// `switchboard chaos`.
struct ChaosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaos",
        abstract: "Kill processes with SIGKILL under simulated load and check that nothing was lost.",
        discussion: """
            Runs the topology's services on free loopback ports with a fresh data directory (so \
            it disturbs nothing already running), drives simulated customers and agents through \
            them, and kills the --kill services with SIGKILL at random moments (about every \
            --every seconds, sometimes two at once); `up` restarts them. After the load it drains \
            and checks, from its own record of every acknowledged command and every event seen on \
            the bus: acknowledged conversations lost, conversations assigned to two agents at \
            once, capacity violations, assignments to agents not Available, the longest time \
            without routing after a kill, and the time from each router kill to the first \
            assignment of the restarted router. Prints a report (--json for one JSON line) and \
            exits non-zero on any violation.
            """)

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions
    @OptionGroup var principalOptions: PrincipalOptions

    @Option(help: "Seconds of load.")
    var duration: Double = 60

    @Option(help: "Services to kill, comma separated (router, presence, desk, summariser, monitor).")
    var kill: String = "router,presence,desk"

    @Option(help: "Average seconds between kills.")
    var every: Double = 5

    @Option(help: "The seed of the kills and of the load.")
    var seed: UInt64 = 1

    @Option(help: "Conversations opened per second.")
    var rate: Double = 3

    @Flag(
        help: """
            Attach to the system the topology describes, already running (on other hosts, say), \
            instead of starting one on free loopback ports; kill nothing: whoever runs it kills \
            processes or hosts. The load, the record and the verdict are the same.
            """)
    var attach = false

    @Flag(help: "Print the report as one JSON line.")
    var json = false

    func validate() throws {
        guard duration > 0, every > 0, rate > 0 else {
            throw ValidationError("--duration, --every and --rate must be positive")
        }
    }

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.chaos")
        let topology = try topologyOptions.load()
        let contactCentre = try topology.loadContactCentre()
        var settings = ChaosRun.Settings()
        settings.durationSeconds = duration
        settings.killEverySeconds = every
        settings.seed = seed
        settings.principal = principalOptions.principal ?? settings.principal
        settings.conversationsPerSecond = rate
        settings.attach = attach
        settings.services = try kill.split(separator: ",").map { name in
            guard let service = ServiceName(rawValue: String(name).trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--kill names '\(name)'; use router, presence, desk, summariser or monitor")
            }
            return service
        }
        let utterances = try SimulationOptions.utteranceBank(topology: topologyOptions.topology)
        let status = LineOutput.standardError
        let report = try await ChaosRun(
            topology: topology, contactCentre: contactCentre, settings: settings, utterances: utterances, logger: logger
        ).run { status.write($0) }
        print(json ? report.json.text : report.text)
        if report.violations > 0 { throw ExitCode(1) }
    }
}
