import Foundation
import Logging
import SwitchboardBus
import SwitchboardRouting
import SwitchboardTopology
import SwitchboardWire

/// The shell around `SimulationCore`: one actor that feeds it the time, the router's word
/// about conversations and the outcomes of its commands, sends the commands it returns
/// (through `CommandLanes`), prints the live feed, and records the router's and the presence
/// tracker's events for the invariant check.
actor SimulationDriver {
    private var core: SimulationCore
    private var lanes: CommandLanes
    private let clients: [ServiceName: CommandClient]
    private let deadlineSeconds: Double
    private let started = ContinuousClock.now
    private let feed: LiveFeed?
    private let print: (@Sendable (String) -> Void)?
    private let logger: Logger
    private let observer: (@Sendable (SimulationCommand, SimulationCommandResult) -> Void)?
    private var stopped = false
    private var lastStatusAt = 0.0
    /// Seconds between two status lines of the live feed.
    static let statusEverySeconds = 10.0

    /// Events kept for the invariant check (nil once it is known the check cannot be done).
    private var routerEvents: [RecordedEvent]? = []
    private var presenceEvents: [RecordedEvent]? = []
    /// Why the invariants cannot be checked, once known.
    private(set) var uncheckableReason: String?
    private var routerSnapshots = 0
    private var presenceSnapshots = 0
    private(set) var routerLive = false
    private(set) var presenceLive = false

    /// Events recorded at most, for the check (about 1 KiB each).
    static let recordedEventsMax = 2_000_000

    init(
        core: SimulationCore, clients: [ServiceName: CommandClient], deadlineSeconds: Double, feed: LiveFeed?,
        print: (@Sendable (String) -> Void)?, recordForCheck: Bool,
        observer: (@Sendable (SimulationCommand, SimulationCommandResult) -> Void)? = nil, logger: Logger
    ) {
        self.observer = observer
        self.core = core
        self.clients = clients
        self.deadlineSeconds = deadlineSeconds
        self.feed = feed
        self.print = print
        self.logger = logger
        lanes = CommandLanes(inFlightMax: 256)
        if !recordForCheck {
            routerEvents = nil
            presenceEvents = nil
            uncheckableReason = "not asked for"
        }
    }

    var now: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    var phase: SimulationCore.Phase { core.phase }
    var summary: SimulationSummary { core.summary }
    var isIdle: Bool { lanes.isIdle }
    var openConversations: Int { core.openConversations }

    // MARK: Inputs

    func start() {
        perform(core.start(at: now))
    }

    func tick() {
        perform(core.advance(to: now))
        if let print, now - lastStatusAt >= Self.statusEverySeconds, core.phase != .finished {
            lastStatusAt = now
            print(Self.statusLine(core.summary, open: core.openConversations))
        }
    }

    /// A line of totals for the live feed.
    static func statusLine(_ summary: SimulationSummary, open: Int) -> String {
        "── \(LiveFeed.clock(WallClock.microseconds() / 1_000)) · \(summary.opened) opened, \(open) open, "
            + "\(summary.assigned) assigned (\(summary.stickyHits) sticky), \(summary.abandoned) gave up, "
            + "\(summary.closed) closed"
    }

    /// Stops arrivals now; agents finish and sign out (the first Ctrl-C of `simulate`).
    func endEarly() {
        perform(core.endEarly(at: now))
    }

    /// Stops at once: no more commands (the system is going away).
    func abort() {
        core.stop(at: now)
        stopped = true
    }

    func router(_ update: ReplicaUpdate) {
        switch update {
        case .snapshot(let snapshot):
            routerSnapshots += 1
            var open = 0
            for item in snapshot.items where item.key.hasPrefix("conv.") {
                guard let value = try? item.value(), let observation = ConversationObservation(item: value) else {
                    continue
                }
                if !observation.state.isEnded { open += 1 }
                perform(core.observe(observation, at: now))
            }
            if routerSnapshots == 1 {
                let loaded = snapshot.items.filter { item in
                    guard item.key.hasPrefix("agent."),
                        let agent = (try? item.value()).flatMap({ try? AgentItem(json: $0) })
                    else { return false }
                    return Channel.allCases.contains { agent.load[$0] > 0 }
                }.count
                if open > 0 || loaded > 0 {
                    cannotCheck(
                        "the router already had \(open) open conversations and \(loaded) agents with work when the "
                            + "run started (start from empty data, e.g. `switchboard demo --fresh`)")
                }
            } else {
                cannotCheck("the router's stream had a gap or a restart (a new snapshot was needed)")
            }
            routerLive = true
        case .event(let envelope):
            guard let event = RecordedEvent(envelope) else { return }
            record(event, fromRouter: true)
            if let observation = ConversationObservation(eventType: event.type, data: event.data) {
                perform(core.observe(observation, at: now))
            }
            if let feed, let print, let line = feed.line(for: event, atMilliseconds: WallClock.microseconds() / 1_000) {
                print(line)
            }
        case .status(let status):
            if case .resyncing(let reason) = status { logger.info("router stream: \(reason)") }
        }
    }

    func presence(_ update: ReplicaUpdate) {
        switch update {
        case .snapshot(let snapshot):
            presenceSnapshots += 1
            if presenceSnapshots == 1 {
                let notOffline = snapshot.items.filter { item in
                    (try? item.value()).flatMap { try? PresenceItem(json: $0) }?.status != .offline
                }.count
                if notOffline > 0 {
                    cannotCheck(
                        "\(notOffline) agents were already signed in when the run started (their presence events "
                            + "came before it)")
                }
            } else {
                cannotCheck("the presence stream had a gap or a restart")
            }
            presenceLive = true
        case .event(let envelope):
            guard envelope.type == "presence.changed", let event = RecordedEvent(envelope) else { return }
            record(event, fromRouter: false)
        case .status:
            break
        }
    }

    // MARK: Commands

    private func perform(_ commands: [SimulationCommand]) {
        for command in commands { launch(lanes.submit(command)) }
    }

    private func launch(_ commands: [SimulationCommand]) {
        for command in commands {
            guard !stopped, let client = clients[command.service] else {
                completed(
                    command, result: .failed("the \(command.service.rawValue) is not reachable from the simulator"))
                continue
            }
            let deadline = deadlineSeconds
            Task {
                let result = await Self.send(command, with: client, deadlineSeconds: deadline)
                self.completed(command, result: result)
            }
        }
    }

    private func completed(_ command: SimulationCommand, result: SimulationCommandResult) {
        observer?(command, result)
        let next = lanes.completed(lane: command.lane)
        if !stopped { perform(core.finished(command, result: result, at: now)) }
        launch(next)
    }

    private static func send(
        _ command: SimulationCommand, with client: CommandClient, deadlineSeconds: Double
    ) async -> SimulationCommandResult {
        do {
            return .ok(try await client.send(command.type, data: command.data, deadlineSeconds: deadlineSeconds))
        } catch {
            if let failure = error.failure { return .rejected(code: failure.code.rawValue, message: failure.message) }
            return .failed(error.description)
        }
    }

    // MARK: The invariant check

    private func record(_ event: RecordedEvent, fromRouter: Bool) {
        guard routerEvents != nil, presenceEvents != nil else { return }
        if fromRouter { routerEvents?.append(event) } else { presenceEvents?.append(event) }
        if (routerEvents?.count ?? 0) + (presenceEvents?.count ?? 0) > Self.recordedEventsMax {
            cannotCheck("the run produced more than \(Self.recordedEventsMax) events to keep")
        }
    }

    private func cannotCheck(_ reason: String) {
        if uncheckableReason == nil { uncheckableReason = reason }
        routerEvents = nil
        presenceEvents = nil
    }

    /// Checks the routing invariants over everything recorded.
    func checkInvariants(contactCentre: ContactCentre) -> SimulationSummary.InvariantReport {
        guard let routerEvents, let presenceEvents, uncheckableReason == nil else {
            return .init(checked: false, facts: 0, violations: [], note: uncheckableReason)
        }
        let decoded = RoutingFactDecoder.facts(
            agents: contactCentre.agents, router: routerEvents, presence: presenceEvents,
            configuration: contactCentre.routing)
        // Presence reaches the router over the bus: what it relied on is checked by stamp.
        guard decoded.unreadable.isEmpty else {
            // Facts missing from the stream would show up as false violations.
            return .init(
                checked: false, facts: 0, violations: [],
                note: "\(decoded.unreadable.count) router events lack the fields the check needs (e.g. "
                    + "\(decoded.unreadable[0])); is the router older than this simulator?")
        }
        var checker = InvariantChecker(configuration: contactCentre.routing, requiresLatestPresence: false)
        checker.observe(decoded.facts)
        return .init(
            checked: true, facts: checker.factCount, violations: checker.violations.map(\.description), note: nil)
    }
}
