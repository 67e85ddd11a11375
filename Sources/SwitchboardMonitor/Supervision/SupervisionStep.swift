public import Foundation
public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardServiceKit
public import SwitchboardWorkspace

/// What one supervision command (or a conversation's end) does to the interventions in
/// progress: the ledger after it, the `monitor.*` events to publish, and the messages the router
/// must deliver (a whisper to the agent only, a barge and the join notice to everyone). Pure.
public struct SupervisionStep: Sendable {
    public var ledger: InterventionLedger
    public var events: [OutgoingEvent]
    public var routerMessages: [RouterMessage]
    /// The intervention on the conversation after the step (nil when it ended).
    public var intervention: Intervention?

    /// A `conversation.message` for the router, with the suffix of its command id (the
    /// monitor's command id plus this suffix: a retried command is delivered once).
    public struct RouterMessage: Sendable, Equatable {
        public var idSuffix: String
        public var data: JSON
        /// `agent` (a whisper) or `everyone`.
        public var audience: String
    }

    /// Applies `command` (an intervention or a stop) for `sender`, whose role the contact
    /// centre gives as `senderRole`, on a conversation of `channel`. Throws the refusal, naming
    /// the missing permission and the role that grants it.
    public static func apply(
        _ command: SupervisorCommand, to ledger: InterventionLedger, senderRole: RoleName?, channel: Channel,
        name: (AgentID) -> String, now: Date
    ) throws(SupervisionError) -> SupervisionStep? {
        var next = ledger
        let supervisionEvents: [SupervisionEvent]
        let conversation: ConversationID
        let supervisor: AgentID
        switch command {
        case .intervene(let sender, let kind, let id, let text):
            supervisionEvents = try next.intervene(
                sender: sender, senderRole: senderRole, kind: kind, conversation: id, channel: channel, text: text,
                now: now)
            (conversation, supervisor) = (id, sender)
        case .stop(let sender, let id):
            // No role check of its own: only a sender whose role allowed an intervention has one to stop.
            supervisionEvents = try next.stop(sender: sender, conversation: id)
            (conversation, supervisor) = (id, sender)
        case .view, .reassign, .setPresence:
            return nil
        }
        return step(
            from: supervisionEvents, ledger: next, conversation: conversation, supervisor: supervisor, name: name)
    }

    /// Ends every intervention on a conversation that ended.
    public static func conversationEnded(_ conversation: ConversationID, in ledger: InterventionLedger)
        -> [SupervisionStep]
    {
        var next = ledger
        let events = next.conversationEnded(conversation)
        let supervisors = Set(
            events.compactMap { event -> AgentID? in
                if case .interventionEnded(_, let supervisor, _, _) = event { supervisor } else { nil }
            })
        guard !supervisors.isEmpty else { return [] }
        return [
            step(from: events, ledger: next, conversation: conversation, supervisor: nil, name: { $0.rawValue })
        ]
    }

    private static func step(
        from supervisionEvents: [SupervisionEvent], ledger: InterventionLedger, conversation: ConversationID,
        supervisor: AgentID?, name: (AgentID) -> String
    ) -> SupervisionStep {
        func current(_ supervisor: AgentID) -> Intervention? {
            ledger.interventions.first { $0.supervisor == supervisor && $0.conversation == conversation }
        }
        var events: [OutgoingEvent] = []
        var messages: [RouterMessage] = []
        for event in supervisionEvents {
            let sender: AgentID
            var fields: [(String, JSON)] = []
            let suffix: String
            let type: String
            switch event {
            case .interventionStarted(_, let who, let kind):
                (sender, suffix, type) = (who, "started", "monitor.interventionStarted")
                fields.append(("kind", .string(kind.rawValue)))
            case .interventionChanged(_, let who, let from, let to):
                (sender, suffix, type) = (who, "changed", "monitor.interventionChanged")
                fields += [("from", .string(from.rawValue)), ("to", .string(to.rawValue))]
            case .interventionEnded(_, let who, let kind, let reason):
                (sender, suffix, type) = (who, "ended", "monitor.interventionEnded")
                fields += [("kind", .string(kind.rawValue)), ("reason", .string(reason.rawValue))]
            case .supervisorJoined(_, let who):
                (sender, suffix, type) = (who, "joined", "monitor.supervisorJoined")
                messages.append(
                    RouterMessage(
                        idSuffix: "joined",
                        data: [
                            "conversationId": .string(conversation.rawValue), "role": "system", "author": "monitor",
                            "text": .string("\(name(who)), a supervisor, joined the conversation."),
                            "audience": "everyone",
                        ], audience: "everyone"))
            case .supervisorLeft(_, let who):
                (sender, suffix, type) = (who, "left", "monitor.supervisorLeft")
                messages.append(
                    RouterMessage(
                        idSuffix: "left",
                        data: [
                            "conversationId": .string(conversation.rawValue), "role": "system", "author": "monitor",
                            "text": .string("\(name(who)) left the conversation."), "audience": "everyone",
                        ], audience: "everyone"))
            case .messageSent(_, let who, let kind, let text, let audience):
                (sender, suffix, type) = (who, "message", "monitor.supervisorMessage")
                let routerAudience = audience.contains(.customer) ? "everyone" : "agent"
                fields += [
                    ("kind", .string(kind.rawValue)), ("text", .string(text)),
                    ("audience", .array(audience.map { .string($0.rawValue) })),
                    ("routerAudience", .string(routerAudience)),
                ]
                messages.append(
                    RouterMessage(
                        idSuffix: "message",
                        data: [
                            "conversationId": .string(conversation.rawValue), "role": "supervisor",
                            "author": .string(who.rawValue), "text": .string(text), "audience": .string(routerAudience),
                        ], audience: routerAudience))
            }
            let key = Intervention.itemKey(conversation: conversation.rawValue, supervisor: sender.rawValue)
            var data = JSONObject(
                [("conversationId", .string(conversation.rawValue)), ("supervisorId", .string(sender.rawValue))]
                    + fields)
            data["key"] = .string(key)
            data["item"] = current(sender)?.json ?? .null
            events.append(OutgoingEvent(topic: "\(key).\(suffix)", type: type, data: .object(data)))
        }
        return SupervisionStep(
            ledger: ledger, events: events, routerMessages: messages, intervention: supervisor.flatMap(current))
    }
}
