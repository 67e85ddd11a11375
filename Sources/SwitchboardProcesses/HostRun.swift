import Glibc
public import Logging
public import SwitchboardBus
import SwitchboardServiceKit
public import SwitchboardTopology
import UnixSignals

/// `switchboard up` for one host: which services to start, how, and the run itself (a
/// supervisor stopped by SIGTERM or SIGINT, with a JSON line per start and exit if asked).
public struct HostRun: Sendable {
    public let topologyFile: String
    public let host: String
    public let services: [ServiceName]
    public let policy: RestartPolicy
    /// Environment for a service's first start only: a crash plan must not kill its restarts.
    public let firstStartEnvironment: [ServiceName: [String: String]]
    /// Where `up` serves its own metrics and health (the host's `metrics:`), if anywhere.
    public let metricsEndpoint: String?

    /// - Parameters:
    ///   - host: a name under `hosts:`, or nil for the only host (or the one named like this machine).
    ///   - only: service names to start (default: all those on the host).
    ///   - crashAt: for recovery tests, `SERVICE:POINT[:N]`: the service's first run dies at that point.
    public init(
        topologyFile: String, topology: Topology, host: String?, only: [String] = [], crashAt: String? = nil
    ) throws(HostRunError) {
        do {
            self.host = try topology.host(requested: host)
        } catch {
            throw HostRunError(error.description)
        }
        var services = topology.services(on: self.host).map(\.name)
        if !only.isEmpty {
            var wanted: [ServiceName] = []
            for name in only {
                guard let value = ServiceName(rawValue: name) else {
                    throw HostRunError(
                        "unknown service '\(name)'; use router, presence, desk, summariser, monitor or gateway")
                }
                wanted.append(value)
            }
            services = services.filter(wanted.contains)
        }
        guard !services.isEmpty else { throw HostRunError("the topology places no service on host '\(self.host)'") }
        var firstStart: [ServiceName: [String: String]] = [:]
        if let crashAt {
            let parts = crashAt.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let target = ServiceName(rawValue: String(parts[0])) else {
                throw HostRunError("--crash-at takes SERVICE:POINT[:N], e.g. router:after-commit")
            }
            firstStart[target] = ["SWITCHBOARD_CRASH_AT": String(parts[1])]
        }
        self.topologyFile = topologyFile
        self.services = services
        self.firstStartEnvironment = firstStart
        self.metricsEndpoint = topology.hosts[self.host]?.metrics
        policy = RestartPolicy(
            restartsMax: topology.supervision.restartsMax, windowSeconds: topology.supervision.windowSeconds)
    }

    /// Starts and supervises the services until SIGTERM or SIGINT, or until one restarts too
    /// often. Returns why it gave up, or nil after a requested stop.
    /// - Parameter jsonLines: where to write a JSON line per start and exit (nil: nowhere).
    public func run(serviceLogLevel: String, jsonLines: LineOutput?, logger: Logger) async -> String? {
        let supervisor = ProcessSupervisor(
            topologyFile: topologyFile, services: services, policy: policy, logger: logger,
            firstStartEnvironment: firstStartEnvironment,
            arguments: { _ in ["--log-level", serviceLogLevel] })
        let management = Management()
        let running = Locked<[ServiceName: Bool]>([:])
        let services = self.services
        management.readiness.add("services") {
            let down = services.filter { running.value[$0] != true }
            return down.isEmpty ? nil : "not running: \(down.map(\.rawValue).joined(separator: ", "))"
        }
        management.metrics.addCollector { metrics in
            let now = running.value
            for service in services {
                metrics.gauge(
                    "service_up", help: "1 while the service's process runs under up, 0 otherwise.",
                    labels: [("service", service.rawValue)], value: now[service] == true ? 1 : 0)
            }
        }
        var server: Task<Void, Never>?
        do {
            if let endpoint = try management.server(at: metricsEndpoint, logger: logger) {
                server = Task { await ServicePart(serving: endpoint, logger: logger).run() }
            }
        } catch {
            logger.error("\(error)")
        }
        let printer = Task {
            var started: Set<ServiceName> = []
            for await event in supervisor.eventStream {
                jsonLines?.write(event.json.text)
                switch event {
                case .started(let service, _):
                    running.withLock { $0[service] = true }
                    if !started.insert(service).inserted {
                        management.metrics.count(
                            "service_restarts", help: "Times up restarted a service whose process had died.",
                            labels: [("service", service.rawValue)])
                    }
                case .exited(let service, _, _):
                    running.withLock { $0[service] = false }
                case .gaveUp, .stopped:
                    break
                }
            }
        }
        let signals = Task {
            for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup) {
                if signal == .sighup {
                    // `systemctl reload`: every service re-reads the contact centre and the principals.
                    // The gateway re-reads nothing on SIGHUP (and would stop): it is left alone.
                    logger.notice("SIGHUP: passed on to every service but the gateway")
                    await supervisor.signalAll(SIGHUP, except: [.gateway])
                    continue
                }
                logger.notice("\(signal): stopping every service")
                await supervisor.stop()
                return
            }
        }
        let failure = await supervisor.run()
        signals.cancel()
        await printer.value
        server?.cancel()
        await server?.value
        return failure
    }
}

/// Why `up` could not start: names the thing and what to write instead.
public struct HostRunError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension ProcessSupervisor.Event {
    /// The line `up --json` prints (chaos and the process tests read it).
    public var json: JSON {
        switch self {
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
