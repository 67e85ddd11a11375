import SwitchboardRouting

/// One agent as the simulation plays them: where they are in their shift and what work the
/// router holds for them.
struct SimulatedAgent: Sendable {
    enum Phase: Sendable, Equatable {
        /// Not signed in yet.
        case signedOut
        /// Signed in and Available.
        case working
        /// Away on a break (their conversations go on; no new work comes).
        case onBreak
        /// Away at the end of their shift, finishing their conversations before signing out.
        case endingShift
        /// Signed out: Offline, no more heartbeats.
        case signedOff
    }

    let id: AgentID
    var phase: Phase = .signedOut
    /// Conversations offered to them, assigned to them, or in their wrap-up.
    var conversations: Set<ConversationID> = []
    var random: SimulationRandom

    /// True while their client is up (heartbeats go out).
    var isSignedIn: Bool { phase == .working || phase == .onBreak || phase == .endingShift }
}
