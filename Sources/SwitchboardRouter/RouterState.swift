public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardServiceKit
public import SwitchboardWire

/// Everything the router knows, as a pure state machine around the routing engine: the
/// engine itself, the conversations' views and transcripts, and what the router publishes.
/// `apply` takes one `RouterInput` at a time and returns the events to publish and the reply;
/// it does no I/O, so the journal can be replayed through it after a crash.
public struct RouterState: Sendable {
    public private(set) var engine: RoutingEngine
    public private(set) var settings: RouterSettings
    public private(set) var views: [ConversationID: ConversationView] = [:]
    public private(set) var transcripts: [ConversationID: [TranscriptMessage]] = [:]
    /// Agents the router routes to, by id.
    public private(set) var agents: [AgentID: AgentProfile] = [:]
    /// Customers that have (or had) a sticky owner.
    private var stickyCustomers: Set<CustomerID> = []
    /// Counters per queue since the router's store was created (the engine's own restart
    /// with each process; these are checkpointed).
    public private(set) var queueCounters: [QueueID: QueueCounters] = [:]
    /// Ended conversations, oldest first, to forget after the retention period.
    private var ended: [(id: ConversationID, at: RoutingInstant)] = []
    private var endedStart = 0

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

    /// A router restored from a checkpoint.
    public init(checkpoint: RouterCheckpoint) throws(RoutingError) {
        settings = checkpoint.settings
        engine = try RoutingEngine(snapshot: checkpoint.engine)
        for view in checkpoint.views { views[view.id] = view }
        for transcript in checkpoint.transcripts { transcripts[transcript.id] = transcript.messages }
        for profile in checkpoint.agents { agents[profile.id] = profile }
        queueCounters = checkpoint.queueCounters ?? [:]
        stickyCustomers = Set(checkpoint.engine.stickyOwners.map(\.customer))
        ended = checkpoint.views.filter(\.isEnded).compactMap { view in view.endedAt.map { (view.id, $0) } }
            .sorted { $0.at < $1.at }
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

    /// Applies one input at `now`. Deadlines due by `now` fire first (whatever the input), so a
    /// refused input may still come with events: the journal records every input applied.
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
                if let intent {
                    view.record(
                        "intent", at: now,
                        sentence:
                            "Intent \(intent.intent) (\(Int((intent.confidence * 100).rounded()))%)"
                            + (intent.skill.map { ", product skill \($0)" } ?? "") + ".")
                }
                views[request.id] = view
            }
            finish(outcome, at: now, into: &step, result: ["conversationId": .string(request.id.rawValue)])
            // The opening text follows the routing events of the open (queued, assigned...), so
            // its item is the conversation as it stands after them.
            if outcome.rejection == nil, let text, !text.isEmpty {
                appendMessage(
                    request.id, role: .customer, author: request.customer.rawValue, text: text, audience: .everyone,
                    at: now, into: &step)
            }
            step.events.append(contentsOf: step.pendingMessages)
            step.pendingMessages.removeAll()

        case .message(let id, var message):
            guard let view = views[id] else {
                step.outcome = .failed(CommandFailure(code: .notFound, message: "no conversation \(id); open it first"))
                advance(at: now, into: &step)
                return step
            }
            guard !view.isEnded else {
                step.outcome = .failed(
                    CommandFailure(
                        code: .conflict, message: "conversation \(id) is \(view.state.rawValue); messages are closed"))
                advance(at: now, into: &step)
                return step
            }
            guard (transcripts[id]?.count ?? 0) < Self.transcriptMessagesMax else {
                step.outcome = .failed(
                    CommandFailure(
                        code: .invalidArgument,
                        message:
                            "conversation \(id) already has \(Self.transcriptMessagesMax) messages; close it and open a new one"
                    ))
                advance(at: now, into: &step)
                return step
            }
            advance(at: now, into: &step)
            message.at = now
            let number = appendMessage(
                id, role: message.role, author: message.author, text: message.text, audience: message.audience, at: now,
                into: &step)
            step.events.append(contentsOf: step.pendingMessages)
            step.pendingMessages.removeAll()
            step.outcome = .ok(["conversationId": .string(id.rawValue), "number": .number(number)])

        case .accept(let id, let agent):
            finish(
                engine.handle(.acceptOffer(id, agent: agent), at: now), at: now, into: &step,
                result: ["conversationId": .string(id.rawValue), "agentId": .string(agent.rawValue)])
        case .decline(let id, let agent):
            finish(
                engine.handle(.declineOffer(id, agent: agent), at: now), at: now, into: &step,
                result: ["conversationId": .string(id.rawValue)])
        case .close(let id):
            finish(
                engine.handle(.closeConversation(id), at: now), at: now, into: &step,
                result: ["conversationId": .string(id.rawValue)])
        case .endWrapUp(let id, let disposition):
            finish(
                engine.handle(.endWrapUp(id, disposition: disposition), at: now), at: now, into: &step,
                result: ["conversationId": .string(id.rawValue)])
        case .abandon(let id):
            finish(
                engine.handle(.abandonConversation(id), at: now), at: now, into: &step,
                result: ["conversationId": .string(id.rawValue)])
        case .transfer(let id, let target):
            let outcome = engine.handle(.transferConversation(id, to: target), at: now)
            if outcome.rejection == nil { views[id]?.transfers += 1 }
            finish(outcome, at: now, into: &step, result: ["conversationId": .string(id.rawValue)])
        case .addAgent(let profile):
            let outcome = engine.handle(.addAgent(profile, presence: .unknown), at: now)
            if outcome.rejection == nil {
                agents[profile.id] = profile
                publishAgent(profile.id, type: "agent.added", topicSuffix: "added", into: &step)
            }
            finish(outcome, at: now, into: &step, result: ["agentId": .string(profile.id.rawValue)])
        case .updateAgent(let profile):
            let outcome = engine.handle(.updateAgent(profile), at: now)
            if outcome.rejection == nil {
                agents[profile.id] = profile
                publishAgent(profile.id, type: "agent.updated", topicSuffix: "updated", into: &step)
            }
            finish(outcome, at: now, into: &step, result: ["agentId": .string(profile.id.rawValue)])
        case .removeAgent(let id):
            let outcome = engine.handle(.removeAgent(id), at: now)
            if outcome.rejection == nil { agents[id] = nil }
            finish(outcome, at: now, into: &step, result: ["agentId": .string(id.rawValue)])
        case .presence(let id, let status, let stamp):
            finish(
                engine.handle(.presenceChanged(id, status, stamp: stamp), at: now), at: now, into: &step, result: [:])
        case .tick:
            finish(engine.handle(.timeAdvanced, at: now), at: now, into: &step, result: [:])
        case .reload(let newSettings):
            reload(newSettings, at: now, into: &step)
        }
        forgetEnded(before: now)
        return step
    }

    /// Deadlines that fell due before an input that then failed early.
    private mutating func advance(at now: RoutingInstant, into step: inout RouterStep) {
        let outcome = engine.handle(.timeAdvanced, at: now)
        translate(outcome.actions, at: now, into: &step)
    }

    private mutating func finish(
        _ outcome: RoutingOutcome, at now: RoutingInstant, into step: inout RouterStep, result: JSON
    ) {
        translate(outcome.actions, at: now, into: &step)
        if let rejection = outcome.rejection {
            step.outcome = .failed(CommandFailure(code: Self.failureCode(rejection), message: rejection.description))
        } else {
            step.outcome = .ok(result)
        }
    }

    private mutating func reload(_ newSettings: RouterSettings, at now: RoutingInstant, into step: inout RouterStep) {
        var snapshot = engine.snapshot()
        snapshot.configuration = newSettings.routing
        let rebuilt: RoutingEngine
        do {
            rebuilt = try RoutingEngine(snapshot: snapshot)
        } catch {
            step.outcome = .failed(
                CommandFailure(
                    code: .invalidArgument,
                    message: "the new contact-centre file was refused: \(error); the old one stays in force"))
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
                publishAgent(id, type: "agent.added", topicSuffix: "added", into: &step)
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
        step.events.append(
            OutgoingEvent(
                topic: "sys.router.reloaded", type: "router.reloaded",
                data: [
                    "queues": .number(newSettings.routing.queues.count), "agentsAdded": .number(added),
                    "agentsUpdated": .number(updated), "agentsRemoved": .number(removed),
                ]))
        step.outcome = .ok([
            "agentsAdded": .number(added), "agentsUpdated": .number(updated), "agentsRemoved": .number(removed),
        ])
    }

    // MARK: Translating engine actions into events

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
                let held = waiting.heldFor.map { ", held for their owner \(agentName($0))" } ?? ""
                update(waiting.conversation) { view in
                    view.state = .queued
                    view.agent = nil
                    view.requiredSkills = waiting.requiredSkills
                    view.priority = waiting.priority
                    view.record("queued", at: now, sentence: "Waiting in \(waiting.queue)\(held).")
                }
                touchedQueues.insert(waiting.queue)
                conversationEvent(
                    waiting.conversation, "queued", type: "conversation.queued", Self.waitingFields(waiting),
                    into: &step)
            case .offered(let decision, let expiresAt):
                decided(decision, state: .offered, at: now)
                touchedQueues.insert(decision.queue)
                conversationEvent(
                    decision.conversation, "offered", type: "conversation.offered",
                    decisionFields(decision) + [("expiresAt", .int(expiresAt.millisecondsSinceEpoch))], into: &step)
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
                conversationEvent(
                    decision.conversation, "assigned", type: "conversation.assigned",
                    decisionFields(decision) + [("waitedSeconds", .double((waited * 1000).rounded() / 1000))],
                    into: &step)
            case .offerDeclined(let id, let agent):
                let name = agentName(agent)
                update(id) { $0.record("declined", at: now, agent: agent, sentence: "\(name) declined the offer.") }
                conversationEvent(
                    id, "declined", type: "conversation.declined", [("agentId", .string(agent.rawValue))], into: &step)
            case .offerExpired(let id, let agent, let missed):
                let name = agentName(agent)
                update(id) {
                    $0.record("expired", at: now, agent: agent, sentence: "The offer to \(name) expired unanswered.")
                }
                conversationEvent(
                    id, "expired", type: "conversation.offerExpired",
                    [("agentId", .string(agent.rawValue)), ("missedInARow", .number(missed))], into: &step)
            case .requeued(let requeued):
                update(requeued.conversation) { view in
                    view.state = .queued
                    view.agent = nil
                    view.queue = requeued.queue
                    view.requiredSkills = requeued.waiting.requiredSkills
                    view.record("requeued", at: now, agent: requeued.previousAgent, sentence: requeued.reason.sentence)
                }
                touchedQueues.insert(requeued.queue)
                conversationEvent(
                    requeued.conversation, "requeued", type: "conversation.requeued",
                    [
                        ("previousAgentId", .optional(requeued.previousAgent?.rawValue)),
                        ("reason", .string(requeued.reason.rawValue)), ("sentence", .string(requeued.reason.sentence)),
                    ] + Self.waitingFields(requeued.waiting), into: &step)
            case .transferred(let id, let from, let target):
                let to: String
                switch target {
                case .queue(let queue):
                    to = "queue \(queue)"
                    update(id) { $0.queue = queue }
                    touchedQueues.insert(queue)
                case .agent(let agent): to = agentName(agent)
                }
                let sentence = "Transferred to \(to)."
                let transfer = ConversationTransfer(fromAgentId: from, to: target)
                update(id) { $0.record("transferred", at: now, agent: from, sentence: sentence, transfer: transfer) }
                conversationEvent(id, "transferred", type: "conversation.transferred", transfer.members, into: &step)
            case .closed(let id, let agent, _):
                let name = agent.map(agentName) ?? "the system"
                let state: ConversationState = wrappingUp.contains(id) ? .wrapUp : .closed
                update(id) { view in
                    view.state = state
                    view.endedAt = now
                    view.record("closed", at: now, agent: agent, sentence: "Closed by \(name).")
                }
                markEnded(id, at: now)
                conversationEvent(
                    id, "closed", type: "conversation.closed", [("agentId", .optional(agent?.rawValue))], into: &step)
            case .wrapUpStarted(let id, let agent, let endsAt):
                let name = agentName(agent)
                update(id) { $0.record("wrapUpStarted", at: now, agent: agent, sentence: "\(name) is wrapping up.") }
                conversationEvent(
                    id, "wrapup", type: "conversation.wrapUpStarted",
                    [("agentId", .string(agent.rawValue)), ("endsAt", .int(endsAt.millisecondsSinceEpoch))], into: &step
                )
            case .wrapUpEnded(let id, let agent, let disposition, let timedOut):
                update(id) {
                    if $0.state == .wrapUp { $0.state = .closed }
                    $0.record(
                        "wrapUpEnded", at: now, agent: agent,
                        sentence: timedOut ? "Wrap-up timed out." : "Wrap-up ended: \(disposition ?? "no disposition")."
                    )
                }
                conversationEvent(
                    id, "wrapup-ended", type: "conversation.wrapUpEnded",
                    [
                        ("agentId", .string(agent.rawValue)), ("disposition", .optional(disposition)),
                        ("timedOut", .bool(timedOut)),
                    ], into: &step)
            case .abandoned(let id, let queue, let waited):
                update(id) { view in
                    view.state = .abandoned
                    view.agent = nil
                    view.endedAt = now
                    view.record("abandoned", at: now, sentence: "The customer left after \(Int(waited.rounded())) s.")
                }
                markEnded(id, at: now)
                touchedQueues.insert(queue)
                queueCounters[queue, default: QueueCounters()].abandoned += 1
                conversationEvent(
                    id, "abandoned", type: "conversation.abandoned",
                    [("queue", .string(queue.rawValue)), ("waitedSeconds", .double((waited * 1000).rounded() / 1000))],
                    into: &step)
            case .agentRemoved(let id):
                step.events.append(
                    OutgoingEvent(
                        topic: "agent.\(id).removed", type: "agent.removed",
                        data: ["agentId": .string(id.rawValue), "key": .string("agent.\(id)"), "item": .null]))
            case .agentLoadChanged(let load):
                step.events.append(
                    OutgoingEvent(
                        topic: "agent.\(load.agent).load", type: "agent.load",
                        data: [
                            "agentId": .string(load.agent.rawValue), "key": .string("agent.\(load.agent)"),
                            "item": agentItem(load),
                            "presence": Self.stampJSON(engine.agent(load.agent)?.presence.stamp ?? .none),
                        ]))
            case .agentSetAway(let id, let reason):
                step.presenceRequests.append(PresenceRequest(agent: id, reason: reason))
                step.events.append(
                    OutgoingEvent(
                        topic: "agent.\(id).away", type: "agent.setAway",
                        data: ["agentId": .string(id.rawValue), "reason": .string(reason)]))
            case .stickyOwnerChanged(let customer, let owner, let reason):
                stickyCustomers.insert(customer)
                step.events.append(
                    OutgoingEvent(
                        topic: "sticky.\(customer).changed", type: "sticky.changed",
                        data: [
                            "customerId": .string(customer.rawValue), "agentId": .optional(owner?.rawValue),
                            "reason": .string(reason.rawValue), "key": .string("sticky.\(customer)"),
                            "item": stickyItem(customer),
                        ]))
            case .alertRaised(let alert):
                let key = Self.alertKey(alert.key)
                step.events.append(
                    OutgoingEvent(
                        topic: "alert.\(key).raised", type: "alert.raised",
                        data: [
                            "kind": .string(Self.alertKind(alert.key)), "sentence": .string(alert.sentence),
                            "key": .string("alert.\(key)"), "item": alertItem(alert),
                        ]))
            case .alertCleared(let alertKey):
                let key = Self.alertKey(alertKey)
                step.events.append(
                    OutgoingEvent(
                        topic: "alert.\(key).cleared", type: "alert.cleared",
                        data: [
                            "kind": .string(Self.alertKind(alertKey)), "key": .string("alert.\(key)"), "item": .null,
                        ]))
            }
        }
        for queue in touchedQueues.sorted() {
            guard let item = queueItem(queue) else { continue }
            step.events.append(
                OutgoingEvent(
                    topic: "queue.\(queue).stats", type: "queue.stats",
                    data: ["queue": .string(queue.rawValue), "key": .string("queue.\(queue)"), "item": item]))
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

    /// How a conversation waits, with what an observer needs to check the routing invariants
    /// from the stream alone (arrival order, hold deadline, the requirement of the first step).
    static func waitingFields(_ waiting: QueuedConversation) -> [(String, JSON)] {
        [
            ("heldFor", .optional(waiting.heldFor?.rawValue)),
            ("holdUntil", waiting.holdUntil.map { .int($0.millisecondsSinceEpoch) } ?? .null),
            ("aheadOfNewWork", .bool(waiting.aheadOfNewWork)),
            ("waitingSince", .int(waiting.waitingSince.millisecondsSinceEpoch)),
            ("arrivalSequence", .number(waiting.arrivalSequence)),
        ]
    }

    static func stampJSON(_ stamp: PresenceStamp) -> JSON {
        ["epoch": .number(stamp.epoch), "seq": .number(stamp.sequence)]
    }

    private func decisionFields(_ decision: RoutingDecision) -> [(String, JSON)] {
        [
            ("agentId", .string(decision.agent.rawValue)), ("customerId", .string(decision.customer.rawValue)),
            ("queue", .string(decision.queue.rawValue)), ("channel", .string(decision.channel.rawValue)),
            ("rule", .string(decision.rule.name)), ("reason", .string(decision.reason.sentence)),
            (
                "presence",
                ["epoch": .number(decision.presenceStamp.epoch), "seq": .number(decision.presenceStamp.sequence)]
            ),
        ]
    }

    private mutating func conversationEvent(
        _ id: ConversationID, _ suffix: String, type: String, _ fields: [(String, JSON)], into step: inout RouterStep
    ) {
        var data = JSONObject([("conversationId", .string(id.rawValue))] + fields)
        data["key"] = .string("conv.\(id)")
        data["item"] = views[id]?.json ?? .null
        step.events.append(OutgoingEvent(topic: "conv.\(id).\(suffix)", type: type, data: .object(data)))
    }

    private mutating func publishAgent(_ id: AgentID, type: String, topicSuffix: String, into step: inout RouterStep) {
        guard let load = engine.agentLoad(id) else { return }
        step.events.append(
            OutgoingEvent(
                topic: "agent.\(id).\(topicSuffix)", type: type,
                data: ["agentId": .string(id.rawValue), "key": .string("agent.\(id)"), "item": agentItem(load)]))
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
        var data = JSONObject([("conversationId", .string(id.rawValue))])
        for member in message.json.objectValue ?? JSONObject() { data[member.key] = member.value }
        data["key"] = .string("conv.\(id)")
        data["item"] = views[id]?.json ?? .null
        step.pendingMessages.append(
            OutgoingEvent(topic: "conv.\(id).message", type: "conversation.message", data: .object(data)))
        return number
    }

    private mutating func update(_ id: ConversationID, _ change: (inout ConversationView) -> Void) {
        guard var view = views[id] else { return }
        change(&view)
        views[id] = view
    }

    private mutating func markEnded(_ id: ConversationID, at now: RoutingInstant) {
        ended.append((id, now))
    }

    /// Forgets ended conversations older than the retention period.
    private mutating func forgetEnded(before now: RoutingInstant) {
        let cutoff = now.adding(seconds: -settings.closedRetentionSeconds)
        while endedStart < ended.count, ended[endedStart].at < cutoff {
            let id = ended[endedStart].id
            if let view = views[id], view.isEnded {
                views[id] = nil
                transcripts[id] = nil
            }
            endedStart += 1
        }
        if endedStart > 1_024 && endedStart * 2 > ended.count {
            ended.removeFirst(endedStart)
            endedStart = 0
        }
    }

    // MARK: Items (snapshot values and event items)

    private func agentName(_ id: AgentID) -> String {
        agents[id]?.name ?? id.rawValue
    }

    private func queueChannel(_ id: QueueID) -> Channel? {
        settings.routing.queues.first { $0.id == id }?.channel
    }

    func agentItem(_ load: AgentLoad) -> JSON {
        let record = engine.agent(load.agent)
        return load.json(
            name: record?.profile.name ?? load.agent.rawValue, role: record?.profile.role ?? RoleID("agent"),
            awayReason: record?.awayReason)
    }

    func stickyItem(_ customer: CustomerID) -> JSON {
        guard let owner = engine.stickyOwner(of: customer) else { return .null }
        return StickyItem(
            customerId: customer, agentId: owner.agent, lastHandledAt: owner.lastHandledAt,
            openConversations: owner.openConversations, topic: owner.topic
        ).json
    }

    func queueItem(_ queue: QueueID) -> JSON? {
        guard let statistics = engine.statistics(of: queue),
            let configuration = settings.routing.queues.first(where: { $0.id == queue })
        else { return nil }
        let counters = queueCounters[queue] ?? QueueCounters()
        return QueueItem(
            queue: queue, name: configuration.name, channel: configuration.channel, waiting: statistics.waiting,
            held: statistics.held, oldestWaitingSince: statistics.oldestWaitingSince, assigned: counters.assigned,
            assignedWithinServiceLevel: counters.assignedWithinServiceLevel, abandoned: counters.abandoned,
            serviceLevel: QueueItem.ServiceLevel(
                percent: configuration.serviceLevel.percent, withinSeconds: configuration.serviceLevel.withinSeconds)
        ).json
    }

    func alertItem(_ alert: RoutingAlert) -> JSON {
        switch alert {
        case .skillTooRare(let skill, let level, let queue, let conversation):
            RouterAlertItem.skillTooRare(
                skill: skill, minimumLevel: level, queue: queue, conversationId: conversation, sentence: alert.sentence
            ).json
        case .queueOverflow(let queue, let waiting, let maxWaiting, let overdue, let maxWaitSeconds):
            RouterAlertItem.queueOverflow(
                queue: queue, waiting: waiting, maxWaiting: maxWaiting, overdue: overdue,
                maxWaitSeconds: maxWaitSeconds, sentence: alert.sentence
            ).json
        }
    }

    static func alertKind(_ key: RoutingAlert.Key) -> String {
        switch key {
        case .skillTooRare: "skill-too-rare"
        case .queueOverflow: "queue-overflow"
        }
    }

    /// An alert's id inside topics and keys (no dots).
    static func alertKey(_ key: RoutingAlert.Key) -> String {
        switch key {
        case .skillTooRare(let skill, let level, let queue): "skill-too-rare:\(queue):\(skill):\(level)"
        case .queueOverflow(let queue): "queue-overflow:\(queue)"
        }
    }

    static func failureCode(_ error: RoutingError) -> CommandFailure.Code {
        switch error {
        case .unknownConversation, .unknownAgent, .unknownQueue: .notFound
        case .duplicateConversation, .duplicateAgent, .wrongState, .notOfferedTo, .agentCannotTake: .conflict
        case .queueClosed: .queueClosed
        default: .invalidArgument
        }
    }

    // MARK: Snapshot

    /// Every item of the router's state under `prefix`, for the state endpoint.
    public func snapshotItems(prefix: String?) -> [SnapshotItem] {
        func wanted(_ family: String) -> Bool {
            guard let prefix, !prefix.isEmpty else { return true }
            return prefix.hasPrefix(family + ".") || prefix == family || family.hasPrefix(prefix)
        }
        var items: [SnapshotItem] = []
        if wanted("conv") {
            for view in views.values.sorted(by: { $0.id < $1.id }) {
                items.append(SnapshotItem(key: "conv.\(view.id)", value: view.json))
            }
        }
        // Transcripts only when asked for by name: no event carries a `transcript.` key (a
        // transcript grows by `conversation.message` events, which carry `conv.<id>`), so a
        // snapshot of everything holds exactly the items that events keep up to date.
        if let prefix, prefix.hasPrefix("transcript") {
            for (id, messages) in transcripts.sorted(by: { $0.key < $1.key }) {
                items.append(
                    SnapshotItem(
                        key: "transcript.\(id)",
                        value: ["conversationId": .string(id.rawValue), "messages": .array(messages.map(\.json))]))
            }
        }
        if wanted("agent") {
            for id in agents.keys.sorted() {
                guard let load = engine.agentLoad(id) else { continue }
                items.append(SnapshotItem(key: "agent.\(id)", value: agentItem(load)))
            }
        }
        if wanted("sticky") {
            for customer in stickyCustomers.sorted() {
                let item = stickyItem(customer)
                if !item.isNull { items.append(SnapshotItem(key: "sticky.\(customer)", value: item)) }
            }
        }
        if wanted("queue") {
            for queue in settings.routing.queues.map(\.id).sorted() {
                if let item = queueItem(queue) { items.append(SnapshotItem(key: "queue.\(queue)", value: item)) }
            }
        }
        if wanted("alert") {
            for alert in engine.alerts {
                items.append(SnapshotItem(key: "alert.\(Self.alertKey(alert.key))", value: alertItem(alert)))
            }
        }
        return items
    }

    /// A conversation's transcript as `role` may see it: the customer's side never sees what
    /// was meant for the agent only (a supervisor's whisper).
    public func transcript(of id: ConversationID, for role: TranscriptMessage.Role) -> [TranscriptMessage]? {
        guard let messages = transcripts[id] else { return views[id] == nil ? nil : [] }
        return role == .customer ? messages.filter { $0.audience == .everyone } : messages
    }
}

/// What one input produced.
public struct RouterStep: Sendable {
    public var events: [OutgoingEvent] = []
    /// The reply to the command (`.ok([:])` for inputs that are not commands).
    public var outcome: CommandOutcome = .ok([:])
    /// Agents the engine set Away after missed offers: the presence tracker is asked to agree.
    public var presenceRequests: [PresenceRequest] = []
    /// Message events waiting to follow the routing events of the same input.
    var pendingMessages: [OutgoingEvent] = []
}

public struct PresenceRequest: Sendable, Equatable {
    public var agent: AgentID
    public var reason: String
}

/// Assignments and abandonments of one queue, counted by the router.
public struct QueueCounters: Sendable, Hashable, Codable {
    public var assigned = 0
    public var assignedWithinServiceLevel = 0
    public var abandoned = 0
}

/// The router's state as it is written to disk every so often; the journal holds the inputs since.
public struct RouterCheckpoint: Sendable, Codable {
    public var settings: RouterSettings
    public var engine: RoutingSnapshot
    public var views: [ConversationView]
    public var transcripts: [Transcript]
    public var agents: [AgentProfile]
    public var queueCounters: [QueueID: QueueCounters]?

    public struct Transcript: Sendable, Codable {
        public var id: ConversationID
        public var messages: [TranscriptMessage]
    }
}

extension Array where Element == (String, JSON) {
    fileprivate static func + (lhs: [(String, JSON)], rhs: [(String, JSON)]) -> [(String, JSON)] {
        var result = lhs
        result.append(contentsOf: rhs)
        return result
    }
}
