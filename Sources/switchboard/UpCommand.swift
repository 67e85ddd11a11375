import ArgumentParser
import Foundation
import Logging
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardTopology
import UnixSignals

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
            "For recovery tests: SERVICE:POINT[:N] makes the service's first run die at the crash point (after-commit, after-ack).",
            visibility: .hidden))
    var crashAt: String?

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.up")
        let topology = try topologyOptions.load()
        let hostName = try Self.chooseHost(host, in: topology)
        var services = topology.services(on: hostName).map(\.name)
        if !service.isEmpty {
            let wanted = try service.map { name -> ServiceName in
                guard let value = ServiceName(rawValue: name) else {
                    throw ValidationError(
                        "unknown service '\(name)'; use router, presence, desk, summariser, monitor or gateway")
                }
                return value
            }
            services = services.filter(wanted.contains)
        }
        guard !services.isEmpty else { throw ValidationError("the topology places no service on host '\(hostName)'") }
        // Missing keys stop here, named, rather than in each service's restarts.
        var checking = logger
        checking.logLevel = .warning  // each service says at its own start what it uses
        do {
            for name in services {
                _ = try ProcessSecurity.load(principal: name.rawValue, topology: topology, logger: checking)
            }
        } catch { throw ValidationError("\(error)") }
        var firstStart: [ServiceName: [String: String]] = [:]
        if let crashAt {
            let parts = crashAt.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let target = ServiceName(rawValue: String(parts[0])) else {
                throw ValidationError("--crash-at takes SERVICE:POINT[:N], e.g. router:after-commit")
            }
            firstStart[target] = ["SWITCHBOARD_CRASH_AT": String(parts[1])]
        }
        let supervisor = ProcessSupervisor(
            topologyFile: topologyOptions.topology, services: services,
            policy: RestartPolicy(
                restartsMax: topology.supervision.restartsMax, windowSeconds: topology.supervision.windowSeconds),
            logger: logger, firstStartEnvironment: firstStart,
            arguments: { [logLevel = loggingOptions.logLevel] _ in ["--log-level", logLevel] })
        let output = LineOutput()
        let printer = Task {
            for await event in supervisor.eventStream where json {
                output.write(Self.line(event).text)
            }
        }
        let signals = Task {
            for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                logger.notice("\(signal): stopping every service")
                await supervisor.stop()
                return
            }
        }
        let failure = await supervisor.run()
        signals.cancel()
        await printer.value
        if let failure { throw ValidationError(failure) }
    }

    static func chooseHost(_ requested: String?, in topology: Topology) throws -> String {
        if let requested {
            guard topology.hosts[requested] != nil else {
                throw ValidationError(
                    "no host '\(requested)' in \(topology.file); it has \(topology.hosts.keys.sorted().joined(separator: ", "))"
                )
            }
            return requested
        }
        if topology.hosts.count == 1, let only = topology.hosts.keys.first { return only }
        let name = ProcessInfo.processInfo.hostName
        if let match = topology.hosts.values.first(where: { $0.name == name || $0.address == name }) {
            return match.name
        }
        throw ValidationError(
            "the topology has several hosts; say which this is with --host (\(topology.hosts.keys.sorted().joined(separator: ", ")))"
        )
    }

    static func line(_ event: ProcessSupervisor.Event) -> JSON {
        switch event {
        case .started(let service, let pid):
            ["event": "started", "service": .string(service.rawValue), "pid": .number(Int(pid))]
        case .exited(let service, let pid, let status):
            [
                "event": "exited", "service": .string(service.rawValue), "pid": .number(Int(pid)),
                "status": .number(Int(status)),
            ]
        case .gaveUp(let service, let restarts, let window):
            [
                "event": "gaveUp", "service": .string(service.rawValue), "restarts": .number(restarts),
                "windowSeconds": .double(window),
            ]
        case .stopped: ["event": "stopped"]
        }
    }
}
