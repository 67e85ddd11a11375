public import Foundation

/// A party of a conversation who can receive its messages.
public enum Recipient: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case customer
    /// The agent the conversation is assigned to.
    case agent

    public static func < (lhs: Recipient, rhs: Recipient) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// Who wrote a transcript message.
public enum TranscriptAuthor: Codable, Sendable, Hashable {
    case customer
    case agent
    /// A supervisor, speaking under an intervention of this kind.
    case supervisor(kind: InterventionKind)
    /// The system (joins, transfers, closing notices).
    case system
}

/// One message of a conversation's transcript as the supervision rules see it: who wrote it,
/// and under which intervention a supervisor wrote it. A different concept from the bus's
/// `TranscriptMessage` (SwitchboardWire: number, role, audience as the router stores them),
/// which this library does not depend on; no process reads this type from the bus, so nothing
/// converts the wire's message into it.
public struct TranscriptMessage: Codable, Sendable, Equatable {
    public var author: TranscriptAuthor
    public var text: String
    public var sentAt: Date

    public init(author: TranscriptAuthor, text: String, sentAt: Date) {
        self.author = author
        self.text = text
        self.sentAt = sentAt
    }
}

/// Who may see each transcript message. Visibility is decided here, once: the monitor sends a
/// supervisor's message to the router with the `audience` this gives (`agent` for a whisper,
/// `everyone` for a barge). From then on the field travels with the message: the router
/// leaves `audience: agent` out of a transcript asked for as the customer, and its event
/// stream carries every message to every subscriber (pub/sub is not access control), so a
/// consumer that shows a customer their conversation filters on the field itself, as the
/// web gateway does. Supervisors watching a conversation see its whole transcript through the
/// monitor; the audience below is about the conversation's own parties.
public enum MessageVisibility {
    /// The parties who receive a message by `author`.
    ///
    /// - customer, agent, system: both parties.
    /// - whisper: the agent only; the customer never sees it.
    /// - barge: the customer and the agent.
    /// - observe, listen: nobody; these interventions are silent and carry no messages.
    public static func audience(of author: TranscriptAuthor) -> Set<Recipient> {
        switch author {
        case .customer, .agent, .system: [.customer, .agent]
        case .supervisor(let kind): audience(of: kind)
        }
    }

    /// The parties who receive a supervisor's message sent under `kind`.
    public static func audience(of kind: InterventionKind) -> Set<Recipient> {
        switch kind {
        case .whisper: [.agent]
        case .barge: [.customer, .agent]
        case .observe, .listen: []
        }
    }

    public static func isVisible(_ message: TranscriptMessage, to recipient: Recipient) -> Bool {
        audience(of: message.author).contains(recipient)
    }

    /// The transcript as `recipient` may see it, in order.
    public static func transcript(_ messages: [TranscriptMessage], as recipient: Recipient) -> [TranscriptMessage] {
        messages.filter { isVisible($0, to: recipient) }
    }
}
