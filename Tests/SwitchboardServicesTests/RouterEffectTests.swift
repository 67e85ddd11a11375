import Foundation
import SwitchboardBus
import SwitchboardRouter
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardWire
import Testing

/// The router's state machine says what happened as typed values, without JSON or sentences.
@Suite("What the router's state machine says happened")
struct RouterEffectTests {
    let start = RoutingInstant(millisecondsSinceEpoch: 1_700_000_000_000)

    func open(_ id: String, customer: String = "cust-1", queue: String = "chat-en") -> RouterInput {
        .open(
            ConversationRequest(id: ConversationID(id), customer: CustomerID(customer), queue: QueueID(queue)),
            text: nil, intent: nil)
    }

    func available(_ agent: AgentID, sequence: UInt64) -> RouterInput {
        .presence(agent, .available, stamp: PresenceStamp(epoch: 1, sequence: sequence))
    }

    /// The changes to conversations among `effects`, each with its item's state.
    func conversationChanges(_ effects: [RouterEffect]) -> [(ConversationChange, ConversationState?)] {
        effects.compactMap { effect in
            if case .conversation(let change, let item) = effect { (change, item?.state) } else { nil }
        }
    }

    @Test("an open with a free agent is queued, then assigned to that agent by the skills rule")
    func openAssignsToTheFreeAgent() throws {
        var state = try RouterState(settings: sampleSettings(), now: start)
        _ = state.apply(available("tom", sequence: 1), at: start)
        let step = state.apply(open("c-1"), at: start.adding(seconds: 2))
        #expect(step.reply == .conversation("c-1"))
        let changes = conversationChanges(step.effects)
        #expect(changes.count == 2)
        guard case .queued(let waiting)? = changes.first?.0 else {
            Issue.record("the first change is not a queued one: \(changes.map(\.0))")
            return
        }
        #expect(waiting.queue == "chat-en" && waiting.heldFor == nil)
        #expect(changes.first?.1 == .queued, "the queued effect carries the conversation as it stood then")
        guard case .assigned(let decision, let waitedSeconds)? = changes.last?.0 else {
            Issue.record("the open was not assigned: \(changes.map(\.0))")
            return
        }
        #expect(decision.agent == "tom")
        #expect(decision.rule == .skills)
        #expect(decision.presenceStamp == PresenceStamp(epoch: 1, sequence: 1))
        #expect(waitedSeconds == 0)
        #expect(changes.last?.1 == .assigned)
        #expect(
            step.effects.contains { effect in
                if case .agentLoadChanged(let agent, _) = effect {
                    agent.agentId == "tom" && agent.load.chat == 1
                } else {
                    false
                }
            })
        #expect(
            step.effects.last.map { effect in
                if case .queueChanged(let queue) = effect {
                    queue.queue == "chat-en" && queue.assigned == 1
                } else {
                    false
                }
            } == true, "the queue's new figures close the list")
        #expect(step.presenceRequests.isEmpty)
    }

    @Test("a refused message says why as a value, and nothing happened")
    func refusedMessages() throws {
        var state = try RouterState(settings: sampleSettings(), now: start)
        let hello = TranscriptMessage(
            number: 0, role: .agent, author: "tom", text: "hi", audience: .everyone, at: .zero)
        let unknown = state.apply(.message("nope", hello), at: start)
        #expect(unknown.reply == .refused(.unknownConversation("nope")))
        #expect(unknown.effects.isEmpty)
        _ = state.apply(available("tom", sequence: 1), at: start)
        _ = state.apply(open("c-2"), at: start)
        _ = state.apply(.close("c-2"), at: start.adding(seconds: 1))
        let late = state.apply(.message("c-2", hello), at: start.adding(seconds: 2))
        #expect(late.reply == .refused(.conversationEnded("c-2", .closed)))
        let accept = state.apply(.accept("c-9", agent: "tom"), at: start.adding(seconds: 3))
        #expect(accept.reply == .refused(.routing(.unknownConversation("c-9"))))
    }

    @Test("a close with wrap-up is closed by the agent, then wrap-up starts, the item in wrap-up")
    func closeWithWrapUp() throws {
        var state = try RouterState(settings: sampleSettings(wrapUpSeconds: 10), now: start)
        _ = state.apply(available("tom", sequence: 1), at: start)
        _ = state.apply(open("c-3"), at: start)
        let step = state.apply(.close("c-3"), at: start.adding(seconds: 5))
        let changes = conversationChanges(step.effects)
        #expect(
            changes.map(\.0) == [
                .closed("c-3", agent: "tom"),
                .wrapUpStarted("c-3", agent: "tom", endsAt: start.adding(seconds: 15)),
            ])
        #expect(changes.map(\.1) == [.wrapUp, .wrapUp])
        let ended = state.apply(.endWrapUp("c-3", disposition: "resolved"), at: start.adding(seconds: 6))
        #expect(
            conversationChanges(ended.effects).map(\.0) == [
                .wrapUpEnded("c-3", agent: "tom", disposition: "resolved", timedOut: false)
            ])
    }

    @Test("removing an agent requeues their work with the reason and removes them")
    func removal() throws {
        var state = try RouterState(settings: sampleSettings(), now: start)
        _ = state.apply(available("tom", sequence: 1), at: start)
        _ = state.apply(open("c-4"), at: start)
        let step = state.apply(.removeAgent("tom"), at: start.adding(seconds: 1))
        #expect(step.reply == .agent("tom"))
        #expect(step.effects.contains(.agentRemoved("tom")))
        let requeued = step.effects.compactMap { effect -> RequeuedConversation? in
            if case .conversation(.requeued(let requeued), _) = effect { requeued } else { nil }
        }
        #expect(requeued.map(\.previousAgent) == ["tom"])
        #expect(requeued.map(\.reason) == [.agentRemoved])
    }

    @Test("the same inputs at the same times say the same things")
    func deterministic() throws {
        var first = try RouterState(settings: sampleSettings(wrapUpSeconds: 10), now: start)
        var second = first
        let inputs: [RouterInput] = [
            available("tom", sequence: 1), open("c-5"), open("c-6", customer: "cust-2"), .close("c-5"), .tick,
            .transfer("c-6", to: .queue("chat-es")),
        ]
        for (index, input) in inputs.enumerated() {
            let at = start.adding(seconds: Double(index) * 3)
            #expect(first.apply(input, at: at) == second.apply(input, at: at))
        }
    }
}

/// The events the router encodes from what happened, against docs/PROTOCOL.md §6.1.
@Suite("The router's events as the protocol document gives them")
struct RouterEventEncoderTests {
    let start = RoutingInstant(millisecondsSinceEpoch: 1_700_000_000_000)

    /// A real decision: Tom, the only one available, takes c-1 by the skills rule.
    func assignment() throws -> (decision: RoutingDecision, item: ConversationItem?) {
        var state = try RouterState(settings: sampleSettings(), now: start)
        _ = state.apply(.presence("tom", .available, stamp: PresenceStamp(epoch: 1, sequence: 7)), at: start)
        let step = state.apply(
            .open(ConversationRequest(id: "c-1", customer: "cust-1", queue: "chat-en"), text: nil, intent: nil),
            at: start)
        let found = step.effects.lazy.compactMap { effect -> (RoutingDecision, ConversationItem?)? in
            if case .conversation(.assigned(let decision, _), let item) = effect { (decision, item) } else { nil }
        }.first
        return try #require(found, "c-1 was not assigned")
    }

    @Test("an assignment is conv.<id>.assigned with the decision's fields, in order, then the key and the item")
    func assignedEvent() throws {
        let (decision, item) = try assignment()
        let event = RouterEventEncoder.event(.conversation(.assigned(decision, waitedSeconds: 1.23456), item: item))
        #expect(event.topic == "conv.c-1.assigned")
        #expect(event.type == "conversation.assigned")
        let expected: JSON = [
            "conversationId": "c-1", "agentId": "tom", "customerId": "cust-1", "queue": "chat-en", "channel": "chat",
            "rule": "skills", "reason": .string(decision.reason.sentence), "presence": ["epoch": 1, "seq": 7],
            "waitedSeconds": 1.235, "key": "conv.c-1", "item": item?.json ?? .null,
        ]
        #expect(event.data.text == expected.text)
        #expect(item?.state == .assigned && item?.agentId == "tom")
    }

    @Test("an overflow move is conv.<id>.requeued with the queue left, the limit passed and its sentence")
    func overflowRequeuedEvent() throws {
        let waiting = QueuedConversation(
            conversation: "c-1", customer: "cust-1", queue: "chat-en-cards", channel: .chat, priority: 2,
            requiredSkills: [], topic: nil, arrivalSequence: 3, waitingSince: start, aheadOfNewWork: false,
            heldFor: nil, holdUntil: nil)
        let requeued = RequeuedConversation(
            waiting: waiting, previousAgent: nil, reason: .overflowed,
            overflow: OverflowMove(fromQueue: "chat-en", cause: .waitedLongerThan(seconds: 300)))
        let event = RouterEventEncoder.event(.conversation(.requeued(requeued), item: nil))
        #expect(event.type == "conversation.requeued")
        let data = try #require(event.data.objectValue)
        #expect(data["reason"] == "overflowed")
        #expect(data["sentence"] == "Waited longer than 5 min in chat-en: moved to chat-en-cards.")
        #expect(data["overflowFromQueue"] == "chat-en")
        #expect(data["overflowMaxWaitSeconds"] == .double(300))
        #expect(data["overflowMaxWaiting"] == .null)
    }

    @Test("every router event has exactly the fields of its row in the document, and every row has an event")
    func everyEventMatchesTheDocument() throws {
        let (decision, item) = try assignment()
        let waiting = QueuedConversation(
            conversation: "c-1", customer: "cust-1", queue: "chat-en", channel: .chat, priority: 0,
            requiredSkills: [SkillRequirement("english", minimumLevel: 2)], topic: nil, arrivalSequence: 3,
            waitingSince: start, aheadOfNewWork: false, heldFor: "tom", holdUntil: start.adding(seconds: 30))
        let message = TranscriptMessage(
            number: 2, role: .agent, author: "tom", text: "Hello", audience: .everyone, at: start)
        let agent = AgentItem(agentId: "tom", name: "Tom", role: "agent", presence: .available)
        let queue = QueueItem(
            queue: "chat-en", name: "Chat", channel: .chat, serviceLevel: .init(percent: 80, withinSeconds: 20))
        let alert = RoutingAlert.queueOverflow(
            queue: "chat-en", waiting: 3, maxWaiting: 2, overdue: 0, maxWaitSeconds: nil)
        let changes: [ConversationChange] = [
            .queued(waiting), .offered(decision, expiresAt: start.adding(seconds: 20)),
            .assigned(decision, waitedSeconds: 2), .declined("c-1", agent: "tom"),
            .offerExpired("c-1", agent: "tom", missedInARow: 2),
            .requeued(RequeuedConversation(waiting: waiting, previousAgent: "tom", reason: .agentOffline)),
            .transferred("c-1", ConversationTransfer(fromAgentId: "tom", to: .queue("chat-es"))),
            .closed("c-1", agent: "tom"), .wrapUpStarted("c-1", agent: "tom", endsAt: start.adding(seconds: 10)),
            .wrapUpEnded("c-1", agent: "tom", disposition: "resolved", timedOut: false),
            .abandoned("c-1", queue: "chat-en", waitedSeconds: 40), .messageAppended("c-1", message),
        ]
        let effects: [RouterEffect] =
            changes.map { .conversation($0, item: item) } + [
                .agentLoadChanged(agent, presence: PresenceStamp(epoch: 1, sequence: 7)), .agentAdded(agent),
                .agentUpdated(agent), .agentRemoved("tom"), .agentSetAway("tom", reason: "missed 3 offers"),
                .stickyOwnerChanged(
                    "cust-1", owner: "tom", reason: .assigned,
                    item: StickyItem(customerId: "cust-1", agentId: "tom", lastHandledAt: start, openConversations: 1)),
                .queueChanged(queue), .alertRaised(alert), .alertCleared(alert.key),
                .reloaded(queues: 2, agentsAdded: 1, agentsUpdated: 0, agentsRemoved: 0),
            ]
        let rows = try RouterEventTable.rows()
        #expect(rows.count == 22, "the table's rows, added and updated counted apart")
        var matched: Set<String> = []
        for event in RouterEventEncoder.events(effects) {
            guard let row = rows.first(where: { $0.type == event.type }) else {
                Issue.record("\(event.type) is not in the document's table")
                continue
            }
            matched.insert(row.type)
            #expect(row.matches(topic: event.topic), "\(event.topic) against \(row.topic)")
            let fields = Set((event.data.objectValue ?? JSONObject()).map(\.key))
            #expect(
                row.matches(fields: fields), "\(event.type) has \(fields.sorted()); the document gives \(row.fields)")
        }
        #expect(Set(rows.map(\.type)).subtracting(matched).isEmpty, "rows with no event checked")
    }
}

extension RouterEffectTests {
    @Test("a commit publishes each queue once, as the commit left it, where its other events stand")
    func oneQueueStatsPerQueuePerCommit() {
        let level = QueueItem.ServiceLevel(percent: 80, withinSeconds: 20)
        func queue(_ id: QueueID, waiting: Int) -> RouterEffect {
            .queueChanged(
                QueueItem(queue: id, name: id.rawValue, channel: .chat, waiting: waiting, serviceLevel: level))
        }
        let effects: [RouterEffect] = [
            queue("chat-en", waiting: 1), .agentRemoved("tom"), queue("chat-es", waiting: 5),
            queue("chat-en", waiting: 2), .agentRemoved("ann"), queue("chat-en", waiting: 3),
        ]
        let events = RouterEventEncoder.commitEvents(effects)
        #expect(
            events.map(\.topic) == [
                "agent.tom.removed", "queue.chat-es.stats", "agent.ann.removed", "queue.chat-en.stats",
            ])
        let waiting = events.compactMap { $0.data["item"]?["waiting"]?.intValue }
        #expect(waiting == [5, 3], "each queue's last item")
        #expect(RouterEventEncoder.events(effects).count == effects.count, "one event per effect otherwise")
    }
}

/// The router's table of events in docs/PROTOCOL.md §6.1: topic, type and the data's fields.
struct RouterEventTable {
    struct Row {
        var topic: String
        var type: String
        /// Each group is one field, or fields of which exactly one is there (`toQueue` or `toAgentId`).
        var fields: [[String]]

        func matches(fields actual: Set<String>) -> Bool {
            fields.allSatisfy { group in group.filter(actual.contains).count == 1 }
                && actual.isSubset(of: Set(fields.joined()))
        }

        /// `<…>` in the document's topic stands for one id (no dots).
        func matches(topic actual: String) -> Bool {
            let pattern =
                "^"
                + topic.replacingOccurrences(of: ".", with: "\\.")
                .replacingOccurrences(of: #"<[^>]*>"#, with: "[^.]+", options: .regularExpression) + "$"
            return actual.range(of: pattern, options: .regularExpression) != nil
        }
    }

    static func rows() throws -> [Row] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/PROTOCOL.md")
        let document = try String(contentsOf: url, encoding: .utf8)
        guard let section = document.range(of: "| topic | type | data besides conversationId/key/item |") else {
            return []
        }
        var rows: [Row] = []
        for line in document[section.upperBound...].split(separator: "\n").dropFirst() {
            guard line.hasPrefix("| `") else { break }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3 else { continue }
            let topics = Array(names(cells[0], fieldsOnly: false).joined())
            let types = Array(names(cells[1], fieldsOnly: false).joined())
            var fields = names(cells[2], fieldsOnly: true)
            if types.first?.hasPrefix("conversation.") == true { fields += [["conversationId"], ["key"], ["item"]] }
            for (index, type) in types.enumerated() {
                // `agent.<id>.added` / `.updated`: the second topic is the first's with its last part changed.
                var topic = topics[min(index, topics.count - 1)]
                if topic.hasPrefix("."),
                    let stem = topics.first?.split(separator: ".").dropLast().joined(separator: ".")
                {
                    topic = stem + topic
                }
                rows.append(Row(topic: topic, type: type, fields: fields))
            }
        }
        return rows
    }

    /// The backquoted names of a cell, a name after "or" grouped with the one before; as fields,
    /// `presence:{epoch,seq}` is `presence`, `item: null` is `item`, and "as in `queued`" names no field.
    static func names(_ cell: String, fieldsOnly: Bool) -> [[String]] {
        var names: [[String]] = []
        var rest = Substring(cell)
        while let open = rest.firstIndex(of: "`") {
            let before = rest[..<open]
            rest = rest[rest.index(after: open)...]
            guard let close = rest.firstIndex(of: "`") else { break }
            let name = String(rest[..<close])
            rest = rest[rest.index(after: close)...]
            guard fieldsOnly else {
                names.append([name])
                continue
            }
            if before.hasSuffix("as in ") { continue }
            let field = String(name.prefix { $0.isLetter || $0.isNumber })
            if before.hasSuffix(" or "), !names.isEmpty {
                names[names.count - 1].append(field)
            } else {
                names.append([field])
            }
        }
        return names
    }
}
