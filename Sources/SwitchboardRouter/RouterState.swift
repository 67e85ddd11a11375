import Foundation
public import SwitchboardRouting
public import SwitchboardWire

/// Everything the router knows, as a pure state machine around the routing engine: the
/// engine itself, the conversations' views and transcripts, the agents and queue counters.
/// `apply` takes one `RouterInput` at a time and returns what happened and the answer as
/// typed values (`RouterStep`); the shell encodes them as bus events and replies
/// (`RouterEventEncoder`). It does no I/O, so the journal can be replayed through it after a crash.
public struct RouterState: Sendable {
    public private(set) var engine: RoutingEngine
    public private(set) var settings: RouterSettings
    /// Conversations by id: open ones, and ended ones not yet written to the store. Sharded, so
    /// that the loop's first write after a checkpoint's copy copies a part, not every view.
    public private(set) var views = ShardedTable<ConversationID, ConversationView>()
    public private(set) var transcripts = ShardedTable<ConversationID, [TranscriptMessage]>()
    /// Agents the router routes to, by id.
    public private(set) var agents: [AgentID: AgentProfile] = [:]
    /// Customers that have (or had) a sticky owner.
    private(set) var stickyCustomers: Set<CustomerID> = []
    /// Counters per queue since the router's store was created (the engine's own restart
    /// with each process; these are checkpointed).
    public private(set) var queueCounters: [QueueID: QueueCounters] = [:]
    /// The note of the transfer being applied (set only while its input is).
    private var transferNote: String?
    /// Ended conversations, oldest first, to forget after the retention period.
    private var ended: [(id: ConversationID, at: RoutingInstant)] = []
    private var endedStart = 0
    /// Ended conversations whose view and transcript the store holds (`router_ended`), kept in
    /// memory only as the state they ended in: enough to refuse a message to one and to forget it
    /// after the retention period. Their view and transcript are read from the store when asked
    /// for (a snapshot, `explain`, a transcript request). An ended conversation never changes
    /// again, so the row stays what it would be in memory.
    public private(set) var settled: [ConversationID: ConversationState] = [:]
    /// Ended conversations that ended before this instant have been forgotten (the retention
    /// period's cutoff at the last input applied).
    public private(set) var forgottenBefore: RoutingInstant = .zero

    /// Messages kept per conversation; more are refused (the transcript is full).
    public static let transcriptMessagesMax = 2_000
    /// Characters in one message.
    public static let messageCharactersMax = 8_000

    /// A router starting from nothing: the contact centre's agents, all Offline until the
    /// presence tracker says otherwise.
    public init(settings: RouterSettings, now: RoutingInstant) throws(RoutingError) {
        self.settings = settings
        engine = try RoutingEngine(configuration: settings.routing, now: now)
        for profile in settings.agents {
            _ = engine.handle(.addAgent(profile, presence: .unknown), at: now)
            agents[profile.id] = profile
        }
    }

    /// A router restored from a checkpoint and the ended conversations the store holds apart from
    /// it (`settled`: each one's id, the state it ended in and when it ended; a conversation the
    /// checkpoint holds as a view is taken from the checkpoint).
    public init(
        checkpoint: RouterCheckpoint,
        settled: [(id: ConversationID, state: ConversationState, endedAt: RoutingInstant)] = []
    ) throws(RoutingError) {
        settings = checkpoint.settings
        engine = try RoutingEngine(snapshot: checkpoint.engine)
        for view in checkpoint.views { views[view.id] = view }
        for transcript in checkpoint.transcripts { transcripts[transcript.id] = transcript.messages }
        for profile in checkpoint.agents { agents[profile.id] = profile }
        queueCounters = checkpoint.queueCounters ?? [:]
        stickyCustomers = Set(checkpoint.engine.stickyOwners.map(\.customer))
        ended = checkpoint.views.filter(\.isEnded).compactMap { view in view.endedAt.map { (view.id, $0) } }
        self.settled.reserveCapacity(settled.count)
        ended.reserveCapacity(ended.count + settled.count)
        for conversation in settled where views[conversation.id] == nil && conversation.state.isEnded {
            self.settled[conversation.id] = conversation.state
            ended.append((conversation.id, conversation.endedAt))
        }
        ended.sort { $0.at < $1.at }
    }

    /// The store now holds these ended conversations (each with the instant it ended, as written):
    /// memory keeps only the state each ended in. One that changed since (opened again under the
    /// same id) stays as it is.
    public mutating func settle(_ written: [(id: ConversationID, endedAt: RoutingInstant)]) {
        for (id, endedAt) in written {
            guard let view = views[id], view.isEnded, view.endedAt == endedAt else { continue }
            views[id] = nil
            transcripts[id] = nil
            settled[id] = view.state
        }
    }

    /// The state as a checkpoint writes it, without the tables that grow with the retention period
    /// (settled conversations, the order of forgetting), which a checkpoint does not write: the
    /// checkpoint's copy then shares none of them, and the loop's next write to them copies nothing.
    public func forCheckpoint() -> RouterState {
        var copy = self
        copy.settled = [:]
        copy.ended = []
        copy.endedStart = 0
        return copy
    }

    /// The state an ended conversation ended in, whether in memory or settled in the store.
    public func endedState(of id: ConversationID) -> ConversationState? {
        if let view = views[id] { return view.isEnded ? view.state : nil }
        return settled[id]
    }

    /// The state to write as a checkpoint, without the ended conversations (views and
    /// transcripts), which the checkpoint writer keeps apart.
    public func checkpointOfOpenConversations() -> RouterCheckpoint {
        let open = views.values.filter { !$0.isEnded }
        return RouterCheckpoint(
            settings: settings, engine: engine.snapshot(), views: open,
            transcripts: open.compactMap { view in transcripts[view.id].map { (view.id, $0) } }.sorted { $0.0 < $1.0 }
                .map { .init(id: $0.0, messages: $0.1) },
            agents: Array(agents.values).sorted { $0.id < $1.id }, queueCounters: queueCounters)
    }

    /// The state to write as a checkpoint.
    public func checkpoint() -> RouterCheckpoint {
        RouterCheckpoint(
            settings: settings, engine: engine.snapshot(), views: Array(views.values),
            transcripts: transcripts.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }.map {
                .init(id: $0.0, messages: $0.1)
            },
            agents: Array(agents.values).sorted { $0.id < $1.id }, queueCounters: queueCounters)
    }

    // MARK: Applying inputs

    /// Applies one input at `now` and says what happened. Deadlines due by `now` fire first
    /// (whatever the input), so a refused input may still come with effects: the journal
    /// records every input applied.
    public mutating func apply(_ input: RouterInput, at now: RoutingInstant) -> RouterStep {
        var step = RouterStep()
        switch input {
        case .open(var request, let text, let intent):
            if let skill = intent?.skill, let level = settings.intentSkillLevels[request.queue],
                settings.routing.skills.contains(where: { $0.id.rawValue == skill }),
                !request.extraSkills.contains(where: { $0.skill.rawValue == skill })
            {
                request.extraSkills.append(SkillRequirement(SkillID(skill), minimumLevel: level))
            }
            let outcome = engine.handle(.openConversation(request), at: now)
            if outcome.rejection == nil {
                var view = ConversationView(
                    id: request.id, customer: request.customer,
                    channel: request.channel ?? queueChannel(request.queue) ?? .chat, queue: request.queue,
                    priority: engine.conversation(request.id)?.priority ?? request.priority ?? 0, topic: request.topic,
                    state: .queued, agent: nil, requiredSkills: [], intent: intent, openedAt: now, assignedAt: nil,
                    endedAt: nil, rule: nil, reason: nil, transfers: 0, messageCount: 0, history: [])
                if let intent { view.record("intent", at: now, sentence: HistorySentence.intent(intent)) }
                views[request.id] = view
                // Only when there is one: a write would copy the table while a snapshot holds it.
                if settled[request.id] != nil { settled[request.id] = nil }
            }
            finish(outcome, at: now, into: &step, reply: .conversation(request.id))
            // The opening text follows the routing effects of the open (queued, assigned...), so
            // its item is the conversation as it stands after them.
            if outcome.rejection == nil, let text, !text.isEmpty {
                appendMessage(
                    request.id, role: .customer, author: request.customer.rawValue, text: text, audience: .everyone,
                    at: now, into: &step)
            }

        case .message(let id, let message):
            if let refusal = refusal(ofMessageTo: id) {
                step.reply = .refused(refusal)
                advance(at: now, into: &step)
                return step
            }
            advance(at: now, into: &step)
            let number = appendMessage(
                id, role: message.role, author: message.author, text: message.text, audience: message.audience, at: now,
                into: &step)
            step.reply = .messageAppended(id, number: number)

        case .accept(let id, let agent):
            finish(
                engine.handle(.acceptOffer(id, agent: agent), at: now), at: now, into: &step,
                reply: .accepted(id, agent: agent))
        case .decline(let id, let agent):
            finish(
                engine.handle(.declineOffer(id, agent: agent), at: now), at: now, into: &step, reply: .conversation(id))
        case .close(let id):
            finish(engine.handle(.closeConversation(id), at: now), at: now, into: &step, reply: .conversation(id))
        case .endWrapUp(let id, let disposition):
            finish(
                engine.handle(.endWrapUp(id, disposition: disposition), at: now), at: now, into: &step,
                reply: .conversation(id))
        case .abandon(let id):
            finish(engine.handle(.abandonConversation(id), at: now), at: now, into: &step, reply: .conversation(id))
        case .transfer(let id, let target, let note):
            transferNote = note
            defer { transferNote = nil }
            let outcome = engine.handle(.transferConversation(id, to: target), at: now)
            if outcome.rejection == nil { views[id]?.transfers += 1 }
            finish(outcome, at: now, into: &step, reply: .conversation(id))
        case .addAgent(let profile):
            let outcome = engine.handle(.addAgent(profile, presence: .unknown), at: now)
            if outcome.rejection == nil {
                agents[profile.id] = profile
                if let load = engine.agentLoad(profile.id) { step.effects.append(.agentAdded(agentItem(load))) }
            }
            finish(outcome, at: now, into: &step, reply: .agent(profile.id))
        case .updateAgent(let profile):
            let outcome = engine.handle(.updateAgent(profile), at: now)
            if outcome.rejection == nil {
                agents[profile.id] = profile
                if let load = engine.agentLoad(profile.id) { step.effects.append(.agentUpdated(agentItem(load))) }
            }
            finish(outcome, at: now, into: &step, reply: .agent(profile.id))
        case .removeAgent(let id):
            let outcome = engine.handle(.removeAgent(id), at: now)
            if outcome.rejection == nil { agents[id] = nil }
            finish(outcome, at: now, into: &step, reply: .agent(id))
        case .presence(let id, let status, let stamp):
            finish(
                engine.handle(.presenceChanged(id, status, stamp: stamp), at: now), at: now, into: &step,
                reply: .applied)
        case .tick:
            finish(engine.handle(.timeAdvanced, at: now), at: now, into: &step, reply: .applied)
        case .reload(let newSettings):
            reload(newSettings, at: now, into: &step)
        }
        forgetEnded(before: now)
        return step
    }

    /// Why a message to `id` is refused, if it is.
    private func refusal(ofMessageTo id: ConversationID) -> RouterReply.Refusal? {
        guard let view = views[id] else {
            return settled[id].map { .conversationEnded(id, $0) } ?? .unknownConversation(id)
        }
        guard !view.isEnded else { return .conversationEnded(id, view.state) }
        guard (transcripts[id]?.count ?? 0) < Self.transcriptMessagesMax else {
            return .transcriptFull(id, messagesMax: Self.transcriptMessagesMax)
        }
        return nil
    }

    /// Deadlines that fell due before an input that then failed early.
    private mutating func advance(at now: RoutingInstant, into step: inout RouterStep) {
        let outcome = engine.handle(.timeAdvanced, at: now)
        translate(outcome.actions, at: now, into: &step)
    }

    private mutating func finish(
        _ outcome: RoutingOutcome, at now: RoutingInstant, into step: inout RouterStep, reply: RouterReply
    ) {
        translate(outcome.actions, at: now, into: &step)
        step.reply = outcome.rejection.map { .refused(refusal($0)) } ?? reply
    }

    /// The engine's refusal as the router answers it: a closed queue with its calendar's zone.
    private func refusal(_ error: RoutingError) -> RouterReply.Refusal {
        if case .queueClosed(let queue, let opensAt) = error,
            let zone = settings.routing.queues.first(where: { $0.id == queue })?.hours?.calendar.timeZone
        {
            return .queueClosed(queue, opensAt: opensAt, timeZone: zone)
        }
        return .routing(error)
    }

    private mutating func reload(_ newSettings: RouterSettings, at now: RoutingInstant, into step: inout RouterStep) {
        var snapshot = engine.snapshot()
        snapshot.configuration = newSettings.routing
        let rebuilt: RoutingEngine
        do {
            rebuilt = try RoutingEngine(snapshot: snapshot)
        } catch {
            step.reply = .refused(.settingsRefused(error))
            return
        }
        engine = rebuilt
        let previous = settings
        settings = newSettings
        let newAgents = Dictionary(newSettings.agents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var added = 0
        var updated = 0
        var removed = 0
        for (id, profile) in newAgents.sorted(by: { $0.key < $1.key }) {
            if let known = agents[id] {
                if known != profile {
                    translate(engine.handle(.updateAgent(profile), at: now).actions, at: now, into: &step)
                    agents[id] = profile
                    updated += 1
                }
            } else if engine.handle(.addAgent(profile, presence: .unknown), at: now).rejection == nil {
                agents[id] = profile
                if let load = engine.agentLoad(id) { step.effects.append(.agentAdded(agentItem(load))) }
                added += 1
            }
        }
        // Agents removed from the file are removed from routing (ownership cleared, work requeued).
        let fileAgentsBefore = Set(previous.agents.map(\.id))
        for id in agents.keys.sorted() where newAgents[id] == nil && fileAgentsBefore.contains(id) {
            translate(engine.handle(.removeAgent(id), at: now).actions, at: now, into: &step)
            agents[id] = nil
            removed += 1
        }
        translate(engine.handle(.timeAdvanced, at: now).actions, at: now, into: &step)
        step.effects.append(
            .reloaded(
                queues: newSettings.routing.queues.count, agentsAdded: added, agentsUpdated: updated,
                agentsRemoved: removed))
        step.reply = .reloaded(agentsAdded: added, agentsUpdated: updated, agentsRemoved: removed)
    }

    // MARK: Carrying out the engine's actions

    /// Brings the views, counters and sticky customers up to date with the engine's actions,
    /// and records what happened; every queue touched ends the list with its new figures.
    private mutating func translate(_ actions: [RoutingAction], at now: RoutingInstant, into step: inout RouterStep) {
        var touchedQueues: Set<QueueID> = []
        // A close followed by wrap-up leaves the conversation in wrap-up (capacity still held).
        var wrappingUp: Set<ConversationID> = []
        for action in actions {
            if case .wrapUpStarted(let id, _, _) = action { wrappingUp.insert(id) }
        }
        for action in actions {
            switch action {
            case .queued(let waiting):
                let sentence = HistorySentence.queued(in: waiting.queue, heldForName: waiting.heldFor.map(agentName))
                update(waiting.conversation) { view in
                    view.state = .queued
                    view.agent = nil
                    view.requiredSkills = waiting.requiredSkills
                    view.priority = waiting.priority
                    view.record("queued", at: now, sentence: sentence)
                }
                touchedQueues.insert(waiting.queue)
                changed(.queued(waiting), into: &step)
            case .offered(let decision, let expiresAt):
                decided(decision, state: .offered, at: now)
                touchedQueues.insert(decision.queue)
                changed(.offered(decision, expiresAt: expiresAt), into: &step)
            case .assigned(let decision):
                decided(decision, state: .assigned, at: now)
                update(decision.conversation) { $0.assignedAt = now }
                touchedQueues.insert(decision.queue)
                let waited = views[decision.conversation].map { now.seconds(since: $0.openedAt) } ?? 0
                let target = settings.routing.queues.first { $0.id == decision.queue }?.serviceLevel.withinSeconds ?? 0
                queueCounters[decision.queue, default: QueueCounters()].assigned += 1
                if waited <= target {
                    queueCounters[decision.queue, default: QueueCounters()].assignedWithinServiceLevel += 1
                }
                changed(.assigned(decision, waitedSeconds: waited), into: &step)
            case .offerDeclined(let id, let agent):
                let sentence = HistorySentence.declined(byName: agentName(agent))
                update(id) { $0.record("declined", at: now, agent: agent, sentence: sentence) }
                changed(.declined(id, agent: agent), into: &step)
            case .offerExpired(let id, let agent, let missed):
                let sentence = HistorySentence.offerExpired(toName: agentName(agent))
                update(id) { $0.record("expired", at: now, agent: agent, sentence: sentence) }
                changed(.offerExpired(id, agent: agent, missedInARow: missed), into: &step)
            case .requeued(let requeued):
                update(requeued.conversation) { view in
                    view.state = .queued
                    view.agent = nil
                    view.queue = requeued.queue
                    view.requiredSkills = requeued.waiting.requiredSkills
                    view.record("requeued", at: now, agent: requeued.previousAgent, sentence: requeued.sentence)
                }
                touchedQueues.insert(requeued.queue)
                // An overflow move leaves a queue too: its waiting count changed.
                if let left = requeued.overflow?.fromQueue { touchedQueues.insert(left) }
                changed(.requeued(requeued), into: &step)
            case .transferred(let id, let from, let target):
                let sentence: String
                switch target {
                case .queue(let queue):
                    sentence = HistorySentence.transferred(toQueue: queue)
                    update(id) { $0.queue = queue }
                    touchedQueues.insert(queue)
                case .agent(let agent): sentence = HistorySentence.transferred(toAgentName: agentName(agent))
                }
                let transfer = ConversationTransfer(fromAgentId: from, to: target, note: transferNote)
                update(id) { $0.record("transferred", at: now, agent: from, sentence: sentence, transfer: transfer) }
                changed(.transferred(id, transfer), into: &step)
            case .closed(let id, let agent, _):
                let sentence = HistorySentence.closed(byName: agent.map(agentName))
                let state: ConversationState = wrappingUp.contains(id) ? .wrapUp : .closed
                update(id) { view in
                    view.state = state
                    view.endedAt = now
                    view.record("closed", at: now, agent: agent, sentence: sentence)
                }
                ended.append((id, now))
                changed(.closed(id, agent: agent), into: &step)
            case .wrapUpStarted(let id, let agent, let endsAt):
                let sentence = HistorySentence.wrapUpStarted(byName: agentName(agent))
                update(id) { $0.record("wrapUpStarted", at: now, agent: agent, sentence: sentence) }
                changed(.wrapUpStarted(id, agent: agent, endsAt: endsAt), into: &step)
            case .wrapUpEnded(let id, let agent, let disposition, let timedOut):
                let sentence = HistorySentence.wrapUpEnded(disposition: disposition, timedOut: timedOut)
                update(id) {
                    if $0.state == .wrapUp { $0.state = .closed }
                    $0.record("wrapUpEnded", at: now, agent: agent, sentence: sentence)
                }
                changed(.wrapUpEnded(id, agent: agent, disposition: disposition, timedOut: timedOut), into: &step)
            case .abandoned(let id, let queue, let waited):
                update(id) { view in
                    view.state = .abandoned
                    view.agent = nil
                    view.endedAt = now
                    view.endCause = "customer"
                    view.record("abandoned", at: now, sentence: HistorySentence.abandoned(waitedSeconds: waited))
                }
                ended.append((id, now))
                touchedQueues.insert(queue)
                queueCounters[queue, default: QueueCounters()].abandoned += 1
                changed(.abandoned(id, queue: queue, waitedSeconds: waited), into: &step)
            case .turnedAway(let id, let queue, let waited, let opensAt):
                let zone = settings.routing.queues.first(where: { $0.id == queue })?.hours?.calendar.timeZone ?? .gmt
                let local = opensAt.map { "\(RouterEventEncoder.localWords($0, timeZone: zone)) (\(zone.identifier))" }
                update(id) { view in
                    view.state = .abandoned
                    view.agent = nil
                    view.endedAt = now
                    view.endCause = "queue-closed"
                    view.record(
                        "turnedAway", at: now,
                        sentence: HistorySentence.turnedAway(queue: queue, waitedSeconds: waited, opensAtLocal: local))
                }
                ended.append((id, now))
                touchedQueues.insert(queue)
                // Not served: it counts against the service level as an abandoned one does.
                queueCounters[queue, default: QueueCounters()].abandoned += 1
                changed(
                    .turnedAway(id, queue: queue, waitedSeconds: waited, opensAt: opensAt, timeZone: zone), into: &step)
            case .agentRemoved(let id):
                step.effects.append(.agentRemoved(id))
            case .agentLoadChanged(let load):
                step.effects.append(
                    .agentLoadChanged(agentItem(load), presence: engine.agent(load.agent)?.presence.stamp ?? .none))
            case .agentSetAway(let id, let reason):
                step.effects.append(.agentSetAway(id, reason: reason))
            case .stickyOwnerChanged(let customer, let owner, let reason):
                stickyCustomers.insert(customer)
                step.effects.append(
                    .stickyOwnerChanged(customer, owner: owner, reason: reason, item: stickyItem(customer)))
            case .alertRaised(let alert):
                step.effects.append(.alertRaised(alert))
            case .alertCleared(let key):
                step.effects.append(.alertCleared(key))
            }
        }
        for queue in touchedQueues.sorted() {
            if let item = queueItem(queue) { step.effects.append(.queueChanged(item)) }
        }
    }

    private mutating func decided(_ decision: RoutingDecision, state: ConversationState, at now: RoutingInstant) {
        update(decision.conversation) { view in
            view.state = state
            view.agent = decision.agent
            view.queue = decision.queue
            view.rule = decision.rule.name
            view.reason = decision.reason.sentence
            view.record(
                state == .offered ? "offered" : "assigned", at: now, agent: decision.agent, rule: decision.rule.name,
                sentence: decision.reason.sentence)
        }
    }

    /// Records a change to a conversation with the conversation as it now stands.
    private func changed(_ change: ConversationChange, into step: inout RouterStep) {
        step.effects.append(.conversation(change, item: views[change.conversation]?.item))
    }

    @discardableResult
    private mutating func appendMessage(
        _ id: ConversationID, role: TranscriptMessage.Role, author: String, text: String,
        audience: TranscriptMessage.Audience, at now: RoutingInstant, into step: inout RouterStep
    ) -> Int {
        let number = (transcripts[id]?.count ?? 0) + 1
        let message = TranscriptMessage(
            number: number, role: role, author: author, text: text, audience: audience, at: now)
        transcripts[id, default: []].append(message)
        update(id) { $0.messageCount = number }
        changed(.messageAppended(id, message), into: &step)
        return number
    }

    private mutating func update(_ id: ConversationID, _ change: (inout ConversationView) -> Void) {
        guard var view = views[id] else { return }
        change(&view)
        views[id] = view
    }

    /// Forgets ended conversations older than the retention period.
    private mutating func forgetEnded(before now: RoutingInstant) {
        let cutoff = now.adding(seconds: -settings.closedRetentionSeconds)
        forgottenBefore = max(forgottenBefore, cutoff)
        while endedStart < ended.count, ended[endedStart].at < cutoff {
            let id = ended[endedStart].id
            if let view = views[id] {
                if view.isEnded {
                    views[id] = nil
                    transcripts[id] = nil
                }
            } else if settled[id] != nil {
                settled[id] = nil
            }
            endedStart += 1
        }
        if endedStart > 1_024 && endedStart * 2 > ended.count {
            ended.removeFirst(endedStart)
            endedStart = 0
        }
    }

    // MARK: Names

    private func agentName(_ id: AgentID) -> String {
        agents[id]?.name ?? id.rawValue
    }

    private func queueChannel(_ id: QueueID) -> Channel? {
        settings.routing.queues.first { $0.id == id }?.channel
    }

    /// A conversation's transcript as `role` may see it: the customer's side never sees what
    /// was meant for the agent only (a supervisor's whisper).
    public func transcript(of id: ConversationID, for role: TranscriptMessage.Role) -> [TranscriptMessage]? {
        guard let messages = transcripts[id] else { return views[id] == nil ? nil : [] }
        return role == .customer ? messages.filter { $0.audience == .everyone } : messages
    }
}
