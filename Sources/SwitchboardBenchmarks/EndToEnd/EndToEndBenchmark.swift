import Foundation
public import Logging
public import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
public import SwitchboardTopology
import ZeroMQ

/// `switchboard bench e2e`: the real router and presence processes, durability on, driven
/// over the bus only, through the public wire contract (commands and events), as any outside
/// consumer would; the system is started as `switchboard up` under our process supervisor. Writes a
/// contact centre of its own (one chat queue, `agents` agents with a
/// generous chat capacity, direct assignment, no wrap-up) and a topology on free loopback
/// ports with a temporary data directory; starts `switchboard up`; then
/// 1. saturation: clients open conversations as fast as the router acknowledges them while
///    a closer closes each one as soon as it is assigned; opened, assigned and closed per
///    second are counted over the phase;
/// 2. latency: conversations opened at a fixed rate below saturation; open-to-assigned is
///    the time from sending the command to seeing `conversation.assigned` on the bus, raw and
///    corrected for coordinated omission with the interval between two opens.
public struct EndToEndBenchmark: Sendable {
    public struct Settings: Sendable {
        public var agents = 500
        public var chatCapacity = 20
        public var saturationSeconds = 10.0
        /// When set, the saturation phase opens exactly this many conversations (whatever the time)
        /// and waits until the router has closed them all: a fixed amount of work, so that two runs
        /// with different counts under a profiler give the cost of one conversation.
        public var saturationConversations: Int?
        /// The longest wait for the closes of a counted saturation phase.
        public var saturationDrainSecondsMax = 1_800.0
        /// Commands in flight at once during saturation.
        public var concurrency = 256
        /// Conversations per second in the latency phase; nil: half the rate measured at saturation,
        /// so that the latency is not queueing time.
        public var latencyRate: Int?
        /// Seconds of the latency phase; 0 leaves it out.
        public var latencySeconds = 5.0
        /// The `switchboard` binary to start `up` from.
        public var executable = ChildProcess.currentExecutable
        /// CURVE on every socket (keys made for the run; the bench connects as a principal of its
        /// own), to measure what encryption costs.
        public var curve = false
        /// The router's and presence tracker's `durability:`.
        public var durability = Topology.Service.Durability.process
        /// A topology whose router and presence tracker already run (as `writeFiles` wrote it):
        /// the benchmark drives them instead of starting `up`, so that the router can be run by
        /// hand, under a profiler for instance. Disk writes are then not measured.
        public var runningTopology: String?

        public init() {}
    }

    public let settings: Settings
    public let logger: Logger

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws -> JSON {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-bench-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let topologyFile: String
        let endpoints: Endpoints
        let up: ChildProcess?
        if let running = settings.runningTopology {
            topologyFile = running
            endpoints = try Self.endpoints(of: try Topology.load(file: running))
            up = nil
        } else {
            (topologyFile, endpoints) = try writeFiles(in: directory)
            up = try await ChildProcess(
                name: "up", executable: settings.executable,
                arguments: [
                    "up", "--topology", topologyFile, "--service", "router", "--service", "presence", "--log-level",
                    "warning",
                ],
                captureOutput: false)
        }
        defer { up?.signal(SIGTERM) }
        let loop = try SocketLoop(name: "sb-bench-e2e", logger: logger)
        let security = try ProcessSecurity.load(
            principal: "bench", topology: try Topology.load(file: topologyFile), logger: logger)
        let routerClient = try await CommandClient(
            loop: loop, connect: endpoints.routerCommand, serviceName: "router", logger: logger, security: security)
        let presenceClient = try await CommandClient(
            loop: loop, connect: endpoints.presenceCommand, serviceName: "presence", logger: logger,
            security: security)

        // Every agent Available, and the router has seen it.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<settings.agents {
                group.addTask {
                    _ = try await presenceClient.send(
                        "presence.set", data: ["agentId": .string("agent-\(index)"), "status": "available"],
                        deadlineSeconds: 60)
                }
                if index % 64 == 63 { try await group.next() }
            }
            try await group.waitForAll()
        }
        let watcher = AssignmentWatcher()
        var replicaOptions = Replica.Options()
        replicaOptions.security = security
        let replica = Replica(
            loop: loop, publish: endpoints.routerPublish, state: endpoints.routerState, prefixes: ["conv.", "agent."],
            logger: logger, options: replicaOptions)
        let watching = Task { try? await replica.run { update in watcher.observe(update) } }
        guard await watcher.waitUntil(availableAgents: settings.agents, seconds: 60) else {
            throw BenchmarkError(
                "the router did not see the \(settings.agents) agents Available within 60 s; try fewer --agents")
        }
        watcher.closeAssigned(with: routerClient)

        // 1. Saturation.
        let opened = Locked(0)
        let router = up.map { RouterWrites(upPid: $0.pid, metricsPort: endpoints.routerMetricsPort) }
        let writesBefore = await router?.read()
        let startCounts = watcher.counts
        let started = ContinuousClock.now
        let deadline = started.advanced(by: .milliseconds(Int64(settings.saturationSeconds * 1_000)))
        // Counted: each worker claims the next of the `saturationConversations` before it opens one.
        let claimed = Locked(0)
        let limit = settings.saturationConversations
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<settings.concurrency {
                group.addTask {
                    var sequence = 0
                    while true {
                        if let limit {
                            let mine = claimed.withLock { count -> Bool in
                                guard count < limit else { return false }
                                count += 1
                                return true
                            }
                            if !mine { break }
                        } else if ContinuousClock.now >= deadline {
                            break
                        }
                        sequence += 1
                        let id = "s\(worker)-\(sequence)"
                        if (try? await routerClient.send("conversation.open", data: Self.open(id), deadlineSeconds: 30))
                            != nil
                        {
                            opened.withLock { $0 += 1 }
                        }
                    }
                }
            }
        }
        if limit != nil {
            // Every conversation opened is closed by the watcher once assigned: wait for the last close.
            let drainDeadline = ContinuousClock.now.advanced(
                by: .milliseconds(Int64(settings.saturationDrainSecondsMax * 1_000)))
            while watcher.counts.closed - startCounts.closed < opened.value, ContinuousClock.now < drainDeadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        let saturationSeconds = (ContinuousClock.now - started).seconds
        // Let the assignments and closes of the last opens land before counting.
        try? await Task.sleep(for: .seconds(2))
        let endCounts = watcher.counts
        let writesAfter = await router?.read()

        // 2. Latency at a fixed rate.
        let latencyRate = settings.latencyRate ?? max(1, Int(Double(opened.value) / saturationSeconds / 2))
        let interval = 1.0 / Double(latencyRate)
        let latencies = Locked(LatencyHistogram(expectedInterval: UInt64(interval * 1_000_000)))
        let total = Int(Double(latencyRate) * max(0, settings.latencySeconds))
        let latencyStart = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<total {
                let due = latencyStart.advanced(by: .microseconds(Int64(Double(index) * interval * 1_000_000)))
                if due > .now { try? await Task.sleep(until: due) }
                group.addTask {
                    let id = "l-\(index)"
                    let sent = ContinuousClock.now
                    async let assigned = watcher.waitForAssignment(id, seconds: 30)
                    _ = try? await routerClient.send("conversation.open", data: Self.open(id), deadlineSeconds: 30)
                    if let at = await assigned {
                        let micros = Int64(((at - sent).seconds * 1_000_000).rounded())
                        latencies.withLock { $0.record(micros) }
                    }
                }
            }
        }
        watching.cancel()
        await loop.shutdown()
        up?.signal(SIGTERM)
        _ = await up?.stop(graceSeconds: 20)

        let histogram = latencies.value
        func percentile(_ percent: Double) -> Double { Double(histogram.value(atPercentile: percent)) }
        func corrected(_ percent: Double) -> Double { Double(histogram.correctedValue(atPercentile: percent)) }
        let floor = await ZMQFloor.measure()
        var result = JSONObject([
            ("bench", "e2e"), ("curve", .bool(settings.curve)), ("agents", .number(settings.agents)),
            ("durability", .string(Self.describe(settings.durability))),
            ("saturationSeconds", .double((saturationSeconds * 100).rounded() / 100)),
            ("openedPerSecond", .double((Double(opened.value) / saturationSeconds).rounded())),
            (
                "assignedPerSecond",
                .double((Double(endCounts.assigned - startCounts.assigned) / saturationSeconds).rounded())
            ),
            ("closedPerSecond", .double((Double(endCounts.closed - startCounts.closed) / saturationSeconds).rounded())),
            ("conversationsOpened", .number(opened.value + total)), ("latencyRatePerSecond", .number(latencyRate)),
            ("latencySamples", .number(histogram.count)),
            ("openToAssignedP50Microseconds", .double(percentile(50))),
            ("openToAssignedP99Microseconds", .double(percentile(99))),
            ("openToAssignedP50MicrosecondsCorrected", .double(corrected(50))),
            ("openToAssignedP99MicrosecondsCorrected", .double(corrected(99))),
        ])
        let conversations = endCounts.closed - startCounts.closed
        if conversations > 0, let before = writesBefore, let after = writesAfter {
            let per = { (bytes: Int) -> JSON in .double((Double(bytes) / Double(conversations)).rounded()) }
            result["bytesWrittenPerConversation"] = per(after.fileBytes - before.fileBytes)
            var tables = JSONObject()
            for (table, bytes) in after.tableBytes.sorted(by: { $0.key < $1.key }) {
                tables[table] = per(bytes - (before.tableBytes[table] ?? 0))
            }
            result["rowBytesPerConversationByTable"] = .object(tables)
        }
        if let floor {
            result["zmqFloorRoundTripP50Microseconds"] = .double(floor.p50)
            result["zmqFloorRoundTripP99Microseconds"] = .double(floor.p99)
            result["p50OverFloor"] = .double((percentile(50) / max(floor.p50, 1) * 10).rounded() / 10)
        }
        return .object(result)
    }

    static func open(_ id: String) -> JSON {
        ["conversationId": .string(id), "customerId": .string("cust-\(id)"), "queue": "bench"]
    }

    /// The endpoints the benchmark's topology gives the router and presence.
    struct Endpoints {
        var routerPublish: String
        var routerState: String
        var routerCommand: String
        var presenceCommand: String
        var routerMetricsPort: Int
    }

    /// Writes the contact centre and the topology; returns the topology's path and endpoints.
    /// The durability as the printed line names it, with what it means for SQLite.
    static func describe(_ durability: Topology.Service.Durability) -> String {
        switch durability {
        case .process: "process (WAL, synchronous=NORMAL: survives the process's crash)"
        case .machine: "machine (WAL, synchronous=FULL: survives a power loss)"
        }
    }

    /// The endpoints of a topology's router and presence tracker.
    static func endpoints(of topology: Topology) throws -> Endpoints {
        guard let router = topology.service(.router), let presence = topology.service(.presence),
            let routerState = router.state, let routerCommand = router.command, let presenceCommand = presence.command
        else {
            throw BenchmarkError(
                "the topology \(topology.file) needs a router and a presence tracker with state and command "
                    + "endpoints; write one with `bench e2e --write-files DIR`")
        }
        let metricsPort = router.metrics.flatMap { $0.split(separator: ":").last.flatMap { Int($0) } } ?? 0
        return Endpoints(
            routerPublish: router.publish, routerState: routerState, routerCommand: routerCommand,
            presenceCommand: presenceCommand, routerMetricsPort: metricsPort)
    }

    /// Writes the benchmark's contact centre and topology into `directory` (the data directory
    /// under it) and returns the topology's path: start its router and presence tracker by hand,
    /// then run the benchmark with `runningTopology`.
    public func writeFiles(into directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try writeFiles(in: URL(fileURLWithPath: directory)).topologyFile
    }

    private func writeFiles(in directory: URL) throws -> (topologyFile: String, endpoints: Endpoints) {
        _ = try BenchFiles.writeCentre(in: directory, agents: settings.agents, chatCapacity: settings.chatCapacity)
        let ports = BenchFiles.freePorts(7)
        var security = ""
        if settings.curve {
            let keys = directory.appendingPathComponent("keys").path
            _ = try KeyFiles.generate(names: ["router", "presence", "bench"], directory: keys, force: true)
            security = """
                security:
                  keys: keys
                  principals:
                    router: {key: router, role: service}
                    presence: {key: presence, role: service}
                    bench:
                      key: bench
                      role: tool
                      actFor: true
                      commands: [conversation.open, conversation.close, presence.set]

                """
        }
        let topology = """
            version: 1
            contactCentre: centre.yaml
            dataDirectory: data
            \(security)hosts:
              local: {address: 127.0.0.1}
            services:
              router:
                host: local
                publish: "tcp://127.0.0.1:\(ports[0])"
                state: "tcp://127.0.0.1:\(ports[1])"
                command: "tcp://127.0.0.1:\(ports[2])"
                durability: \(settings.durability.rawValue)
                metrics: "tcp://127.0.0.1:\(ports[6])"
              presence:
                host: local
                publish: "tcp://127.0.0.1:\(ports[3])"
                state: "tcp://127.0.0.1:\(ports[4])"
                command: "tcp://127.0.0.1:\(ports[5])"
                heartbeatTimeoutSeconds: 3600
                durability: \(settings.durability.rawValue)
            """
        let file = directory.appendingPathComponent("topology.yaml").path
        try topology.write(toFile: file, atomically: true, encoding: .utf8)
        let endpoints = Endpoints(
            routerPublish: "tcp://127.0.0.1:\(ports[0])", routerState: "tcp://127.0.0.1:\(ports[1])",
            routerCommand: "tcp://127.0.0.1:\(ports[2])", presenceCommand: "tcp://127.0.0.1:\(ports[5])",
            routerMetricsPort: ports[6])
        return (file, endpoints)
    }
}
