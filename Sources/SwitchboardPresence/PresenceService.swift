import Foundation
public import Logging
public import ServiceLifecycle
import SwitchboardBus
public import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardStore
public import SwitchboardTopology

/// `switchboard presence`: the authority over agent presence (Available, Away, DND, Offline;
/// Busy is the router's, derived from load). One actor per agent; commands `presence.set`
/// and `presence.heartbeat`; an agent whose heartbeats stop is Offline after the topology's
/// `heartbeatTimeoutSeconds`. Snapshots are read from the database, so they reflect exactly
/// the committed seqs whichever agent actor wrote last.
public struct PresenceService: Service, CustomStringConvertible {
    /// What swift-service-lifecycle logs for the service. (The default description would print
    /// every stored property, the intent model's weights included: half a second at start.)
    public var description: String { "presence" }

    public let topology: Topology
    public let logger: Logger
    /// Agents known from the contact centre start Offline (others appear when first heard from).
    public let knownAgents: [AgentID]

    public init(topology: Topology, knownAgents: [AgentID], logger: Logger) {
        self.topology = topology
        self.knownAgents = knownAgents
        self.logger = logger
    }

    public func run() async throws {
        let runtime = try await AuthorityRuntime.start(
            .presence, topology: topology, logger: logger, migrations: PresenceTable.migrate)
        let tracker = PresenceTracker(
            store: runtime.store, committer: GroupCommitter(store: runtime.store), logger: logger,
            timeoutSeconds: runtime.service.heartbeatTimeoutSeconds)
        try await tracker.load(known: knownAgents)
        try await runtime.serve(
            snapshots: tracker, commands: tracker,
            parts: [
                ServicePart("presence heartbeat timeouts", run: { await tracker.sweepSilentAgents() }),
                .allowListReloadOnSIGHUP(
                    "presence", topologyFile: runtime.topologyFile, loop: runtime.loop, logger: logger,
                    permissions: runtime.permissions),
            ])
    }
}

/// The registry of agent actors, and the service's command handler and snapshot source.
actor PresenceTracker: CommandHandler, SnapshotSource {
    private var agents: [AgentID: PresenceAgent] = [:]
    private let store: AuthorityStore
    private let committer: GroupCommitter
    private let logger: Logger
    let timeoutSeconds: Double
    /// Agents tracked at most (a flood of invented ids must not exhaust memory).
    static let agentsMax = 100_000

    init(store: AuthorityStore, committer: GroupCommitter, logger: Logger, timeoutSeconds: Double) {
        self.store = store
        self.committer = committer
        self.logger = logger
        self.timeoutSeconds = timeoutSeconds
    }

    /// Loads the stored presence, adding contact-centre agents not seen before (as Offline).
    func load(known: [AgentID]) async throws {
        let records = try await store.read { db in try PresenceTable.all(in: db) }
        for record in records { agents[record.agent] = PresenceAgent(record: record, committer: committer) }
        let missing = known.filter { agents[$0] == nil }
        let now = WallClock.microseconds() / 1_000
        if !missing.isEmpty {
            let fresh = missing.map {
                PresenceRecord(agent: $0, status: .offline, reason: "not signed in", sinceMilliseconds: now)
            }
            try await store.commit { transaction in
                for record in fresh {
                    try PresenceTable.upsert(record, in: transaction.db)
                    try transaction.emit(
                        topic: "presence.\(record.agent).changed", type: "presence.changed",
                        data: [
                            "agentId": .string(record.agent.rawValue), "status": "offline", "previous": .null,
                            "reason": .optional(record.reason), "since": .int(now),
                            "key": .string("presence.\(record.agent)"),
                            "item": record.json,
                        ])
                }
            }
            for record in fresh { agents[record.agent] = PresenceAgent(record: record, committer: committer) }
        }
        logger.info("presence loaded", metadata: ["agents": "\(agents.count)"])
    }

    nonisolated func snapshot(prefix: String?) async throws -> Snapshot {
        try await store.snapshot(prefix: prefix) { db, _ in
            try PresenceTable.all(in: db).map { SnapshotItem(key: "presence.\($0.agent)", value: $0.json) }
        }
    }

    nonisolated func handle(_ commands: [CommandRequest]) async -> [CommandOutcome] {
        var outcomes: [CommandOutcome] = []
        outcomes.reserveCapacity(commands.count)
        for command in commands { outcomes.append(await handle(command)) }
        return outcomes
    }

    private func handle(_ command: CommandRequest) async -> CommandOutcome {
        let fields = CommandFields(command.data)
        do throws(CommandFailure) {
            let agentID = AgentID(try fields.identifier("agentId"))
            let agent = try agentActor(agentID)
            switch command.type {
            case "presence.set":
                let name = try fields.string("status")
                guard let status = PresenceStatus(rawValue: name) else {
                    throw fields.invalid("status", "'\(name)' is not a presence; use available, away, dnd or offline")
                }
                let reason = try fields.optionalString("reason", maxBytes: 300)
                return try await run { try await agent.set(status, reason: reason, commandID: command.id) }
            case "presence.heartbeat":
                return try await run { try await agent.heartbeat(commandID: command.id) }
            default:
                throw CommandFailure(
                    code: .unknownCommand,
                    message:
                        "the presence tracker takes no '\(command.type)'; it takes presence.set and presence.heartbeat")
            }
        } catch {
            return .failed(error)
        }
    }

    private func agentActor(_ id: AgentID) throws(CommandFailure) -> PresenceAgent {
        if let agent = agents[id] { return agent }
        guard agents.count < Self.agentsMax else {
            throw CommandFailure(code: .unavailable, message: "the tracker already follows \(Self.agentsMax) agents")
        }
        let agent = PresenceAgent(
            record: PresenceRecord(
                agent: id, status: .offline, reason: "not signed in",
                sinceMilliseconds: WallClock.microseconds() / 1_000),
            committer: committer)
        agents[id] = agent
        return agent
    }

    private func run(_ body: () async throws -> CommandOutcome) async throws(CommandFailure) -> CommandOutcome {
        do {
            return try await body()
        } catch {
            logger.critical("presence could not commit: \(error); stopping")
            // Memory may be ahead of the disk: restart from what was committed.
            exit(70)
        }
    }

    /// Every half second, sets Offline the agents whose heartbeats stopped.
    func sweepSilentAgents() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(500))
            do {
                let silent = try await expireSilentAgents(now: .now)
                for agent in silent {
                    logger.info("\(agent) went Offline: no heartbeat for \(Int(timeoutSeconds)) s")
                }
            } catch {
                logger.critical("presence could not commit: \(error); stopping")
                exit(70)
            }
        }
    }

    /// Sets Offline (committed) every agent not heard from for the timeout by `now`; returns them.
    func expireSilentAgents(now: ContinuousClock.Instant) async throws -> [AgentID] {
        var silent: [AgentID] = []
        for (id, agent) in agents where try await agent.expireIfSilent(timeoutSeconds: timeoutSeconds, now: now) {
            silent.append(id)
        }
        return silent
    }
}
