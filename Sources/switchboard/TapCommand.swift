import ArgumentParser
import SwitchboardProcesses
import SwitchboardTools
import SwitchboardTopology

/// `switchboard tap`: print the event stream as JSON lines.
struct TapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tap",
        abstract: "Print the snapshot and then every event of the running system, as JSON lines.",
        discussion: """
            Attaches to every publisher of the topology at any moment: subscribes, takes a snapshot \
            from each state endpoint, then prints each event in order, taking a new snapshot after a \
            gap or a restart. Snapshot items print as {"snapshot":SERVICE,"key":…,"value":…}, events \
            as their envelope with the topic added. Status lines go to standard error.

            Examples:
              switchboard tap                       everything
              switchboard tap conv. agent.          conversations and agents only
              switchboard tap assist. --no-snapshot only new assistance events
            """)

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions
    @OptionGroup var principalOptions: PrincipalOptions

    @Argument(help: "Topic prefixes to print (e.g. conv. agent.a-7.); all when none.")
    var prefixes: [String] = []

    @Flag(inversion: .prefixedNo, help: "Take snapshots from state endpoints first.")
    var snapshot = true

    @Flag(help: "Print the snapshots and exit.")
    var snapshotOnly = false

    @Flag(help: "Print heartbeats too.")
    var heartbeats = false

    @Option(help: "Only these services (router, presence, desk, summariser, monitor).")
    var service: [String] = []

    @Option(help: "Exit after this many events.")
    var count: Int?

    @Option(help: "Exit after this many seconds.")
    var seconds: Double?

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.tap")
        let topology = try topologyOptions.load()
        var options = Tap.Options()
        options.prefixes = prefixes
        options.snapshots = snapshot
        options.snapshotOnly = snapshotOnly
        options.heartbeats = heartbeats
        options.eventsMax = count
        options.seconds = seconds ?? (snapshotOnly ? 10 : nil)
        options.security = try principalOptions.security(topology, defaultPrincipal: "tap", logger: logger)
        options.services = try service.map { name in
            guard let service = ServiceName(rawValue: name) else {
                throw ValidationError("unknown service '\(name)'; use router, presence, desk, summariser or monitor")
            }
            return service
        }
        let missing = try await Tap(topology: topology, options: options, logger: logger).run(output: LineOutput())
        if snapshotOnly && !missing.isEmpty {
            throw ValidationError(
                "no snapshot from \(missing.map(\.rawValue).joined(separator: ", ")) within "
                    + "\(Int(options.seconds ?? 0)) s; is it running?"
            )
        }
    }
}
