import Foundation
public import Logging
public import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardTopology
import ZeroMQ

/// `switchboard bench memory`: what queued conversations cost each process. Starts the whole
/// system (`switchboard up`: router, presence, desk, summariser, monitor) on a topology of its
/// own with every agent signed out, so that everything opened stays queued; reads each
/// process's resident memory once it has settled, opens `conversations` conversations (each
/// with a customer's opening message, as the web chat sends them), waits for the followers to
/// settle again, and prints each process's resident memory and bytes per conversation, and how
/// long a late consumer takes from attach to a consistent copy of the router's conversations.
public struct MemoryBenchmark: Sendable {
    public struct Settings: Sendable {
        public var conversations = 100_000
        /// Commands in flight at once while opening.
        public var concurrency = 256
        /// Longest wait for the processes' memory to stop growing, per phase.
        public var settleSecondsMax = 300.0
        /// The `switchboard` binary to start `up` from.
        public var executable = ChildProcess.currentExecutable

        public init() {}
    }

    public let settings: Settings
    public let logger: Logger

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    static let services: [ServiceName] = [.router, .presence, .desk, .summariser, .monitor]

    public func run() async throws -> JSON {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-bench-memory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (topologyFile, endpoints) = try writeFiles(in: directory)
        let up = try await ChildProcess(
            name: "up", executable: settings.executable,
            arguments: ["up", "--topology", topologyFile, "--log-level", "warning"], captureOutput: false)
        defer { up.signal(SIGTERM) }
        let loop = try SocketLoop(name: "sb-bench-memory", logger: logger)
        let router = try await CommandClient(
            loop: loop, connect: endpoints.routerCommand, serviceName: "router", logger: logger, security: nil)

        // The router answers (its first command waits for it to start), then every process settles.
        _ = try await router.send(
            "conversation.open", data: Self.open("warm-up", text: Self.openings[0]), deadlineSeconds: 60)
        let pids = try await servicePIDs(under: up.pid)
        let (before, _) = await settle(pids)

        let opened = Locked(0)
        let refused = Locked<[String: Int]>([:])
        let started = ContinuousClock.now
        let count = settings.conversations
        let workers = settings.concurrency
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var index = worker
                    while index < count {
                        let text = Self.openings[index % Self.openings.count]
                        do {
                            _ = try await router.send(
                                "conversation.open", data: Self.open("m-\(index)", text: text), deadlineSeconds: 60)
                            opened.withLock { $0 += 1 }
                        } catch {
                            refused.withLock { $0["\(error)".prefix(80).description, default: 0] += 1 }
                        }
                        index += workers
                    }
                }
            }
        }
        let openSeconds = (ContinuousClock.now - started).seconds
        let (after, settledSeconds) = await settle(pids)
        let lateJoin = try await lateJoinSeconds(loop: loop, endpoints: endpoints, expected: opened.value + 1)

        await loop.shutdown()
        up.signal(SIGTERM)
        _ = await up.stop(graceSeconds: 30)

        var processes = JSONObject()
        for service in Self.services {
            guard let pid = pids[service] else { continue }
            let start = before[pid] ?? 0
            let end = after[pid] ?? 0
            let perConversation = opened.value > 0 ? (end - min(start, end)) / opened.value : 0
            var process = JSONObject()
            process["residentBytesBefore"] = .int(Int64(start))
            process["residentBytesAfter"] = .int(Int64(end))
            process["bytesPerConversation"] = .int(Int64(perConversation))
            processes[service.rawValue] = .object(process)
        }
        let openedPerSecond = (Double(opened.value) / max(openSeconds, 0.001)).rounded()
        var result = JSONObject()
        result["bench"] = "memory"
        result["conversations"] = .int(Int64(opened.value))
        result["openedPerSecond"] = .double(openedPerSecond)
        result["settledSeconds"] = .double((settledSeconds * 10).rounded() / 10)
        result["lateJoinSnapshotSeconds"] = lateJoin.map { .double(($0 * 1_000).rounded() / 1_000) } ?? .null
        result["processes"] = .object(processes)
        if !refused.value.isEmpty {
            var reasons = JSONObject()
            for (reason, count) in refused.value.sorted(by: { $0.key < $1.key }) {
                reasons[reason] = .int(Int64(count))
            }
            result["refused"] = .object(reasons)
        }
        return .object(result)
    }

    /// Openings of a few lengths, as customers write them.
    static let openings: [String] = {
        let english = ScriptedLines.openings["english"] ?? [:]
        let lines = english.keys.sorted().flatMap { english[$0] ?? [] }
        return lines.isEmpty ? ["Hello, I need some help with my account please."] : lines
    }()

    static func open(_ id: String, text: String) -> JSON {
        ["conversationId": .string(id), "customerId": .string("cust-\(id)"), "queue": "bench", "text": .string(text)]
    }

    /// The process of each service started by `up` (its children), by the service name they run.
    private func servicePIDs(under parent: Int32) async throws -> [ServiceName: Int32] {
        for _ in 0..<120 {
            var found: [ServiceName: Int32] = [:]
            for pid in ResidentMemory.children(of: parent) {
                if let name = ResidentMemory.arguments(of: pid).dropFirst().first,
                    let service = ServiceName(rawValue: name)
                {
                    found[service] = pid
                }
            }
            if found.count == Self.services.count { return found }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw BenchmarkError("up did not start the five services within 60 s; run `switchboard up` to see why")
    }

    /// Waits until no process's resident memory moved by more than 1% for three seconds in a
    /// row (at most `settleSecondsMax`); returns the last reading and the seconds waited.
    private func settle(_ pids: [ServiceName: Int32]) async -> ([Int32: Int], Double) {
        let started = ContinuousClock.now
        var last = ResidentMemory.read(Array(pids.values))
        var quiet = 0
        while quiet < 3, (ContinuousClock.now - started).seconds < settings.settleSecondsMax {
            try? await Task.sleep(for: .seconds(1))
            let now = ResidentMemory.read(Array(pids.values))
            let moved = now.contains { pid, bytes in
                let previous = last[pid] ?? 0
                return abs(bytes - previous) > max(previous / 100, 256 * 1_024)
            }
            quiet = moved ? 0 : quiet + 1
            last = now
        }
        return (last, (ContinuousClock.now - started).seconds)
    }

    /// The longest the late consumer is given.
    static let lateJoinSecondsMax = 300.0

    /// Seconds from a new consumer's attach to its copy of the router's conversations being live
    /// with `expected` of them; nil if it did not get there within ``lateJoinSecondsMax``.
    private func lateJoinSeconds(loop: SocketLoop, endpoints: Endpoints, expected: Int) async throws -> Double? {
        let started = ContinuousClock.now
        // The default wait for a snapshot's first reply (a few seconds, then it asks again) is
        // shorter than a large router takes to answer: measure the answer, not the retries.
        var options = Replica.Options()
        options.snapshotTimeoutSeconds = Self.lateJoinSecondsMax
        let replica = Replica(
            loop: loop, publish: endpoints.routerPublish, state: endpoints.routerState, prefixes: ["conv."],
            logger: logger, options: options)
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
        let waiting = Task {
            for await _ in live.stream { return true }
            return false
        }
        let timeout = Task {
            try? await Task.sleep(for: .seconds(Self.lateJoinSecondsMax))
            live.continuation.finish()
        }
        defer { timeout.cancel() }
        guard await waiting.value, seen.value >= expected else { return nil }
        return (ContinuousClock.now - started).seconds
    }

    struct Endpoints {
        var routerPublish: String
        var routerState: String
        var routerCommand: String
    }

    /// Writes the contact centre (agents who never sign in) and a topology of the five services.
    private func writeFiles(in directory: URL) throws -> (topologyFile: String, endpoints: Endpoints) {
        _ = try BenchFiles.writeCentre(in: directory, agents: 50, chatCapacity: 5)
        let ports = BenchFiles.freePorts(14)
        func endpoint(_ index: Int) -> String { "\"tcp://127.0.0.1:\(ports[index])\"" }
        let limit = max(Topology.Service.openConversationsMaxDefault, settings.conversations + 1)
        let topology = """
            version: 1
            contactCentre: centre.yaml
            dataDirectory: data
            hosts:
              local: {address: 127.0.0.1}
            services:
              router: {host: local, publish: \(endpoint(0)), state: \(endpoint(1)), command: \(endpoint(2)),
                openConversationsMax: \(limit)}
              presence: {host: local, publish: \(endpoint(3)), state: \(endpoint(4)), command: \(endpoint(5))}
              desk: {host: local, publish: \(endpoint(6)), state: \(endpoint(7)), command: \(endpoint(8))}
              summariser: {host: local, publish: \(endpoint(9)), state: \(endpoint(10))}
              monitor: {host: local, publish: \(endpoint(11)), state: \(endpoint(12)), command: \(endpoint(13))}
            """
        let file = directory.appendingPathComponent("topology.yaml").path
        try topology.write(toFile: file, atomically: true, encoding: .utf8)
        return (
            file,
            Endpoints(
                routerPublish: "tcp://127.0.0.1:\(ports[0])", routerState: "tcp://127.0.0.1:\(ports[1])",
                routerCommand: "tcp://127.0.0.1:\(ports[2])")
        )
    }
}

/// Resident memory and children of processes, from /proc (Linux).
enum ResidentMemory {
    /// Resident bytes of each process that still runs.
    static func read(_ pids: [Int32]) -> [Int32: Int] {
        var result: [Int32: Int] = [:]
        for pid in pids {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { continue }
            for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                if fields.count >= 2, let kilobytes = Int(fields[1]) { result[pid] = kilobytes * 1_024 }
            }
        }
        return result
    }

    /// The processes whose parent is `parent`.
    static func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            // After "pid (comm)": state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent
        }
    }

    /// A process's arguments (the first is the program).
    static func arguments(of pid: Int32) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
}
