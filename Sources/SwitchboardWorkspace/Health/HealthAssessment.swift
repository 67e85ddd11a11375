public import SwitchboardRouting

/// How urgently a supervisor should look.
public enum EscalationLevel: String, Codable, Sendable, Hashable, Comparable {
    /// One thing is off: keep an eye on it.
    case watch
    /// Several things are off, or one badly: step in.
    case intervene

    public static func < (lhs: EscalationLevel, rhs: EscalationLevel) -> Bool {
        lhs == .watch && rhs == .intervene
    }
}

/// An escalation flag on the supervisor's view, with the sentence that explains it.
public struct Escalation: Codable, Sendable, Equatable {
    public var level: EscalationLevel
    /// "Intervene: customer waiting 4m10s for a reply; transferred 3 times."
    public var reason: String
}

/// The health of one conversation at one moment.
public struct HealthAssessment: Codable, Sendable, Equatable {
    public var conversation: ConversationID
    /// Flags in a stable order (by kind).
    public var flags: [HealthFlag]
    /// Nil when the conversation is healthy.
    public var escalation: Escalation?

    public var flagKinds: [HealthFlagKind] { flags.map(\.kind) }
    public var isHealthy: Bool { flags.isEmpty }
}

/// What changed between two assessments of a conversation: the monitor raises an alert for
/// each flag raised, clears it when it goes, and stays quiet while flags merely persist.
public struct HealthChange: Codable, Sendable, Equatable {
    public var raised: [HealthFlagKind]
    public var cleared: [HealthFlagKind]
    /// The escalation level went up (or appeared); the monitor raises `alert.escalated`.
    public var escalated: Bool

    public var isEmpty: Bool { raised.isEmpty && cleared.isEmpty && !escalated }
}
