import Foundation
public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardServiceKit
public import SwitchboardWire

/// Turns what happened at the router (`RouterEffect`) into its bus events, and its answers
/// (`RouterReply`) into command replies: topics, keys, event types, JSON and wording live here,
/// apart from the state machine (docs/PROTOCOL.md §6.1 is the contract). Pure functions of
/// their arguments, so the shell can run them anywhere, and they never run on journal replay.
public enum RouterEventEncoder {
    /// The events of `effects`, in order (one event per effect).
    public static func events(_ effects: [RouterEffect]) -> [OutgoingEvent] {
        effects.map(event)
    }

    /// The events of one commit's effects, in order, with one `queue.stats` per queue: the
    /// last, as the commit left the queue. A queue changes at nearly every open and close, and
    /// its item alone is its event (no fields of its own), so the items before the last in the
    /// same commit tell a consumer nothing it keeps: no snapshot can fall between them.
    public static func commitEvents(_ effects: [RouterEffect]) -> [OutgoingEvent] {
        var lastChange: [QueueID: Int] = [:]
        for (index, effect) in effects.enumerated() {
            if case .queueChanged(let item) = effect { lastChange[item.queue] = index }
        }
        var events: [OutgoingEvent] = []
        events.reserveCapacity(effects.count)
        for (index, effect) in effects.enumerated() {
            if case .queueChanged(let item) = effect, lastChange[item.queue] != index { continue }
            events.append(event(effect))
        }
        return events
    }

    public static func event(_ effect: RouterEffect) -> OutgoingEvent {
        switch effect {
        case .conversation(let change, let item):
            return conversationEvent(change, item: item)
        case .agentAdded(let item):
            return agentEvent(item, type: "agent.added", topicSuffix: "added")
        case .agentUpdated(let item):
            return agentEvent(item, type: "agent.updated", topicSuffix: "updated")
        case .agentRemoved(let id):
            return OutgoingEvent(
                topic: "agent.\(id).removed", type: "agent.removed",
                data: ["agentId": .string(id.rawValue), "key": .string("agent.\(id)"), "item": .null])
        case .agentLoadChanged(let item, let presence):
            return OutgoingEvent(
                topic: "agent.\(item.agentId).load", type: "agent.load",
                data: [
                    "agentId": .string(item.agentId.rawValue), "key": .string("agent.\(item.agentId)"),
                    "item": item.json, "presence": stampJSON(presence),
                ])
        case .agentSetAway(let id, let reason):
            return OutgoingEvent(
                topic: "agent.\(id).away", type: "agent.setAway",
                data: ["agentId": .string(id.rawValue), "reason": .string(reason)])
        case .stickyOwnerChanged(let customer, let owner, let reason, let item):
            return OutgoingEvent(
                topic: "sticky.\(customer).changed", type: "sticky.changed",
                data: [
                    "customerId": .string(customer.rawValue), "agentId": .optional(owner?.rawValue),
                    "reason": .string(reason.rawValue), "key": .string("sticky.\(customer)"),
                    "item": item?.json ?? .null,
                ])
        case .alertRaised(let alert):
            let key = alertKey(alert.key)
            return OutgoingEvent(
                topic: "alert.\(key).raised", type: "alert.raised",
                data: [
                    "kind": .string(alertKind(alert.key)), "sentence": .string(alert.sentence),
                    "key": .string("alert.\(key)"), "item": alertItem(alert).json,
                ])
        case .alertCleared(let alertKey):
            let key = Self.alertKey(alertKey)
            return OutgoingEvent(
                topic: "alert.\(key).cleared", type: "alert.cleared",
                data: ["kind": .string(alertKind(alertKey)), "key": .string("alert.\(key)"), "item": .null])
        case .queueChanged(let item):
            return OutgoingEvent(
                topic: "queue.\(item.queue).stats", type: "queue.stats",
                data: ["queue": .string(item.queue.rawValue), "key": .string(item.key), "item": item.json])
        case .reloaded(let queues, let added, let updated, let removed):
            return OutgoingEvent(
                topic: "sys.router.reloaded", type: "router.reloaded",
                data: [
                    "queues": .number(queues), "agentsAdded": .number(added), "agentsUpdated": .number(updated),
                    "agentsRemoved": .number(removed),
                ])
        }
    }

    /// The command reply of `reply`.
    public static func outcome(_ reply: RouterReply) -> CommandOutcome {
        switch reply {
        case .applied: .ok([:])
        case .conversation(let id): .ok(["conversationId": .string(id.rawValue)])
        case .accepted(let id, let agent):
            .ok(["conversationId": .string(id.rawValue), "agentId": .string(agent.rawValue)])
        case .messageAppended(let id, let number):
            .ok(["conversationId": .string(id.rawValue), "number": .number(number)])
        case .agent(let id): .ok(["agentId": .string(id.rawValue)])
        case .reloaded(let added, let updated, let removed):
            .ok([
                "agentsAdded": .number(added), "agentsUpdated": .number(updated), "agentsRemoved": .number(removed),
            ])
        case .refused(let refusal): .failed(failure(refusal))
        }
    }

    static func failure(_ refusal: RouterReply.Refusal) -> CommandFailure {
        switch refusal {
        case .routing(let error):
            CommandFailure(code: failureCode(error), message: error.description)
        case .unknownConversation(let id):
            CommandFailure(code: .notFound, message: "no conversation \(id); open it first")
        case .conversationEnded(let id, let state):
            CommandFailure(code: .conflict, message: "conversation \(id) is \(state.rawValue); messages are closed")
        case .transcriptFull(let id, let messagesMax):
            CommandFailure(
                code: .invalidArgument,
                message: "conversation \(id) already has \(messagesMax) messages; close it and open a new one")
        case .settingsRefused(let error):
            CommandFailure(
                code: .invalidArgument,
                message: "the new contact-centre file was refused: \(error); the old one stays in force")
        case .queueClosed(let queue, let opensAt, let zone):
            queueClosed(queue, opensAt: opensAt, timeZone: zone)
        }
    }

    /// `queue_closed`, said as the customer's channel can show it ("opens Monday 30 March 08:00
    /// (Europe/Paris)"), with the same facts as fields for a program.
    static func queueClosed(_ queue: QueueID, opensAt: RoutingInstant?, timeZone: TimeZone) -> CommandFailure {
        guard let opensAt else {
            return CommandFailure(
                code: .queueClosed,
                message: "queue \(queue) is closed and does not open within the next 400 days; open the conversation "
                    + "in a queue that is open now",
                details: JSONObject([("queue", .string(queue.rawValue)), ("timeZone", .string(timeZone.identifier))]))
        }
        let local = localWords(opensAt, timeZone: timeZone)
        let utc = RoutingError.utc(opensAt)
        return CommandFailure(
            code: .queueClosed,
            message: "queue \(queue) is closed; it opens \(local) (\(timeZone.identifier)), \(utc); open the "
                + "conversation then, or in a queue that is open now",
            details: JSONObject([
                ("queue", .string(queue.rawValue)), ("opensAt", .string(utc)), ("opensAtLocal", .string(local)),
                ("timeZone", .string(timeZone.identifier)),
            ]))
    }

    /// An instant as a queue's local time reads it: "Monday 30 March 08:00".
    static func localWords(_ instant: RoutingInstant, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEEE d MMMM HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000))
    }

    static func failureCode(_ error: RoutingError) -> CommandFailure.Code {
        switch error {
        case .unknownConversation, .unknownAgent, .unknownQueue: .notFound
        case .duplicateConversation, .duplicateAgent, .wrongState, .notOfferedTo, .agentCannotTake: .conflict
        case .queueClosed: .queueClosed
        default: .invalidArgument
        }
    }

    // MARK: Conversations

    /// `conv.<id>.<suffix>`: the conversation id, the change's own fields, then the key and
    /// the conversation as it stood after the change.
    static func conversationEvent(_ change: ConversationChange, item: ConversationItem?) -> OutgoingEvent {
        let id = change.conversation
        var data = JSONObject([("conversationId", .string(id.rawValue))])
        let (suffix, type, fields) = conversationFields(change)
        for (name, value) in fields { data[name] = value }
        data["key"] = .string("conv.\(id)")
        data["item"] = item?.json ?? .null
        return OutgoingEvent(topic: "conv.\(id).\(suffix)", type: type, data: .object(data))
    }

    /// The topic suffix, the event type and the fields of a change.
    static func conversationFields(_ change: ConversationChange) -> (String, String, [(String, JSON)]) {
        switch change {
        case .queued(let waiting):
            return ("queued", "conversation.queued", waitingFields(waiting))
        case .offered(let decision, let expiresAt):
            var fields = decisionFields(decision)
            fields.append(("expiresAt", .int(expiresAt.millisecondsSinceEpoch)))
            return ("offered", "conversation.offered", fields)
        case .assigned(let decision, let waited):
            var fields = decisionFields(decision)
            fields.append(("waitedSeconds", .double(milliseconds(waited))))
            return ("assigned", "conversation.assigned", fields)
        case .declined(_, let agent):
            return ("declined", "conversation.declined", [("agentId", .string(agent.rawValue))])
        case .offerExpired(_, let agent, let missed):
            return (
                "expired", "conversation.offerExpired",
                [("agentId", .string(agent.rawValue)), ("missedInARow", .number(missed))]
            )
        case .requeued(let requeued):
            var fields: [(String, JSON)] = [
                ("previousAgentId", .optional(requeued.previousAgent?.rawValue)),
                ("reason", .string(requeued.reason.rawValue)), ("sentence", .string(requeued.sentence)),
            ]
            // An overflow move as facts (null otherwise), so an observer checks it without
            // reading the sentence.
            var maxWaitSeconds = JSON.null
            var maxWaiting = JSON.null
            var cause = JSON.null
            switch requeued.overflow?.cause {
            case .waitedLongerThan(let seconds):
                maxWaitSeconds = .double(seconds)
                cause = "wait-limit"
            case .queueFull(let most):
                maxWaiting = .int(Int64(most))
                cause = "queue-full"
            case .queueClosed: cause = "queue-closed"
            case nil: break
            }
            fields += [
                ("overflowFromQueue", .optional(requeued.overflow?.fromQueue.rawValue)), ("overflowCause", cause),
                ("overflowMaxWaitSeconds", maxWaitSeconds), ("overflowMaxWaiting", maxWaiting),
            ]
            fields.append(contentsOf: waitingFields(requeued.waiting))
            return ("requeued", "conversation.requeued", fields)
        case .transferred(_, let transfer):
            return ("transferred", "conversation.transferred", transfer.members)
        case .closed(_, let agent):
            return ("closed", "conversation.closed", [("agentId", .optional(agent?.rawValue))])
        case .wrapUpStarted(_, let agent, let endsAt):
            return (
                "wrapup", "conversation.wrapUpStarted",
                [("agentId", .string(agent.rawValue)), ("endsAt", .int(endsAt.millisecondsSinceEpoch))]
            )
        case .wrapUpEnded(_, let agent, let disposition, let timedOut):
            return (
                "wrapup-ended", "conversation.wrapUpEnded",
                [
                    ("agentId", .string(agent.rawValue)), ("disposition", .optional(disposition)),
                    ("timedOut", .bool(timedOut)),
                ]
            )
        case .abandoned(_, let queue, let waited):
            return (
                "abandoned", "conversation.abandoned",
                [
                    ("queue", .string(queue.rawValue)), ("waitedSeconds", .double(milliseconds(waited))),
                    ("cause", .string("customer")), ("opensAt", .null), ("opensAtLocal", .null), ("timeZone", .null),
                ]
            )
        case .turnedAway(_, let queue, let waited, let opensAt, let timeZone):
            // The same facts as a closed queue's refusal of new work, so a channel words both alike.
            return (
                "abandoned", "conversation.abandoned",
                [
                    ("queue", .string(queue.rawValue)), ("waitedSeconds", .double(milliseconds(waited))),
                    ("cause", .string("queue-closed")), ("opensAt", .optional(opensAt.map(RoutingError.utc))),
                    ("opensAtLocal", .optional(opensAt.map { localWords($0, timeZone: timeZone) })),
                    ("timeZone", .string(timeZone.identifier)),
                ]
            )
        case .messageAppended(_, let message):
            // The message's own members (number, role, author, text, audience, at).
            return (
                "message", "conversation.message", (message.json.objectValue ?? JSONObject()).map { ($0.key, $0.value) }
            )
        }
    }

    /// Seconds to the millisecond, as the wire writes durations.
    static func milliseconds(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }

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

    static func decisionFields(_ decision: RoutingDecision) -> [(String, JSON)] {
        [
            ("agentId", .string(decision.agent.rawValue)), ("customerId", .string(decision.customer.rawValue)),
            ("queue", .string(decision.queue.rawValue)), ("channel", .string(decision.channel.rawValue)),
            ("rule", .string(decision.rule.name)), ("reason", .string(decision.reason.sentence)),
            ("presence", stampJSON(decision.presenceStamp)),
        ]
    }

    static func stampJSON(_ stamp: PresenceStamp) -> JSON {
        ["epoch": .number(stamp.epoch), "seq": .number(stamp.sequence)]
    }

    // MARK: Agents and alerts

    static func agentEvent(_ item: AgentItem, type: String, topicSuffix: String) -> OutgoingEvent {
        OutgoingEvent(
            topic: "agent.\(item.agentId).\(topicSuffix)", type: type,
            data: [
                "agentId": .string(item.agentId.rawValue), "key": .string("agent.\(item.agentId)"), "item": item.json,
            ])
    }

    /// The `alert.<key>` item of an alert.
    public static func alertItem(_ alert: RoutingAlert) -> RouterAlertItem {
        switch alert {
        case .skillTooRare(let skill, let level, let queue, let conversation):
            .skillTooRare(
                skill: skill, minimumLevel: level, queue: queue, conversationId: conversation, sentence: alert.sentence)
        case .queueOverflow(let queue, let waiting, let maxWaiting, let overdue, let maxWaitSeconds):
            .queueOverflow(
                queue: queue, waiting: waiting, maxWaiting: maxWaiting, overdue: overdue,
                maxWaitSeconds: maxWaitSeconds, sentence: alert.sentence)
        }
    }

    static func alertKind(_ key: RoutingAlert.Key) -> String {
        switch key {
        case .skillTooRare: "skill-too-rare"
        case .queueOverflow: "queue-overflow"
        }
    }

    /// An alert's id inside topics and keys (no dots).
    public static func alertKey(_ key: RoutingAlert.Key) -> String {
        switch key {
        case .skillTooRare(let skill, let level, let queue): "skill-too-rare:\(queue):\(skill):\(level)"
        case .queueOverflow(let queue): "queue-overflow:\(queue)"
        }
    }
}
