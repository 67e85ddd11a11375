import Foundation
public import Logging
public import SwitchboardBus
import SwitchboardRouting
import SwitchboardTopology
import SwitchboardWire
public import ZeroMQ

/// `switchboard bench e2e`: the real router and presence processes, durability on, driven
/// over the bus. Writes a contact centre of its own (one chat queue, `agents` agents with a
/// generous chat capacity, direct assignment, no wrap-up) and a topology on free loopback
/// ports with a temporary data directory; starts `switchboard up`; then
/// 1. saturation: clients open conversations as fast as the router acknowledges them while
///    a closer closes each one as soon as it is assigned; opened, assigned and closed per
///    second are counted over the phase;
/// 2. latency: conversations opened at a fixed rate below saturation; open-to-assigned is
///    the time from sending the command to seeing `conversation.assigned` on the bus.
public struct EndToEndBenchmark: Sendable {
    public struct Settings: Sendable {
        public var agents = 500
        public var chatCapacity = 20
        public var saturationSeconds = 10.0
        /// Commands in flight at once during saturation.
        public var concurrency = 256
        /// Conversations per second in the latency phase; nil: half the rate measured at saturation,
        /// so that the latency is not queueing time.
        public var latencyRate: Int?
        public var latencySeconds = 5.0
        public var executable = ChildProcess.currentExecutable

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
        let topologyFile = try writeFiles(in: directory)
        let topology = try Topology.load(file: topologyFile)
        let up = try ChildProcess(
            name: "up", executable: settings.executable,
            arguments: [
                "up", "--topology", topologyFile, "--service", "router", "--service", "presence", "--log-level",
                "warning",
            ],
            captureOutput: false)
        defer { up.signal(SIGTERM) }
        let loop = try SocketLoop(name: "sb-bench-e2e", logger: logger)
        guard let router = topology.service(.router), let presence = topology.service(.presence),
            let routerCommands = router.command, let presenceCommands = presence.command
        else { throw RuntimeError("the bench topology lacks the router or presence endpoints") }
        let routerClient = try await CommandClient(
            loop: loop, connect: routerCommands, serviceName: "router", logger: logger)
        let presenceClient = try await CommandClient(
            loop: loop, connect: presenceCommands, serviceName: "presence", logger: logger)

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
        let replica = Replica(
            loop: loop, publish: router.publish, state: router.state, prefixes: ["conv.", "agent."], logger: logger)
        let watching = Task { try? await replica.run { update in watcher.observe(update) } }
        guard await watcher.waitUntil(availableAgents: settings.agents, seconds: 60) else {
            throw RuntimeError("the router did not see the \(settings.agents) agents Available within 60 s")
        }
        watcher.closeAssigned(with: routerClient)

        // 1. Saturation.
        let opened = Locked(0)
        let startCounts = watcher.counts
        let started = ContinuousClock.now
        let deadline = started.advanced(by: .milliseconds(Int64(settings.saturationSeconds * 1_000)))
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<settings.concurrency {
                group.addTask {
                    var sequence = 0
                    while ContinuousClock.now < deadline {
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
        let saturationSeconds = (ContinuousClock.now - started).seconds
        // Let the assignments and closes of the last opens land before counting.
        try? await Task.sleep(for: .seconds(2))
        let endCounts = watcher.counts

        // 2. Latency at a fixed rate.
        let latencies = Locked<[Double]>([])
        let latencyRate = settings.latencyRate ?? max(1, Int(Double(opened.value) / saturationSeconds / 2))
        let interval = 1.0 / Double(latencyRate)
        let total = Int(Double(latencyRate) * settings.latencySeconds)
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
                    if let at = await assigned { latencies.withLock { $0.append((at - sent).seconds * 1_000_000) } }
                }
            }
        }
        watching.cancel()
        await loop.shutdown()
        up.signal(SIGTERM)
        _ = await up.stop(graceSeconds: 20)

        let sorted = latencies.value.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        let floor = await ZMQFloor.measure()
        var result = JSONObject([
            ("bench", "e2e"), ("agents", .number(settings.agents)),
            ("durability", "process-crash (WAL, synchronous=NORMAL)"),
            ("saturationSeconds", .double((saturationSeconds * 100).rounded() / 100)),
            ("openedPerSecond", .double((Double(opened.value) / saturationSeconds).rounded())),
            (
                "assignedPerSecond",
                .double((Double(endCounts.assigned - startCounts.assigned) / saturationSeconds).rounded())
            ),
            ("closedPerSecond", .double((Double(endCounts.closed - startCounts.closed) / saturationSeconds).rounded())),
            ("latencyRatePerSecond", .number(latencyRate)), ("latencySamples", .number(sorted.count)),
            ("openToAssignedP50Micros", .double(percentile(0.5).rounded())),
            ("openToAssignedP99Micros", .double(percentile(0.99).rounded())),
        ])
        if let floor {
            result["zmqFloorRoundTripP50Micros"] = .double(floor.p50)
            result["zmqFloorRoundTripP99Micros"] = .double(floor.p99)
            result["p50OverFloor"] = .double((percentile(0.5) / max(floor.p50, 1) * 10).rounded() / 10)
        }
        return .object(result)
    }

    static func open(_ id: String) -> JSON {
        ["conversationId": .string(id), "customerId": .string("cust-\(id)"), "queue": "bench"]
    }

    private func writeFiles(in directory: URL) throws -> String {
        var agents = ""
        for index in 0..<settings.agents {
            agents += "  agent-\(index): {role: agent, profile: bench}\n"
        }
        let centre = """
            version: 1
            name: bench
            skills:
              language: {english: English}
            queues:
              bench: {channel: chat, method: leastLoaded, sticky: false}
            capacityProfiles:
              bench: {capacity: {chat: \(settings.chatCapacity)}}
            roles:
              agent: {queues: [bench]}
            agents:
            \(agents)
            """
        try centre.write(to: directory.appendingPathComponent("centre.yaml"), atomically: true, encoding: .utf8)
        var ports: [Int] = []
        while ports.count < 6 {
            let port = LoopbackPort.free()
            if !ports.contains(port) { ports.append(port) }
        }
        let topology = """
            version: 1
            contactCentre: centre.yaml
            dataDirectory: data
            hosts:
              local: {address: 127.0.0.1}
            services:
              router: {host: local, publish: "tcp://127.0.0.1:\(ports[0])", state: "tcp://127.0.0.1:\(ports[1])", command: "tcp://127.0.0.1:\(ports[2])"}
              presence: {host: local, publish: "tcp://127.0.0.1:\(ports[3])", state: "tcp://127.0.0.1:\(ports[4])", command: "tcp://127.0.0.1:\(ports[5])", heartbeatTimeoutSeconds: 3600}
            """
        let file = directory.appendingPathComponent("topology.yaml").path
        try topology.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

/// Follows the router's stream for the benchmark: who is Available, what was assigned when.
final class AssignmentWatcher: Sendable {
    struct Counts: Sendable {
        var assigned = 0
        var closed = 0
    }

    private let state = Locked(State())
    private let closer = Locked<CommandClient?>(nil)

    private struct State {
        var available: Set<String> = []
        var counts = Counts()
        var assignedAt: [String: ContinuousClock.Instant] = [:]
        var waiters: [String: CheckedContinuation<ContinuousClock.Instant?, Never>] = [:]
        /// Every agent was seen Available: agent events are no longer read.
        var agentsReady = false
    }

    var counts: Counts { state.withLock { $0.counts } }

    func closeAssigned(with client: CommandClient) {
        closer.withLock { $0 = client }
    }

    func observe(_ update: ReplicaUpdate) {
        switch update {
        case .snapshot(let snapshot):
            for item in snapshot.items where item.key.hasPrefix("agent.") {
                if let value = try? item.value(), let agent = try? AgentItem(json: value), agent.presence == .available
                {
                    state.withLock { _ = $0.available.insert(agent.agentId.rawValue) }
                }
            }
        case .event(let event):
            switch event.type {
            case "agent.load":
                // Only until every agent is Available: afterwards the load phases need no data
                // of these events, and the bench's own parsing would take CPU from the router.
                guard !state.withLock({ $0.agentsReady }), let data = try? event.data(),
                    let item = data["item"], let agent = try? AgentItem(json: item)
                else { return }
                state.withLock { state in
                    if agent.presence == .available || agent.presence == .busy {
                        state.available.insert(agent.agentId.rawValue)
                    } else {
                        state.available.remove(agent.agentId.rawValue)
                    }
                }
            case "conversation.assigned":
                // `conv.<id>.assigned`: the id without parsing the data.
                guard let id = Self.conversationID(inTopic: event.topic) else { return }
                let now = ContinuousClock.now
                let waiter = state.withLock { state -> CheckedContinuation<ContinuousClock.Instant?, Never>? in
                    state.counts.assigned += 1
                    if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                    state.assignedAt[id] = now
                    return nil
                }
                waiter?.resume(returning: now)
                if let client = closer.value {
                    Task {
                        _ = try? await client.send(
                            "conversation.close", data: ["conversationId": .string(id)], deadlineSeconds: 30)
                    }
                }
            case "conversation.closed":
                state.withLock { $0.counts.closed += 1 }
            default:
                break
            }
        case .status:
            break
        }
    }

    static func conversationID(inTopic topic: String) -> String? {
        let parts = topic.split(separator: ".")
        guard parts.count == 3, parts[0] == "conv" else { return nil }
        return String(parts[1])
    }

    func waitUntil(availableAgents: Int, seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1_000)))
        while ContinuousClock.now < deadline {
            let ready = state.withLock { state -> Bool in
                if state.available.count >= availableAgents { state.agentsReady = true }
                return state.agentsReady
            }
            if ready { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// When `conversation` is assigned (or nil after `seconds`).
    func waitForAssignment(_ conversation: String, seconds: Double) async -> ContinuousClock.Instant? {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<ContinuousClock.Instant?, Never>) in
            let already = state.withLock { state -> ContinuousClock.Instant? in
                if let at = state.assignedAt.removeValue(forKey: conversation) { return at }
                state.waiters[conversation] = continuation
                return nil
            }
            if let already {
                continuation.resume(returning: already)
            } else {
                Task {
                    try? await Task.sleep(for: .milliseconds(Int64(seconds * 1_000)))
                    self.state.withLock { $0.waiters.removeValue(forKey: conversation) }?.resume(returning: nil)
                }
            }
        }
        return result
    }
}
