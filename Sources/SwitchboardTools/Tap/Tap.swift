public import Logging
public import SwitchboardBus
public import SwitchboardProcesses
import SwitchboardServiceKit
public import SwitchboardTopology
import ZeroMQ

/// `switchboard tap`: attaches to every publisher of a topology at any moment, takes a snapshot
/// where a state endpoint exists, and prints the snapshot and then each event as JSON lines.
public struct Tap: Sendable {
    public struct Options: Sendable {
        public var prefixes: [String] = []
        public var snapshots = true
        public var heartbeats = false
        /// Print the snapshots and stop.
        public var snapshotOnly = false
        /// Stop after this many events (snapshots not counted).
        public var eventsMax: Int?
        /// Stop after this long.
        public var seconds: Double?
        /// Only these services (all when empty).
        public var services: [ServiceName] = []
        /// CURVE on every socket, as the tap's principal (nil: the topology leaves them open).
        public var security: BusSecurity?

        public init() {}
    }

    public let topology: Topology
    public let options: Options
    public let logger: Logger

    public init(topology: Topology, options: Options, logger: Logger) {
        self.topology = topology
        self.options = options
        self.logger = logger
    }

    /// Runs until a limit is reached or the task is cancelled. Returns the services whose
    /// snapshot never came (relevant with `snapshotOnly`).
    @discardableResult
    public func run(output: LineOutput, status: LineOutput = .standardError) async throws -> [ServiceName] {
        let loop = try SocketLoop(name: "sb-tap-io", logger: logger)
        let services = topology.services.values
            .filter { $0.name.publishes && (options.services.isEmpty || options.services.contains($0.name)) }
            .sorted { $0.name < $1.name }
        let progress = Locked(
            Progress(pending: Set(services.filter { $0.state != nil && options.snapshots }.map(\.name))))
        let finished = AsyncStream<Void>.makeStream()

        var replicaOptions = Replica.Options(security: options.security)
        replicaOptions.deliverHeartbeats = options.heartbeats
        await withTaskGroup(of: Void.self) { group in
            for service in services {
                let replica = Replica(
                    loop: loop, publish: service.publish, state: options.snapshots ? service.state : nil,
                    prefixes: options.prefixes, logger: logger, options: replicaOptions)
                let name = service.name
                group.addTask {
                    do {
                        try await replica.run { update in
                            let done = print(update, from: name, output: output, status: status, progress: progress)
                            if done { finished.continuation.yield() }
                        }
                    } catch {
                        status.write("tap: cannot attach to the \(name) at \(service.publish): \(error)")
                    }
                }
            }
            if options.snapshotOnly && progress.withLock({ $0.pending.isEmpty }) {
                finished.continuation.yield()
            }
            group.addTask {
                if let seconds = options.seconds {
                    try? await Task.sleep(for: .milliseconds(Int64(seconds * 1_000)))
                    finished.continuation.yield()
                }
            }
            group.addTask {
                for await _ in finished.stream { return }
            }
            // The first task to end is the one that saw a limit (or the timer, or cancellation).
            while await group.next() != nil {
                if progress.withLock({ $0.done }) || Task.isCancelled || options.seconds != nil { break }
            }
            group.cancelAll()
        }
        await loop.shutdown()
        return progress.withLock { Array($0.pending).sorted() }
    }

    private struct Progress {
        var pending: Set<ServiceName>
        var events = 0
        var done = false
    }

    /// Prints one update; returns true when a limit is reached.
    private func print(
        _ update: ReplicaUpdate, from service: ServiceName, output: LineOutput, status: LineOutput,
        progress: Locked<Progress>
    ) -> Bool {
        switch update {
        case .snapshot(let snapshot):
            for item in snapshot.items {
                var writer = JSONWriter(capacity: item.valueBytes.count + 64)
                writer.appendLiteral("{")
                writer.writeKey("snapshot")
                writer.write(snapshot.source)
                writer.appendLiteral(",")
                writer.writeKey("epoch")
                writer.write(snapshot.epoch)
                writer.appendLiteral(",")
                writer.writeKey("key")
                writer.write(item.key)
                writer.appendLiteral(",")
                writer.writeKey("value")
                writer.writeRaw(item.valueBytes)
                writer.appendLiteral("}")
                output.write(bytes: writer.bytes)
            }
            for end in snapshot.ends {
                var object = end.json.objectValue ?? JSONObject()
                object["snapshot_end"] = .string(snapshot.source)
                output.write(bytes: JSON.object(object).bytes)
            }
            return progress.withLock { progress in
                progress.pending.remove(service)
                if options.snapshotOnly && progress.pending.isEmpty { progress.done = true }
                return progress.done
            }
        case .event(let event):
            if options.snapshotOnly { return false }
            output.write(bytes: event.jsonLine)
            return progress.withLock { progress in
                progress.events += 1
                if let limit = options.eventsMax, progress.events >= limit { progress.done = true }
                return progress.done
            }
        case .status(let replicaStatus):
            switch replicaStatus {
            case .live(let source, let epoch): status.write("tap: \(service) live (\(source), epoch \(epoch))")
            case .resyncing(let reason): status.write("tap: \(service): \(reason)")
            case .gap(let reason): status.write("tap: \(service): \(reason)")
            case .silent(_, let seconds): status.write("tap: \(service) silent for \(Int(seconds)) s")
            case .failed(let reason): status.write("tap: \(service) refused: \(reason)")
            }
            return false
        }
    }
}
