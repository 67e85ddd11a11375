import ArgumentParser
import SwitchboardBenchmarks
import SwitchboardBus
import SwitchboardTopology

/// `switchboard bench e2e`.
struct BenchE2ECommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract:
            "The real router and presence processes with durability on: conversations per second and open-to-assigned "
            + "latency.",
        discussion: """
            Starts `switchboard up` on a topology of its own (free loopback ports, a temporary \
            data directory, one chat queue and --agents agents), then measures conversations \
            opened, assigned and closed per second at saturation, and open-to-assigned latency \
            (command sent → conversation.assigned seen on the bus) at a fixed --rate below \
            saturation. When ../shared/tools/zmq-floor.c and gcc are at hand, the raw libzmq \
            two-hop round trip is measured in the same run. Prints one JSON line.
            """)

    @Option(help: "Conversations per second in the latency phase (default: half the saturation rate).")
    var rate: Int?

    @Option(help: "Seconds of the saturation phase.")
    var duration = 10.0

    @Option(
        help: ArgumentHelp(
            "Open exactly this many conversations in the saturation phase, instead of --duration seconds.",
            discussion: "The phase ends when the router has closed them all: a fixed amount of work, so that "
                + "two runs with different counts under a profiler give the cost of one conversation."))
    var conversations: Int?

    @Option(help: "Seconds of the latency phase (0 leaves it out).")
    var latencySeconds = 5.0

    @Option(help: "Agents (each takes up to --capacity chats).")
    var agents = 500

    @Option(help: "Chats per agent.")
    var capacity = 20

    @Option(help: "Commands in flight at once during saturation.")
    var concurrency = 256

    @Flag(help: "CURVE on every socket (keys made for the run): the cost of encryption.")
    var curve = false

    @Option(
        help: ArgumentHelp(
            "The router's and presence tracker's durability: process or machine.",
            discussion: "process: a commit survives the process's crash; machine: a power loss too (one flush "
                + "to the disk per commit)."))
    var durability = "process"

    @Option(
        help: ArgumentHelp(
            "Drive the router and presence tracker already running on this topology instead of starting them.",
            discussion: "Write one with --write-files, start `switchboard router` and `switchboard presence` on it "
                + "(under a profiler, say), then run the benchmark with it. Disk writes are not measured then."))
    var topology: String?

    @Option(
        help: ArgumentHelp(
            "Write the benchmark's contact centre and topology into this directory and exit.",
            discussion: "Prints the topology's path, for --topology."))
    var writeFiles: String?

    @OptionGroup var loggingOptions: LoggingOptions

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.bench")
        var settings = EndToEndBenchmark.Settings()
        settings.rate(rate, duration: duration, agents: agents, capacity: capacity, concurrency: concurrency)
        settings.curve = curve
        if let conversations {
            guard conversations > 0 else { throw ValidationError("--conversations must be at least 1") }
            settings.saturationConversations = conversations
        }
        guard latencySeconds >= 0, latencySeconds.isFinite else {
            throw ValidationError("--latency-seconds must be 0 or more")
        }
        settings.latencySeconds = latencySeconds
        guard let durability = Topology.Service.Durability(rawValue: durability) else {
            let known = Topology.Service.Durability.allCases.map(\.rawValue).joined(separator: " or ")
            throw ValidationError("--durability \(durability) is not known; use \(known)")
        }
        settings.durability = durability
        settings.runningTopology = topology
        let benchmark = EndToEndBenchmark(settings: settings, logger: logger)
        if let writeFiles {
            print(try benchmark.writeFiles(into: writeFiles))
            return
        }
        let result = try await benchmark.run()
        print(result.text)
    }
}

extension EndToEndBenchmark.Settings {
    mutating func rate(_ rate: Int?, duration: Double, agents: Int, capacity: Int, concurrency: Int) {
        latencyRate = rate
        saturationSeconds = duration
        self.agents = agents
        chatCapacity = capacity
        self.concurrency = concurrency
    }
}
