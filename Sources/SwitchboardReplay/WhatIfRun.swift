public import SwitchboardRouter
public import SwitchboardRouting

/// The what-if run: the recorded day up to `since`, then the changed centre applied as a reload
/// and a discrete-event simulation on the journal's clock up to `until`.
///
/// Openings, presence, agents added or removed and ticks come from the journal as recorded
/// (those of agents the changed centre removed are dropped). A conversation's own inputs
/// (accept, decline, messages, transfers, close, the end of wrap-up, abandon) are applied as
/// recorded while its decisions are the recorded ones (same agent, same instant); once they
/// differ it has diverged, and the models make its inputs from then on. With no divergence the
/// input stream is the recorded one, so the decisions are exactly the recorded ones.
public struct WhatIfRun {
    /// A timer the live router would have fired is applied as a tick of its own only when no
    /// input comes within this long after it (the live router's tick comes a little late).
    static let tickToleranceSeconds = 1.0
    static let never = RoutingInstant(millisecondsSinceEpoch: .max)

    public private(set) var trace: ReplayTrace
    public private(set) var inputs = 0
    /// Conversations that diverged, with when.
    public private(set) var diverged: [ConversationID: RoutingInstant] = [:]
    public private(set) var firstDivergence: Divergence?

    public struct Divergence: Sendable {
        public var conversation: ConversationID
        public var at: RoutingInstant
        public var recorded: ReplayDecision?
        public var replayed: ReplayDecision?
    }

    private var state: RouterState
    private let recorded: ReplayTrace
    private let models: ReplayModels
    private var generated = ReplayEventQueue()
    private var generation: [ConversationID: Int] = [:]
    private var checks: [(at: RoutingInstant, conversation: ConversationID, index: Int)] = []
    private var checkIndex = 0
    private var lastSyntheticTick = RoutingInstant.zero

    /// Runs it. `centre`: the changed settings applied at `since` (nil: the recorded centre).
    public static func run(
        _ journal: ReplayJournal, since: RoutingInstant, until: RoutingInstant, centre: RouterSettings?,
        recorded: ReplayTrace, models: ReplayModels
    ) throws(ReplayError) -> WhatIfRun {
        var run = WhatIfRun(
            state: try RecordedRun.startState(journal), trace: ReplayTrace(windowStart: since, windowEnd: until),
            recorded: recorded, models: models)
        run.simulate(journal, since: since, until: until, centre: centre)
        return run
    }

    private init(state: RouterState, trace: ReplayTrace, recorded: ReplayTrace, models: ReplayModels) {
        self.state = state
        self.trace = trace
        self.recorded = recorded
        self.models = models
    }

    private mutating func simulate(
        _ journal: ReplayJournal, since: RoutingInstant, until: RoutingInstant, centre: RouterSettings?
    ) {
        var index = 0
        while index < journal.entries.count, journal.entries[index].at < since {
            RecordedRun.step(&state, journal.entries[index].input, at: journal.entries[index].at, trace: &trace)
            index += 1
            inputs += 1
        }
        var removedAgents: Set<AgentID> = []
        if var centre {
            centre.closedRetentionSeconds = state.settings.closedRetentionSeconds
            let before = Set(state.settings.agents.map(\.id))
            let after = Set(centre.agents.map(\.id))
            removedAgents = before.subtracting(after)
            let at = max(since, state.engine.now)
            apply(.reload(centre), at: at)
            // An agent the changed centre adds works the whole window: Available from its start.
            for id in after.subtracting(before).sorted() {
                apply(.presence(id, .available, stamp: PresenceStamp(epoch: UInt64.max / 2, sequence: 0)), at: at)
            }
        }
        for record in recorded.conversations.values {
            for (position, decision) in record.decisions.enumerated() where decision.at >= since {
                checks.append((decision.at, record.id, position))
            }
        }
        checks.sort { ($0.at, $0.conversation, $0.index) < ($1.at, $1.conversation, $1.index) }
        let changed = centre != nil
        while true {
            let journalNext = index < journal.entries.count ? journal.entries[index].at : nil
            let generatedNext = generated.first.flatMap { $0.at <= until ? $0.at : nil }
            let other = min(journalNext ?? Self.never, generatedNext ?? Self.never)
            if changed || !diverged.isEmpty, let deadline = state.engine.earliestScheduledDeadline, deadline <= until {
                let at = max(deadline, state.engine.now)
                if at > lastSyntheticTick, at.adding(seconds: Self.tickToleranceSeconds) < other {
                    lastSyntheticTick = at
                    apply(.tick, at: at)
                    continue
                }
            }
            guard other != Self.never else { break }
            if let journalNext, journalNext <= other {
                let entry = journal.entries[index]
                index += 1
                if admits(entry.input, changed: changed, removedAgents: removedAgents, at: entry.at) {
                    apply(entry.input, at: entry.at)
                }
            } else if let next = generated.pop() {
                guard generation[next.conversation] == next.generation else { continue }
                apply(next.input, at: max(next.at, state.engine.now))
            }
        }
        runChecks(before: Self.never)
        trace.finish()
    }

    /// Whether a recorded input goes into the what-if run.
    private mutating func admits(
        _ input: RouterInput, changed: Bool, removedAgents: Set<AgentID>, at: RoutingInstant
    ) -> Bool {
        switch input {
        case .reload: return !changed
        case .open, .tick: return true
        case .presence(let agent, _, _), .removeAgent(let agent): return !removedAgents.contains(agent)
        case .addAgent(let profile), .updateAgent(let profile): return !removedAgents.contains(profile.id)
        case .accept, .decline, .message, .close, .endWrapUp, .abandon, .transfer:
            guard let id = input.conversation else { return true }
            runChecks(before: at)
            if diverged[id] != nil { return false }
            let replayed = trace.conversations[id]?.decisions ?? []
            // The recorded decisions up to now; those of this very instant may be this input's own.
            let expected = recorded.conversations[id]?.decisions.filter { $0.at <= at } ?? []
            let due = expected.count { $0.at < at }
            if replayed.count >= due, replayed.count <= expected.count,
                zip(replayed, expected).allSatisfy({ $0.matches($1) })
            {
                return true
            }
            let position =
                zip(replayed, expected).enumerated().first { !$0.element.0.matches($0.element.1) }?.offset
                ?? min(replayed.count, expected.count)
            diverge(
                id, at: at, recorded: expected.indices.contains(position) ? expected[position] : nil,
                replayed: replayed.indices.contains(position) ? replayed[position] : nil)
            return false
        }
    }

    private mutating func apply(_ input: RouterInput, at: RoutingInstant) {
        runChecks(before: at)
        inputs += 1
        let (step, decisions) = RecordedRun.step(&state, input, at: at, trace: &trace)
        var touched: [ConversationID] = []
        for decision in decisions {
            let id = decision.conversation
            guard diverged[id] == nil else { continue }
            let position = (trace.conversations[id]?.decisions.count ?? 1) - 1
            let expected = recorded.conversations[id]?.decisions ?? []
            if !expected.indices.contains(position) || !expected[position].matches(decision) {
                diverge(
                    id, at: at, recorded: expected.indices.contains(position) ? expected[position] : nil,
                    replayed: decision)
            }
        }
        for effect in step.effects {
            guard case .conversation(let change, _) = effect else { continue }
            switch change {
            case .queued, .offered, .assigned, .requeued, .wrapUpStarted, .transferred:
                if diverged[change.conversation] != nil { touched.append(change.conversation) }
            default: continue
            }
        }
        var seen: Set<ConversationID> = []
        for id in touched where seen.insert(id).inserted { schedule(id, now: at) }
    }

    /// Recorded decisions due before `at` that the run has not made: their conversations diverge.
    private mutating func runChecks(before at: RoutingInstant) {
        while checkIndex < checks.count, checks[checkIndex].at < at {
            let check = checks[checkIndex]
            checkIndex += 1
            guard diverged[check.conversation] == nil,
                let expected = recorded.conversations[check.conversation]?.decisions[check.index]
            else { continue }
            let replayed = trace.conversations[check.conversation]?.decisions ?? []
            if replayed.indices.contains(check.index), replayed[check.index].matches(expected) { continue }
            diverge(
                check.conversation, at: check.at, recorded: expected,
                replayed: replayed.indices.contains(check.index) ? replayed[check.index] : nil)
            schedule(check.conversation, now: max(check.at, state.engine.now))
        }
    }

    private mutating func diverge(
        _ id: ConversationID, at: RoutingInstant, recorded: ReplayDecision?, replayed: ReplayDecision?
    ) {
        diverged[id] = at
        if firstDivergence == nil {
            firstDivergence = Divergence(conversation: id, at: at, recorded: recorded, replayed: replayed)
        }
        schedule(id, now: max(at, state.engine.now))
    }

    /// Makes the diverged conversation's next input from the models, from where it stands.
    private mutating func schedule(_ id: ConversationID, now: RoutingInstant) {
        generation[id, default: 0] += 1
        let current = generation[id]!
        guard let conversation = state.engine.conversation(id) else { return }
        let record = recorded.conversations[id]
        switch conversation.state {
        case .queued:
            let arrivedIn = trace.conversations[id]?.queue ?? conversation.queue
            guard let patience = models.patienceSeconds(of: record, queue: arrivedIn, id: id) else { return }
            let at = max(now, conversation.openedAt.adding(seconds: patience))
            generated.push(.abandon(id), at: at, conversation: id, generation: current)
        case .offered:
            guard let agent = conversation.agent else { return }
            let delay = models.acceptDelaySeconds(agent: agent, channel: conversation.channel)
            generated.push(.accept(id, agent: agent), at: now.adding(seconds: delay), conversation: id, generation: current)
        case .assigned:
            guard let agent = conversation.agent else { return }
            let load = state.engine.agentLoad(agent)?.load[conversation.channel] ?? 1
            let seconds = models.handlingSeconds(
                of: record, channel: conversation.channel, agent: agent, load: load, id: id)
            generated.push(.close(id), at: now.adding(seconds: seconds), conversation: id, generation: current)
        case .wrapUp:
            guard let agent = conversation.agent,
                let seconds = models.wrapUpSeconds(agent: agent, channel: conversation.channel)
            else { return }
            generated.push(
                .endWrapUp(id, disposition: "replayed"), at: now.adding(seconds: seconds), conversation: id,
                generation: current)
        case .closed, .abandoned:
            return
        }
    }
}
