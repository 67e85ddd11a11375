import Foundation
public import Logging
public import SwitchboardBus
import SwitchboardServiceKit
public import SwitchboardTopology
import ZeroMQ

/// What `switchboard monitor --once` and `--watch` need: the view from the running monitor
/// (`monitor.view`), the view computed on the spot from the services' snapshots when no
/// monitor answers, and a live copy of the monitor's items (its snapshot, then its events).
public struct MonitorViewClient: Sendable {
    public let topology: Topology
    public let logger: Logger
    /// CURVE on every socket it opens (nil: the topology leaves them open).
    public let security: BusSecurity?

    public init(topology: Topology, logger: Logger, security: BusSecurity? = nil) {
        self.topology = topology
        self.logger = logger
        self.security = security
    }

    /// Where a view came from.
    public enum Origin: Sendable, Equatable {
        case monitor
        /// No monitor answered (the reason says why): computed here from the services' snapshots;
        /// interventions, kept by the monitor alone, are not shown.
        case computedLocally(reason: String)
    }

    /// The running monitor's view, or one computed from the followed services' snapshots.
    public func fetch(deadlineSeconds: Double = 3) async throws -> (document: JSON, origin: Origin) {
        let loop = try SocketLoop(name: "sb-monitor-view-io", logger: logger)
        do {
            let fetched = try await fetch(loop: loop, deadlineSeconds: deadlineSeconds)
            await loop.shutdown()
            return fetched
        } catch {
            await loop.shutdown()
            throw error
        }
    }

    private func fetch(loop: SocketLoop, deadlineSeconds: Double) async throws -> (document: JSON, origin: Origin) {
        var reason = "the topology places no monitor"
        if let command = topology.service(.monitor)?.command {
            let client = try await CommandClient(
                loop: loop, connect: command, serviceName: "monitor", logger: logger, security: security)
            do {
                let document = try await client.send("monitor.view", deadlineSeconds: deadlineSeconds)
                await client.close()
                return (document, .monitor)
            } catch {
                await client.close()
                reason = "\(error)"
            }
        }
        let document = try await computeLocally(loop: loop, waitSeconds: deadlineSeconds)
        return (document, .computedLocally(reason: reason))
    }

    /// Takes one snapshot of each followed service (waiting up to `waitSeconds` for those that
    /// do not answer) and computes the view from them.
    func computeLocally(loop: SocketLoop, waitSeconds: Double) async throws -> JSON {
        let centre = try topology.loadContactCentre()
        let followed = MonitorService.followed.compactMap { topology.service($0) }
        let started = WallClock.microseconds() / 1_000
        let state = Locked(MonitorState(followed: followed.map(\.name), startedAtMilliseconds: started))
        let snapshotted = Locked<Set<ServiceName>>([])
        await withTaskGroup(of: Void.self) { group in
            for service in followed {
                group.addTask { [logger, security] in
                    let replica = Replica(
                        loop: loop, publish: service.publish, state: service.state,
                        prefixes: MonitorService.snapshotPrefixes(of: service.name), logger: logger,
                        options: Replica.Options(security: security))
                    try? await replica.run { update in
                        let now = WallClock.microseconds() / 1_000
                        state.withLock { $0.apply(MonitorInput(update, from: service.name), nowMilliseconds: now) }
                        if case .snapshot = update { snapshotted.withLock { _ = $0.insert(service.name) } }
                    }
                }
            }
            let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(waitSeconds * 1_000)))
            // Bounded: until every service gave a snapshot or the wait is over.
            while ContinuousClock.now < deadline, snapshotted.value.count < followed.count {
                try? await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
        let now = WallClock.microseconds() / 1_000
        var settings = MonitorSettings()
        settings.retentionSeconds = topology.retention.closedConversationsSeconds
        let view = MonitorView.compute(
            state: state.value, centre: centre, interventions: [], settings: settings, nowMilliseconds: now)
        var book = MonitorAlertBook()
        _ = book.update(with: view.monitorAlerts)
        return MonitorDocument.assemble(
            items: MonitorDocument.items(of: view, monitorAlerts: book.alerts), atMilliseconds: now)
    }

    /// Follows the monitor's stream and calls `render` once a second with the view assembled
    /// from its items and how the monitor is heard, until cancelled or `seconds` pass.
    public func watch(seconds: Double?, render: @escaping @Sendable (JSON, SourceStatus) -> Void) async throws {
        guard let monitor = topology.service(.monitor) else {
            throw RuntimeError("the topology \(topology.file) places no monitor (add services.monitor)")
        }
        let loop = try SocketLoop(name: "sb-monitor-watch-io", logger: logger)
        let items = Locked<[String: JSON]>([:])
        let status = Locked<SourceStatus>(.notHeard)
        let follower = Task { [logger, security] in
            let replica = Replica(
                loop: loop, publish: monitor.publish, state: monitor.state, prefixes: [], logger: logger,
                options: Replica.Options(security: security))
            try? await replica.run { update in
                switch MonitorInput(update, from: .monitor) {
                case .snapshot(_, let snapshot):
                    var fresh: [String: JSON] = [:]
                    for item in snapshot { fresh[item.key] = item.value }
                    items.withLock { $0 = fresh }
                case .event(_, let event):
                    guard let key = event.data["key"]?.stringValue else { return }
                    let item = event.data["item"] ?? .null
                    items.withLock { $0[key] = item.isNull ? nil : item }
                case .status(_, let next):
                    status.withLock { $0 = next }
                }
            }
        }
        let started = ContinuousClock.now
        // The first frame waits (two seconds at most) for the monitor's snapshot.
        while !Task.isCancelled, items.value.isEmpty, ContinuousClock.now - started < .seconds(2) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        while !Task.isCancelled {
            render(
                MonitorDocument.assemble(items: items.value, atMilliseconds: WallClock.microseconds() / 1_000),
                status.value)
            if let seconds, (ContinuousClock.now - started) >= .milliseconds(Int64(seconds * 1_000)) { break }
            try? await Task.sleep(for: .seconds(1))
        }
        follower.cancel()
        await follower.value
        await loop.shutdown()
    }
}
