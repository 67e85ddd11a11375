public import Foundation
public import Logging
public import SwitchboardBus
public import SwitchboardRouting
import SwitchboardServiceKit
public import SwitchboardStore
public import SwitchboardTopology
import SwitchboardWire
import SwitchboardWorkspace

/// The monitor's single writer. One loop takes whatever work is waiting (what the followed
/// services published, ticks, supervision commands, snapshot requests), applies it to the
/// followed state and the interventions ledger, recomputes the view once a second, and commits
/// the changed items as events (with the ledger and the commands' replies) in one transaction
/// before it answers. A snapshot is answered between two batches, when the published items are
/// exactly what the committed seqs say.
public actor MonitorCore: SnapshotSource {
    private var state: MonitorState
    private var ledger: InterventionLedger
    private var centre: ContactCentre
    private var alertBook = MonitorAlertBook()
    /// Every item the monitor's stream carries, as last published.
    private var published: [String: JSON] = [:]
    private var publishedAtMilliseconds: Int64 = 0
    private var routerReloadsSeen = 0
    private let settings: MonitorSettings
    private let store: AuthorityStore
    private let reloadCentre: @Sendable () throws -> ContactCentre
    private let logger: Logger
    /// Work for the loop; a batch of inputs weighs its size (what `accept` holds back on).
    private let work = Mailbox<Work>(weight: { item in
        if case .inputs(let inputs) = item { return inputs.count }
        return 0
    })

    /// Inputs waiting for the loop at most; a follower beyond it waits (and its publisher's
    /// events then wait in ZeroMQ, where a drop shows up as a gap and a new snapshot).
    public static let pendingInputsMax = 50_000
    /// Work items taken into one batch.
    public static let batchMax = 4_096
    /// An intervention on a conversation the router's stream never showed ends after this long.
    public static let unknownConversationGraceSeconds = 30.0

    private enum Work: Sendable {
        case inputs([MonitorInput])
        case tick
        case snapshot(String?, CheckedContinuation<Snapshot, Never>)
        case view(CheckedContinuation<JSON, Never>)
        case prepare(CommandRequest, ConversationFacts?, CheckedContinuation<Preparation, Never>)
        case complete(CommandRequest, Delivery, [JSON], CheckedContinuation<CommandOutcome, Never>)
    }

    /// What the loop knows of a conversation from elsewhere (the router's `conversation.explain`)
    /// when the followed state does not have it yet.
    public enum ConversationFacts: Sendable, Equatable {
        case known(channel: Channel, ended: Bool)
        case missing
    }

    /// The first half of a supervision command.
    public enum Preparation: Sendable {
        /// Done (refused, or applied with nothing to deliver).
        case answer(CommandOutcome)
        /// The conversation is not in the followed state: ask the router, then prepare again.
        case lookup(ConversationID)
        /// Authorised: deliver these messages through the router, then `complete`.
        case deliver(Delivery)
        /// Authorised: send this to the router or the presence tracker and answer with its result
        /// (`supervisor.reassign`, `supervisor.setPresence`).
        case forward(SupervisorForward, supervisor: AgentID)
    }

    /// An authorised command waiting for the router to deliver its messages.
    public struct Delivery: Sendable {
        public var command: SupervisorCommand
        public var channel: Channel
        public var now: Date
        public var messages: [SupervisionStep.RouterMessage]
    }

    /// Loads the ledger from the store.
    public init(
        store: AuthorityStore, centre: ContactCentre, followed: [ServiceName], settings: MonitorSettings,
        logger: Logger, reloadCentre: @escaping @Sendable () throws -> ContactCentre
    ) async throws {
        self.store = store
        self.centre = centre
        self.settings = settings
        self.logger = logger
        self.reloadCentre = reloadCentre
        let now = WallClock.microseconds() / 1_000
        state = MonitorState(followed: followed, startedAtMilliseconds: now)
        let policy = centre.supervision
        ledger = try await store.read { db in try InterventionTable.load(in: db, policy: policy) }
        logger.info("monitor loaded", metadata: ["interventions": "\(ledger.interventions.count)"])
    }

    // MARK: Entry points

    /// What a followed service published. Waits while the loop is far behind.
    public nonisolated func accept(_ inputs: [MonitorInput]) async {
        var waits = 0
        // Bounded: at most ten seconds of waiting, then the input is taken anyway.
        while work.weight > Self.pendingInputsMax, waits < 2_000, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(5))
            waits += 1
        }
        work.post(.inputs(inputs))
    }

    /// Time passing: the view is recomputed (waits grow, health flags rise).
    public nonisolated func tick() {
        submit(.tick)
    }

    public nonisolated func snapshot(prefix: String?) async -> Snapshot {
        await withCheckedContinuation { continuation in submit(.snapshot(prefix, continuation)) }
    }

    /// The whole view as published (`monitor.view`).
    public nonisolated func view() async -> JSON {
        await withCheckedContinuation { continuation in submit(.view(continuation)) }
    }

    public nonisolated func prepare(_ request: CommandRequest, facts: ConversationFacts?) async -> Preparation {
        await withCheckedContinuation { continuation in submit(.prepare(request, facts, continuation)) }
    }

    public nonisolated func complete(_ request: CommandRequest, _ delivery: Delivery, routerResults: [JSON]) async
        -> CommandOutcome
    {
        await withCheckedContinuation { continuation in
            submit(.complete(request, delivery, routerResults, continuation))
        }
    }

    private nonisolated func submit(_ item: Work) {
        work.post(item)
    }

    /// Runs the loop until the task is cancelled.
    public func run() async {
        for await _ in work.wakeUps {
            if Task.isCancelled { break }
            while true {
                let batch = work.take(max: Self.batchMax)
                if batch.isEmpty { break }
                await process(batch)
            }
        }
    }

    // MARK: One batch

    private struct Outgoing {
        var events: [OutgoingEvent] = []
        var replies: [(id: String, outcome: CommandOutcome)] = []
        var ledgerChanged = false
    }

    private func process(_ batch: [Work]) async {
        var outgoing = Outgoing()
        var recompute = false
        var snapshots: [(String?, CheckedContinuation<Snapshot, Never>)] = []
        var views: [CheckedContinuation<JSON, Never>] = []
        var preparations: [(CheckedContinuation<Preparation, Never>, Preparation)] = []
        var completions: [(CheckedContinuation<CommandOutcome, Never>, CommandOutcome)] = []
        let now = clock()

        for item in batch {
            switch item {
            case .inputs(let inputs):
                for input in inputs { state.apply(input, nowMilliseconds: now) }
            case .tick:
                recompute = true
            case .snapshot(let prefix, let continuation):
                snapshots.append((prefix, continuation))
            case .view(let continuation):
                views.append(continuation)
            case .prepare(let request, let facts, let continuation):
                preparations.append((continuation, prepare(request, facts: facts, into: &outgoing)))
            case .complete(let request, let delivery, let results, let continuation):
                completions.append((continuation, complete(request, delivery, results: results, into: &outgoing)))
            }
        }
        if state.routerReloads != routerReloadsSeen {
            routerReloadsSeen = state.routerReloads
            reload()
        }
        endInterventionsOfEndedConversations(into: &outgoing)
        if recompute || outgoing.ledgerChanged || published.isEmpty {
            publishView(at: now, into: &outgoing)
        }
        if !outgoing.events.isEmpty || !outgoing.replies.isEmpty || outgoing.ledgerChanged {
            let events = outgoing.events
            let replies = outgoing.replies
            let ledger = outgoing.ledgerChanged ? self.ledger : nil
            do {
                try await store.commit { transaction in
                    if let ledger { try InterventionTable.save(ledger, in: transaction.db) }
                    for event in events { try transaction.emit(topic: event.topic, type: event.type, data: event.data) }
                    for reply in replies { _ = try transaction.saveReply(id: reply.id, outcome: reply.outcome) }
                }
            } catch {
                // Memory is ahead of the disk: stop, and let `up` restart the monitor from what
                // was committed (the view is rebuilt from the followed streams).
                logger.critical("the monitor cannot commit: \(error); stopping")
                exit(70)
            }
        }
        for (continuation, preparation) in preparations { continuation.resume(returning: preparation) }
        for (continuation, outcome) in completions { continuation.resume(returning: outcome) }
        if !views.isEmpty {
            let document = MonitorDocument.assemble(items: published, atMilliseconds: publishedAtMilliseconds)
            for continuation in views { continuation.resume(returning: document) }
        }
        if !snapshots.isEmpty {
            let sequences = store.committedSequences()
            let items = published.sorted { $0.key < $1.key }.map { SnapshotItem(key: $0.key, value: $0.value) }
            for (_, continuation) in snapshots {
                continuation.resume(returning: Snapshot(items: items, epoch: store.epoch, sequences: sequences))
            }
        }
    }

    // MARK: The view

    private func publishView(at now: Int64, into outgoing: inout Outgoing) {
        state.forgetEnded(nowMilliseconds: now, retentionSeconds: settings.retentionSeconds)
        let view = MonitorView.compute(
            state: state, centre: centre, interventions: ledger.interventions, settings: settings, nowMilliseconds: now)
        let change = alertBook.update(with: view.monitorAlerts)
        let items = MonitorDocument.items(of: view, monitorAlerts: alertBook.alerts)
        for alert in change.cleared {
            let key = "alert.\(alert.id)"
            outgoing.events.append(
                OutgoingEvent(
                    topic: "\(key).cleared", type: "alert.cleared",
                    data: [
                        "kind": .string(alert.kind), "conversationId": .optional(alert.conversationId),
                        "key": .string(key), "item": .null,
                    ]))
            published[key] = nil
        }
        for alert in change.raised {
            let key = "alert.\(alert.id)"
            outgoing.events.append(
                OutgoingEvent(
                    topic: "\(key).raised", type: "alert.raised",
                    data: [
                        "kind": .string(alert.kind), "level": .optional(alert.level),
                        "sentence": .string(alert.sentence),
                        "conversationId": .optional(alert.conversationId), "key": .string(key), "item": alert.json,
                    ]))
            published[key] = alert.json
            logger.notice("alert: \(alert.sentence)")
        }
        for key in Set(items.keys).union(published.keys).sorted() where items[key] != published[key] {
            let item = items[key] ?? .null
            outgoing.events.append(Self.changeEvent(key: key, item: item))
            published[key] = items[key]
        }
        publishedAtMilliseconds = now
    }

    /// The event that carries a changed item of the view.
    static func changeEvent(key: String, item: JSON) -> OutgoingEvent {
        let parts = key.split(separator: ".", maxSplits: 2).map(String.init)
        let kind = parts.count > 1 ? parts[1] : "view"
        let id = parts.count > 2 ? parts[2] : nil
        var data = JSONObject()
        let type: String
        switch kind {
        case "queue":
            type = "monitor.queueChanged"
            data["queue"] = .optional(id)
        case "agent":
            type = "monitor.agentChanged"
            data["agentId"] = .optional(id)
        case "conversation":
            type = "monitor.healthChanged"
            data["conversationId"] = .optional(id)
        case "alert":
            type = "monitor.alertChanged"
            data["alertId"] = .optional(id)
        case "intervention":
            type = "monitor.interventionChanged"
        case "rates":
            type = "monitor.ratesChanged"
        case "sources":
            type = "monitor.sourcesChanged"
        default:
            type = "monitor.changed"
        }
        data["key"] = .string(key)
        data["item"] = item
        return OutgoingEvent(topic: "\(key).changed", type: type, data: .object(data))
    }

    private func reload() {
        do {
            centre = try reloadCentre()
            ledger.policy = centre.supervision
            logger.notice("the router reloaded the contact centre; roles and queues re-read")
        } catch {
            logger.error("the contact-centre file was refused; the monitor keeps the old one: \(error)")
        }
    }

    // MARK: Supervision

    private func prepare(_ request: CommandRequest, facts: ConversationFacts?, into outgoing: inout Outgoing)
        -> Preparation
    {
        let command: SupervisorCommand
        switch SupervisorCommand.parse(request) {
        case .failure(let failure): return .answer(.failed(failure))
        case .success(let parsed): command = parsed
        }
        let conversation: ConversationID
        switch command {
        case .view:
            return .answer(.ok(MonitorDocument.assemble(items: published, atMilliseconds: publishedAtMilliseconds)))
        case .intervene(_, _, let id, _), .stop(_, let id):
            conversation = id
        case .reassign(let sender, _, _, _), .setPresence(let sender, _, _, _):
            let centre = self.centre
            do {
                guard
                    let forward = try SupervisorForward.make(
                        command, senderRole: centre.roleName(of: sender), policy: centre.supervision, name: name(of:),
                        isAgent: { centre.agent($0) != nil })
                else { return .answer(.failed(CommandFailure(code: .internal, message: "nothing to do"))) }
                return .forward(forward, supervisor: sender)
            } catch {
                logger.info("supervision refused: \(error.message)")
                return .answer(.failed(error))
            }
        }
        let channel: Channel
        let ended: Bool
        if let known = state.conversations[conversation] {
            (channel, ended) = (known.channel, known.isOverForCustomer)
        } else if case .known(let knownChannel, let knownEnded)? = facts {
            (channel, ended) = (knownChannel, knownEnded)
        } else if let intervention = ledger.interventions.first(where: { $0.conversation == conversation }) {
            (channel, ended) = (intervention.channel, false)
        } else if facts == nil {
            return .lookup(conversation)
        } else {
            return .answer(
                .failed(CommandFailure(code: .notFound, message: "no conversation \(conversation) at the router")))
        }
        if ended, case .intervene = command {
            return .answer(
                .failed(
                    CommandFailure(
                        code: .conflict,
                        message: "conversation \(conversation) has ended; there is nothing to supervise")))
        }
        let now = Date(timeIntervalSince1970: Double(clock()) / 1_000)
        let step: SupervisionStep?
        do {
            step = try SupervisionStep.apply(
                command, to: ledger, senderRole: senderRole(command), channel: channel, name: name(of:), now: now)
        } catch {
            logger.info("supervision refused: \(error.description)")
            return .answer(.failed(error.failure))
        }
        guard let step else { return .answer(.failed(CommandFailure(code: .internal, message: "nothing to do"))) }
        if !step.routerMessages.isEmpty {
            return .deliver(Delivery(command: command, channel: channel, now: now, messages: step.routerMessages))
        }
        let outcome = CommandOutcome.ok(result(of: command, step: step, delivered: []))
        commit(step, outcome: outcome, id: request.id, into: &outgoing)
        return .answer(outcome)
    }

    private func complete(
        _ request: CommandRequest, _ delivery: Delivery, results: [JSON], into outgoing: inout Outgoing
    ) -> CommandOutcome {
        let delivered: [JSON] = zip(delivery.messages, results).map { message, result in
            ["audience": .string(message.audience), "number": result["number"] ?? .null]
        }
        do {
            guard
                let step = try SupervisionStep.apply(
                    delivery.command, to: ledger, senderRole: senderRole(delivery.command), channel: delivery.channel,
                    name: name(of:), now: delivery.now)
            else { return .failed(CommandFailure(code: .internal, message: "nothing to do")) }
            let outcome = CommandOutcome.ok(result(of: delivery.command, step: step, delivered: delivered))
            commit(step, outcome: outcome, id: request.id, into: &outgoing)
            return outcome
        } catch {
            // Another command changed the ledger while the router delivered: say what happened.
            return .failed(
                CommandFailure(
                    code: error.failure.code,
                    message:
                        "the message was delivered, but the intervention could not be recorded: \(error.description)"))
        }
    }

    private func commit(_ step: SupervisionStep, outcome: CommandOutcome, id: String, into outgoing: inout Outgoing) {
        ledger = step.ledger
        outgoing.events += step.events
        outgoing.replies.append((id, outcome))
        outgoing.ledgerChanged = true
        for event in step.events {
            guard let key = event.data["key"]?.stringValue else { continue }
            let item = event.data["item"] ?? .null
            published[key] = item.isNull ? nil : item
        }
        for event in step.events {
            logger.info(
                "\(event.type)",
                metadata: [
                    "conversation": "\(event.data["conversationId"]?.stringValue ?? "")",
                    "supervisor": "\(event.data["supervisorId"]?.stringValue ?? "")",
                ])
        }
    }

    private func result(of command: SupervisorCommand, step: SupervisionStep, delivered: [JSON]) -> JSON {
        let (supervisor, conversation): (AgentID, ConversationID)
        switch command {
        case .intervene(let who, _, let id, _), .stop(let who, let id): (supervisor, conversation) = (who, id)
        case .view, .reassign, .setPresence: return [:]
        }
        return [
            "conversationId": .string(conversation.rawValue), "supervisorId": .string(supervisor.rawValue),
            "kind": .optional(step.intervention?.kind.rawValue),
            "messagesSent": .number(step.intervention?.messagesSent ?? 0),
            "delivered": .array(delivered),
        ]
    }

    /// Ends the interventions on conversations that ended, or that the router no longer has
    /// (after a grace period: a conversation just opened may not have reached the monitor yet).
    private func endInterventionsOfEndedConversations(into outgoing: inout Outgoing) {
        guard !ledger.interventions.isEmpty, case .live? = state.sources[.router]?.status else { return }
        let graceStart = Date(timeIntervalSince1970: Double(clock()) / 1_000 - Self.unknownConversationGraceSeconds)
        let conversations = Set(ledger.interventions.map(\.conversation))
        for conversation in conversations.sorted() {
            let followed = state.conversations[conversation]
            let startedLongAgo = ledger.interventions(on: conversation).allSatisfy { $0.startedAt < graceStart }
            guard followed?.isOverForCustomer == true || (followed == nil && startedLongAgo) else { continue }
            for step in SupervisionStep.conversationEnded(conversation, in: ledger) {
                ledger = step.ledger
                outgoing.events += step.events
                outgoing.ledgerChanged = true
                for event in step.events {
                    if let key = event.data["key"]?.stringValue { published[key] = nil }
                }
            }
        }
    }

    private func senderRole(_ command: SupervisorCommand) -> RoleName? {
        switch command {
        // The contact-centre file is the one place that says who may supervise.
        case .intervene(let sender, _, _, _), .stop(let sender, _), .reassign(let sender, _, _, _),
            .setPresence(let sender, _, _, _):
            return centre.roleName(of: sender)
        case .view: return nil
        }
    }

    private func name(of agent: AgentID) -> String {
        centre.agent(agent)?.name ?? state.routerAgents[agent]?.name ?? agent.rawValue
    }

    private func clock() -> Int64 {
        WallClock.microseconds() / 1_000
    }
}
