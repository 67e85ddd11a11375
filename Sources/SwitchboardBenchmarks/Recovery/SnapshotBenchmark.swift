import Foundation
public import Logging
public import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTopology
import ZeroMQ

/// `switchboard bench snapshot`: how long a late consumer takes from attach to a consistent copy
/// of the router's conversations. Starts the real router (its own process, on a topology of its
/// own, no agent signed in), opens `conversations` conversations with a customer's message (all
/// stay queued), then `attaches` times attaches a new consumer (a `Replica` of `conv.`) and times
/// it from attach to live with every conversation.
public struct SnapshotBenchmark: Sendable {
    public struct Settings: Sendable {
        public var conversations = 100_000
        /// Commands in flight at once while opening.
        public var concurrency = 256
        /// Late consumers timed, one after the other.
        public var attaches = 3
        /// The `switchboard` binary the router runs.
        public var serviceExecutable = ChildProcess.currentExecutable

        public init() {}
    }

    public let settings: Settings
    public let logger: Logger

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// The longest a late consumer is given.
    static let attachSecondsMax = 300.0

    public func run() async throws -> JSON {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-bench-snapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try BenchFiles.writeCentre(in: directory, agents: 50, chatCapacity: 5)
        let ports = BenchFiles.freePorts(3)
        let limit = max(Topology.Service.openConversationsMaxDefault, settings.conversations + 1)
        let topology = """
            version: 1
            contactCentre: centre.yaml
            dataDirectory: data
            hosts:
              local: {address: 127.0.0.1}
            services:
              router: {host: local, publish: "tcp://127.0.0.1:\(ports[0])", state: "tcp://127.0.0.1:\(ports[1])",
                command: "tcp://127.0.0.1:\(ports[2])", openConversationsMax: \(limit)}
            """
        let topologyFile = directory.appendingPathComponent("topology.yaml").path
        try topology.write(toFile: topologyFile, atomically: true, encoding: .utf8)
        let router = try await ChildProcess(
            name: "router", executable: settings.serviceExecutable,
            arguments: ["router", "--topology", topologyFile, "--log-level", "warning"], captureOutput: false)
        defer { router.signal(SIGKILL) }
        let loop = try SocketLoop(name: "sb-bench-snapshot", logger: logger)
        let client = try await CommandClient(
            loop: loop, connect: "tcp://127.0.0.1:\(ports[2])", serviceName: "router", logger: logger)
        _ = try await client.send("router.status", deadlineSeconds: 120)

        let opened = Locked(0)
        let count = settings.conversations
        let workers = settings.concurrency
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var index = worker
                    while index < count {
                        let text = MemoryBenchmark.openings[index % MemoryBenchmark.openings.count]
                        if (try? await client.send(
                            "conversation.open", data: MemoryBenchmark.open("s-\(index)", text: text),
                            deadlineSeconds: 60)) != nil
                        {
                            opened.withLock { $0 += 1 }
                        }
                        index += workers
                    }
                }
            }
        }
        var seconds: [Double] = []
        // The router's processor time while serving the attaches (a checkpoint may run among them):
        // what the wall clock shows, less the waiting for a processor on a shared machine.
        let processorBefore = RecoveryBenchmark.processorSeconds(of: router.pid)
        for _ in 0..<settings.attaches {
            guard
                let attach = await lateJoinSeconds(
                    loop: loop, publish: "tcp://127.0.0.1:\(ports[0])", state: "tcp://127.0.0.1:\(ports[1])",
                    expected: opened.value)
            else {
                throw BenchmarkError("a late consumer did not get live within \(Self.attachSecondsMax) s")
            }
            seconds.append(attach)
        }
        let processorSeconds = RecoveryBenchmark.processorSeconds(of: router.pid) - processorBefore
        await loop.shutdown()
        router.signal(SIGTERM)
        _ = await router.stop(graceSeconds: 30)

        var result = JSONObject()
        result["bench"] = "snapshot"
        result["conversations"] = .int(Int64(opened.value))
        result["attachToLiveSeconds"] = .array(seconds.map { .double(($0 * 1_000).rounded() / 1_000) })
        let sorted = seconds.sorted()
        result["attachToLiveSecondsMedian"] = .double((sorted[sorted.count / 2] * 1_000).rounded() / 1_000)
        let perAttach = processorSeconds / Double(settings.attaches)
        result["routerCPUSecondsPerAttach"] = .double((perAttach * 1_000).rounded() / 1_000)
        return .object(result)
    }

    /// Seconds from a new consumer's attach to its copy of `conv.` being live with `expected` items.
    private func lateJoinSeconds(loop: SocketLoop, publish: String, state: String, expected: Int) async -> Double? {
        let started = ContinuousClock.now
        var options = Replica.Options()
        options.snapshotTimeoutSeconds = Self.attachSecondsMax
        let replica = Replica(
            loop: loop, publish: publish, state: state, prefixes: ["conv."], logger: logger, options: options)
        let seen = Locked(0)
        let live = AsyncStream<Void>.makeStream()
        let following = Task {
            try? await replica.run { update in
                switch update {
                case .snapshot(let snapshot): seen.withLock { $0 += snapshot.items.count }
                case .status(.live): live.continuation.yield()
                default: break
                }
            }
        }
        defer { following.cancel() }
        let timeout = Task {
            try? await Task.sleep(for: .seconds(Self.attachSecondsMax))
            live.continuation.finish()
        }
        defer { timeout.cancel() }
        var wentLive = false
        for await _ in live.stream {
            wentLive = true
            break
        }
        guard wentLive, seen.value >= expected else { return nil }
        return (ContinuousClock.now - started).seconds
    }
}
