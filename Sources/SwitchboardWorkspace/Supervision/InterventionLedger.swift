public import Foundation
public import SwitchboardRouting

/// The interventions in progress, as the monitor keeps them (it is their single writer).
/// Every command is checked against the sender's role first; a refused command changes nothing.
public struct InterventionLedger: Codable, Sendable, Equatable {
    /// Supervisors watching one conversation at once.
    public static let supervisorsPerConversationMax = 5
    /// Interventions in progress over the whole contact centre.
    public static let interventionsMax = 10_000
    /// One supervisor message, in UTF-8 bytes.
    public static let messageBytesMax = 16 * 1024

    public var policy: SupervisionPolicy
    public internal(set) var interventions: [Intervention]

    public init(policy: SupervisionPolicy) {
        self.policy = policy
        self.interventions = []
    }

    public func interventions(on conversation: ConversationID) -> [Intervention] {
        interventions.filter { $0.conversation == conversation }
    }

    /// Starts or escalates `sender`'s intervention, and sends `text` when the kind speaks.
    ///
    /// - observe, listen: start (or step back to) silent monitoring; text is refused.
    /// - whisper: sends `text` to the agent only; the supervisor keeps monitoring (a supervisor
    ///   who barged stays in the conversation and can still whisper to the agent).
    /// - barge: joins the conversation (the customer is told), then sends `text` if given.
    public mutating func intervene(
        sender: AgentID, senderRole: RoleName?, kind: InterventionKind, conversation: ConversationID,
        channel: Channel, text: String? = nil, now: Date
    ) throws(SupervisionError) -> [SupervisionEvent] {
        try policy.authorize(
            sender: sender, senderRole: senderRole, kind: kind, conversation: conversation, channel: channel)
        if kind.isSilent, text != nil {
            throw .silentKindCarriesNoText(conversation: conversation, kind: kind)
        }
        if kind == .whisper, text?.contains(where: { !$0.isWhitespace }) != true {
            throw .messageRequired(conversation: conversation, kind: kind)
        }
        if let text, text.utf8.count > Self.messageBytesMax {
            throw .messageTooLarge(conversation: conversation, bytes: text.utf8.count, bytesMax: Self.messageBytesMax)
        }
        var events: [SupervisionEvent] = []
        let index: Int
        if let existing = position(of: sender, on: conversation) {
            index = existing
            let current = interventions[index].kind
            // A whisper does not take a barged supervisor out of the conversation.
            let next = kind == .whisper && current == .barge ? current : kind
            if next != current {
                interventions[index].kind = next
                events.append(
                    .interventionChanged(conversation: conversation, supervisor: sender, from: current, to: next))
                if current == .barge { events.append(.supervisorLeft(conversation: conversation, supervisor: sender)) }
                if next == .barge { events.append(.supervisorJoined(conversation: conversation, supervisor: sender)) }
            }
        } else {
            guard interventions.count < Self.interventionsMax else {
                throw .tooManyInterventions(interventionsMax: Self.interventionsMax)
            }
            guard interventions(on: conversation).count < Self.supervisorsPerConversationMax else {
                throw .tooManySupervisors(
                    conversation: conversation, supervisorsMax: Self.supervisorsPerConversationMax)
            }
            interventions.append(
                Intervention(
                    supervisor: sender, conversation: conversation, channel: channel, kind: kind, startedAt: now,
                    messagesSent: 0))
            index = interventions.count - 1
            events.append(.interventionStarted(conversation: conversation, supervisor: sender, kind: kind))
            if kind == .barge { events.append(.supervisorJoined(conversation: conversation, supervisor: sender)) }
        }
        if let text, !kind.isSilent, text.contains(where: { !$0.isWhitespace }) {
            interventions[index].messagesSent += 1
            let audience = MessageVisibility.audience(of: kind).sorted()
            events.append(
                .messageSent(conversation: conversation, supervisor: sender, kind: kind, text: text, audience: audience)
            )
        }
        return events
    }

    /// Ends `sender`'s intervention on `conversation`.
    public mutating func stop(sender: AgentID, conversation: ConversationID) throws(SupervisionError)
        -> [SupervisionEvent]
    {
        guard let index = position(of: sender, on: conversation) else {
            throw .notIntervening(sender: sender, conversation: conversation)
        }
        return end(at: index, reason: .stoppedBySupervisor)
    }

    /// Ends every intervention on a conversation that closed.
    public mutating func conversationEnded(_ conversation: ConversationID) -> [SupervisionEvent] {
        var events: [SupervisionEvent] = []
        while let index = interventions.firstIndex(where: { $0.conversation == conversation }) {
            events += end(at: index, reason: .conversationEnded)
        }
        return events
    }

    private mutating func end(at index: Int, reason: InterventionEndReason) -> [SupervisionEvent] {
        let intervention = interventions.remove(at: index)
        var events: [SupervisionEvent] = []
        if intervention.kind == .barge, reason == .stoppedBySupervisor {
            events.append(.supervisorLeft(conversation: intervention.conversation, supervisor: intervention.supervisor))
        }
        events.append(
            .interventionEnded(
                conversation: intervention.conversation, supervisor: intervention.supervisor, kind: intervention.kind,
                reason: reason))
        return events
    }

    private func position(of supervisor: AgentID, on conversation: ConversationID) -> Int? {
        interventions.firstIndex { $0.supervisor == supervisor && $0.conversation == conversation }
    }
}
