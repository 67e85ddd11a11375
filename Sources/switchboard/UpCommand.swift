import ArgumentParser
import Logging
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTopology

/// `switchboard up`.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Start and supervise the services the topology places on this host.",
        discussion: """
            Starts each service as its own process, restarts one that dies (at most the \
            topology's supervision.restartsMax times within windowSeconds, then stops everything \
            and exits non-zero), and stops them all on SIGINT or SIGTERM. With --json, prints one \
            JSON line per start and exit on standard output (tools such as `chaos` read them).
            """)

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions

    @Option(help: "The host (a name under hosts:) whose services to run; needed when the topology has several.")
    var host: String?

    @Option(help: "Only these services (default: all those on the host).")
    var service: [String] = []

    @Flag(help: "Print a JSON line for each process start and exit.")
    var json = false

    @Option(
        help: ArgumentHelp(
            "For recovery tests: SERVICE:POINT[:N] makes the service's first run die at the crash point "
                + "(after-commit, after-ack).",
            visibility: .hidden))
    var crashAt: String?

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.up")
        let topology = try topologyOptions.load()
        let plan: HostRun
        do {
            plan = try HostRun(
                topologyFile: topologyOptions.topology, topology: topology, host: host, only: service, crashAt: crashAt)
        } catch {
            throw ValidationError(error.description)
        }
        // Missing keys stop here, named, rather than in each service's restarts.
        var checking = logger
        checking.logLevel = .warning  // each service says at its own start what it uses
        do {
            for name in plan.services {
                _ = try ProcessSecurity.load(principal: name.rawValue, topology: topology, logger: checking)
            }
        } catch { throw ValidationError("\(error)") }
        let failure = await plan.run(
            serviceLogLevel: loggingOptions.logLevel, jsonLines: json ? LineOutput() : nil, logger: logger)
        if let failure { throw ValidationError(failure) }
    }
}
