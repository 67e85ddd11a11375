import Foundation
public import Logging
public import SwitchboardBus
import SwitchboardRouting
import SwitchboardServiceKit
public import SwitchboardTopology
import ZeroMQ

/// `switchboard simulate`: customers and agents driving real traffic through the running
/// processes of a topology. Customers open conversations and write to the router (a channel
/// gateway's part); agents act through the desk and send presence to the presence tracker;
/// both learn what happens from the router's event stream. It ends by itself after the
/// duration and a drain, and returns what it did and saw.
public struct SimulationRunner: Sendable {
    public let topology: Topology
    public let contactCentre: ContactCentre
    public let settings: SimulationSettings
    public let utterances: UtteranceBank
    public let logger: Logger
    /// Where the live feed's lines go (nil: no feed).
    public var feed: (@Sendable (String) -> Void)?
    /// Check the routing invariants over the run's event stream at the end.
    public var checkInvariants = true
    /// How long to wait for the router to answer before giving up.
    public var readySeconds = 30.0
    /// A command without a reply after this long counts as failed.
    public var commandDeadlineSeconds = 10.0
    /// Told of every command's outcome (the chaos checker keeps its own record of them).
    public var observer: (@Sendable (SimulationCommand, SimulationCommandResult) -> Void)?
    /// CURVE on every socket it opens, as its principal (nil: the topology leaves them open).
    public var security: BusSecurity?

    public init(
        topology: Topology, contactCentre: ContactCentre, settings: SimulationSettings, utterances: UtteranceBank,
        logger: Logger
    ) {
        self.topology = topology
        self.contactCentre = contactCentre
        self.settings = settings
        self.utterances = utterances
        self.logger = logger
    }

    /// Asks a running simulation to end early (drain and sign out) or to stop at once.
    public final class Control: Sendable {
        private let state = Locked(Request.none)

        public enum Request: Sendable, Equatable {
            case none
            /// No more arrivals; let the agents finish and sign out.
            case endEarly
            /// Stop now, sending nothing more.
            case abort
        }

        public init() {}

        public func request(_ request: Request) {
            state.withLock { current in
                if request == .abort || current == .none { current = request }
            }
        }

        public var requested: Request { state.value }
    }

    /// Runs the simulation to its end and returns the summary.
    public func run(control: Control = Control()) async throws -> SimulationSummary {
        guard let router = topology.service(.router), let routerCommands = router.command else {
            throw SimulationError("the topology \(topology.file) has no router with a command endpoint")
        }
        var needed: [ServiceName: String] = [.router: routerCommands]
        guard let presence = topology.service(.presence), let presenceCommands = presence.command else {
            throw SimulationError("the topology \(topology.file) has no presence tracker with a command endpoint")
        }
        needed[.presence] = presenceCommands
        if settings.agentPath == .desk {
            guard let desk = topology.service(.desk)?.command else {
                throw SimulationError(
                    "the topology \(topology.file) has no desk with a command endpoint; "
                        + "run agents straight on the router with --agents-through router")
            }
            needed[.desk] = desk
        }

        let loop = try SocketLoop(name: "sb-simulate-io", logger: logger)
        var clients: [ServiceName: CommandClient] = [:]
        do {
            for (service, endpoint) in needed.sorted(by: { $0.key < $1.key }) {
                clients[service] = try await CommandClient(
                    loop: loop, connect: endpoint, serviceName: service.rawValue, logger: logger,
                    security: security)
            }
        } catch {
            await loop.shutdown()
            throw SimulationError("cannot open a command socket: \(error)")
        }
        // Agents left to people are neither driven nor given queues only they serve.
        var simulated = contactCentre
        simulated.agents.removeAll { settings.agentsLeftToPeople.contains($0.id) }
        let core = SimulationCore(
            settings: settings, mix: TrafficMix(contactCentre: simulated), utterances: utterances,
            agents: simulated.agents.map(\.id), centreName: contactCentre.name, runTag: Self.runTag())
        let names = Dictionary(
            contactCentre.agents.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { first, _ in first })
        let driver = SimulationDriver(
            core: core, clients: clients, deadlineSeconds: commandDeadlineSeconds,
            feed: feed == nil ? nil : LiveFeed(agentNames: names), print: feed, recordForCheck: checkInvariants,
            observer: observer, logger: logger)

        let replicas = Task {
            await withTaskGroup(of: Void.self) { group in
                var options = Replica.Options(security: security)
                options.snapshotTimeoutSeconds = 5
                let routerReplica = Replica(
                    loop: loop, publish: router.publish, state: router.state,
                    prefixes: checkInvariants ? [] : ["conv."],
                    logger: logger, options: options)
                group.addTask {
                    try? await routerReplica.run { update in await driver.router(update) }
                }
                if checkInvariants {
                    let presenceReplica = Replica(
                        loop: loop, publish: presence.publish, state: presence.state, prefixes: ["presence."],
                        logger: logger, options: options)
                    group.addTask {
                        try? await presenceReplica.run { update in await driver.presence(update) }
                    }
                }
            }
        }
        func stop() async {
            replicas.cancel()
            await replicas.value
            for client in clients.values { await client.close() }
            await loop.shutdown()
        }

        do {
            try await waitUntilReady(driver)
            logger.notice(
                "simulation started",
                metadata: [
                    "agents": "\(contactCentre.agents.count)", "rate": "\(settings.conversationsPerSecond)",
                    "seed": "\(settings.seed)", "agentsThrough": "\(settings.agentPath.rawValue)",
                    "utterances": "\(utterances.origin.rawValue)",
                ])
            await driver.start()
            try await drive(driver, control: control)
            var summary = await driver.summary
            if checkInvariants { summary.invariants = await driver.checkInvariants(contactCentre: contactCentre) }
            logger.notice(
                "simulation finished",
                metadata: [
                    "opened": "\(summary.opened)", "assigned": "\(summary.assigned)", "sticky": "\(summary.stickyHits)",
                    "abandoned": "\(summary.abandoned)", "closed": "\(summary.closed)",
                ])
            await stop()
            return summary
        } catch {
            await stop()
            throw error
        }
    }

    /// Waits until the router's (and, for the check, the presence tracker's) state arrived.
    private func waitUntilReady(_ driver: SimulationDriver) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int64(readySeconds * 1_000))
        while await !driver.routerLive {
            guard ContinuousClock.now < deadline, !Task.isCancelled else {
                throw SimulationError(
                    "no snapshot from the router at \(topology.service(.router)?.state ?? "?") within "
                        + "\(Int(readySeconds)) s; is the system running? (`switchboard up`)")
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        if checkInvariants {
            // The presence tracker's state, for the check only: the run does not wait long for it.
            let presenceDeadline = ContinuousClock.now + .seconds(5)
            while await !driver.presenceLive, ContinuousClock.now < presenceDeadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// Ticks the core until it finishes (or is told to stop), then waits for commands in flight.
    private func drive(_ driver: SimulationDriver, control: Control) async throws {
        var endRequested = false
        while await driver.phase != .finished {
            switch control.requested {
            case .abort:
                await driver.abort()
            case .endEarly where !endRequested:
                endRequested = true
                await driver.endEarly()
            default:
                break
            }
            if Task.isCancelled { await driver.abort() }
            try? await Task.sleep(for: .milliseconds(50))
            await driver.tick()
        }
        // The last commands (sign-outs) get a moment to be answered.
        let deadline = ContinuousClock.now + .milliseconds(Int64(commandDeadlineSeconds * 1_000))
        while await !driver.isIdle, ContinuousClock.now < deadline, control.requested != .abort {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A short tag that makes this run's conversation and customer ids unique.
    static func runTag() -> String {
        String(
            UInt64(WallClock.microseconds() / 1_000_000) % 46_656 * 46_656 + UInt64.random(in: 0..<46_656), radix: 36)
    }
}

/// A simulation that cannot start, with what to do about it.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
