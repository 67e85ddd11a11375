import Foundation
public import Logging
public import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTopology
import ZeroMQ

/// `switchboard bench recovery`: how long the router takes from a SIGKILL to its first answer
/// and its first assignment, with `closed` closed conversations retained in its store. Starts the
/// real router and presence tracker (each its own process, on a topology of its own), fills the
/// router's store by driving it as customers would (each conversation opened with a customer's
/// message, then abandoned: ended, and kept for the retention period), makes one agent Available,
/// then SIGKILLs the router and starts it again `restarts` times, each time sending a new
/// conversation from the moment of the kill (answered once the router is back) and asking about it
/// until it is offered or assigned to the agent. With `loadPerSecond` above 0 the kills come
/// under traffic instead (`RecoveryBenchmark+Load.swift`): conversations opened and worked by
/// the simulator's customers and agents through the whole series, each restart timed to the
/// first offer or assignment of the router's new epoch.
public struct RecoveryBenchmark: Sendable {
    public struct Settings: Sendable {
        /// Closed conversations retained in the store before the first kill.
        public var closed = 300_000
        /// Commands in flight at once while filling.
        public var concurrency = 256
        /// Kills and restarts measured.
        public var restarts = 3
        /// The `switchboard` binary the router and presence tracker run (another build of the
        /// router can be measured against the same filling and probing).
        public var serviceExecutable = ChildProcess.currentExecutable
        /// Conversations opened a second through the kills and restarts (0: an idle router).
        public var loadPerSecond = 0.0
        /// Agents working the load (the centre then has these, each with room for
        /// `loadChatCapacity` chats).
        public var loadAgents = 20
        /// Seconds of load between a restarted router's first decision and the next kill.
        public var loadSecondsBetweenKills = 2.0
        /// The seed of the load's arrivals and choices.
        public var seed: UInt64 = 1

        public init() {}
    }

    public let settings: Settings
    public let logger: Logger

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// The longest a restarted router is given to answer and to assign.
    static let restartSecondsMax = 120.0
    /// Chats each agent takes at once under load (20 agents: 160 chats, for 40 conversations a
    /// second of about three seconds each).
    static let loadChatCapacity = 8

    public func run() async throws -> JSON {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-bench-recovery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (topologyFile, endpoints) = try writeFiles(in: directory)
        let arguments = ["--topology", topologyFile, "--log-level", "warning"]
        let presence = try await ChildProcess(
            name: "presence", executable: settings.serviceExecutable, arguments: ["presence"] + arguments,
            captureOutput: false)
        defer { presence.signal(SIGKILL) }
        var router = try await ChildProcess(
            name: "router", executable: settings.serviceExecutable, arguments: ["router"] + arguments,
            captureOutput: false)
        defer { router.signal(SIGKILL) }
        let loop = try SocketLoop(name: "sb-bench-recovery", logger: logger)
        // Probes retry every 10 ms, so the figures are the router's, not the client's backoff.
        var probing = CommandClient.RetryPolicy()
        probing.firstRetrySeconds = 0.01
        probing.retrySecondsMax = 0.01
        let routerClient = try await CommandClient(
            loop: loop, connect: endpoints.routerCommand, serviceName: "router", logger: logger, policy: probing)
        let presenceClient = try await CommandClient(
            loop: loop, connect: endpoints.presenceCommand, serviceName: "presence", logger: logger)

        // Filling: every conversation opened with a message, then abandoned.
        let filled = Locked(0)
        let refused = Locked<[String: Int]>([:])
        let started = ContinuousClock.now
        let count = settings.closed
        let workers = settings.concurrency
        _ = try await routerClient.send("router.status", deadlineSeconds: Self.restartSecondsMax)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var index = worker
                    while index < count {
                        let id = "r-\(index)"
                        do {
                            _ = try await routerClient.send(
                                "conversation.open",
                                data: Self.open(id, text: Self.openings[index % Self.openings.count]),
                                deadlineSeconds: 60)
                            _ = try await routerClient.send(
                                "conversation.abandon", data: ["conversationId": .string(id)], deadlineSeconds: 60)
                            filled.withLock { $0 += 1 }
                        } catch {
                            refused.withLock { $0["\(error)".prefix(80).description, default: 0] += 1 }
                        }
                        index += workers
                    }
                }
            }
        }
        let fillSeconds = (ContinuousClock.now - started).seconds
        if settings.loadPerSecond > 0 {
            // The router's status before the load, then the kills under load.
            let status = try await routerClient.send("router.status", deadlineSeconds: 30)
            var result = try await measureUnderLoad(
                router: &router, arguments: arguments, topologyFile: topologyFile, loop: loop,
                routerClient: routerClient)
            await loop.shutdown()
            router.signal(SIGTERM)
            _ = await router.stop(graceSeconds: 10)
            presence.signal(SIGTERM)
            _ = await presence.stop(graceSeconds: 10)
            result["bench"] = "recovery"
            result["closed"] = .int(Int64(filled.value))
            result["filledPerSecond"] = .double((Double(filled.value) / max(fillSeconds, 0.001)).rounded())
            result["journalSinceCheckpointBeforeLoad"] = status["journalSinceCheckpoint"] ?? .null
            if !refused.value.isEmpty { result["refused"] = .object(Self.reasons(refused.value)) }
            return .object(result)
        }
        _ = try await presenceClient.send(
            "presence.set", data: ["agentId": "agent-0", "status": "available"], deadlineSeconds: 30)
        // The router follows presence; a first probe before the kill makes sure it is serving.
        let status = try await routerClient.send("router.status", deadlineSeconds: 30)

        var answers: [Double] = []
        var assignments: [Double] = []
        var resident: [Int] = []
        var cpu: [Double] = []
        for restart in 0..<settings.restarts {
            let probe = "probe-\(restart)"
            let killed = ContinuousClock.now
            router.signal(SIGKILL)
            _ = await router.waitForExit(within: 30)
            router = try await ChildProcess(
                name: "router", executable: settings.serviceExecutable, arguments: ["router"] + arguments,
                captureOutput: false)
            _ = try await routerClient.send(
                "conversation.open", data: Self.open(probe, text: Self.openings[0]),
                deadlineSeconds: Self.restartSecondsMax)
            answers.append((ContinuousClock.now - killed).seconds)
            // The router's own processor time until it answered: what the wall clock shows, less
            // the waiting for a processor on a shared machine.
            cpu.append(Self.processorSeconds(of: router.pid))
            while true {
                let explained = try await routerClient.send(
                    "conversation.explain", data: ["conversationId": .string(probe)], deadlineSeconds: 30)
                let state = explained["conversation"]?["state"]?.stringValue
                if state == "offered" || state == "assigned" { break }
                guard (ContinuousClock.now - killed).seconds < Self.restartSecondsMax else {
                    throw BenchmarkError(
                        "the restarted router did not assign \(probe) within \(Self.restartSecondsMax) s")
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            assignments.append((ContinuousClock.now - killed).seconds)
            resident.append(ResidentMemory.read([router.pid])[router.pid] ?? 0)
            // The probe ends too (the bench queue has no wrap-up), so the next restart finds the agent free.
            _ = try await routerClient.send(
                "conversation.close", data: ["conversationId": .string(probe)], deadlineSeconds: 30)
        }
        await loop.shutdown()
        router.signal(SIGTERM)
        _ = await router.stop(graceSeconds: 10)
        presence.signal(SIGTERM)
        _ = await presence.stop(graceSeconds: 10)

        func rounded(_ seconds: [Double]) -> JSON { .array(seconds.map { .double(($0 * 1_000).rounded() / 1_000) }) }
        func median(_ values: [Double]) -> JSON {
            let sorted = values.sorted()
            return sorted.isEmpty ? .null : .double((sorted[sorted.count / 2] * 1_000).rounded() / 1_000)
        }
        var result = JSONObject()
        result["bench"] = "recovery"
        result["closed"] = .int(Int64(filled.value))
        result["filledPerSecond"] = .double((Double(filled.value) / max(fillSeconds, 0.001)).rounded())
        result["journalSinceCheckpointAtKill"] = status["journalSinceCheckpoint"] ?? .null
        result["firstAnswerSeconds"] = rounded(answers)
        result["firstAssignmentSeconds"] = rounded(assignments)
        result["firstAnswerSecondsMedian"] = median(answers)
        result["firstAssignmentSecondsMedian"] = median(assignments)
        result["routerCPUSecondsToFirstAnswer"] = rounded(cpu)
        result["routerCPUSecondsToFirstAnswerMedian"] = median(cpu)
        result["routerResidentBytesAfterRestart"] = .array(resident.map { .int(Int64($0)) })
        if !refused.value.isEmpty { result["refused"] = .object(Self.reasons(refused.value)) }
        return .object(result)
    }

    /// Refusals while filling, by reason, sorted.
    static func reasons(_ counts: [String: Int]) -> JSONObject {
        var reasons = JSONObject()
        for (reason, count) in counts.sorted(by: { $0.key < $1.key }) { reasons[reason] = .int(Int64(count)) }
        return reasons
    }

    static let openings = MemoryBenchmark.openings

    /// User and system processor seconds a process has used (`/proc/PID/stat`, in clock ticks of
    /// 10 ms), 0 when it cannot be read.
    static func processorSeconds(of pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        // After "pid (comm)": state is the first field, utime the 12th and stime the 13th.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func open(_ id: String, text: String) -> JSON {
        MemoryBenchmark.open(id, text: text)
    }

    struct Endpoints {
        var routerCommand: String
        var presenceCommand: String
    }

    /// Writes the contact centre and a topology of the router and the presence tracker (whose
    /// agents stay as set: no heartbeat is needed for the length of the run).
    private func writeFiles(in directory: URL) throws -> (topologyFile: String, endpoints: Endpoints) {
        if settings.loadPerSecond > 0 {
            _ = try BenchFiles.writeCentre(
                in: directory, agents: settings.loadAgents, chatCapacity: Self.loadChatCapacity)
        } else {
            _ = try BenchFiles.writeCentre(in: directory, agents: 50, chatCapacity: 5)
        }
        let ports = BenchFiles.freePorts(6)
        func endpoint(_ index: Int) -> String { "\"tcp://127.0.0.1:\(ports[index])\"" }
        let topology = """
            version: 1
            contactCentre: centre.yaml
            dataDirectory: data
            hosts:
              local: {address: 127.0.0.1}
            services:
              router: {host: local, publish: \(endpoint(0)), state: \(endpoint(1)), command: \(endpoint(2))}
              presence: {host: local, publish: \(endpoint(3)), state: \(endpoint(4)), command: \(endpoint(5)),
                heartbeatTimeoutSeconds: 3600}
            """
        let file = directory.appendingPathComponent("topology.yaml").path
        try topology.write(toFile: file, atomically: true, encoding: .utf8)
        return (
            file,
            Endpoints(routerCommand: "tcp://127.0.0.1:\(ports[2])", presenceCommand: "tcp://127.0.0.1:\(ports[5])")
        )
    }
}
