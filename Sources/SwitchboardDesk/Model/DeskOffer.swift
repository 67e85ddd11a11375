public import Foundation
public import SwitchboardRouting
public import SwitchboardWorkspace

/// An offer the router made to the agent. It holds their capacity until they accept or
/// decline it through the desk, or until it expires; meanwhile the desk shows it as a pending
/// action above the sessions. It is not a session yet: the session opens on assignment.
public struct DeskOffer: Codable, Sendable, Equatable {
    /// The work the session will hold once the offer is accepted.
    public var item: WorkItem
    /// The routing rule that chose the agent (`skills`, `sticky`, …).
    public var rule: String?
    /// The router's one-sentence reason.
    public var reason: String?
    /// When the router made the offer (nil when only a snapshot told of it).
    public var offeredAt: Date?
    /// When the router withdraws it unanswered (nil when only a snapshot told of it).
    public var expiresAt: Date?

    public var conversation: ConversationID { item.conversation }

    public init(item: WorkItem, rule: String?, reason: String?, offeredAt: Date?, expiresAt: Date?) {
        self.item = item
        self.rule = rule
        self.reason = reason
        self.offeredAt = offeredAt
        self.expiresAt = expiresAt
    }
}

/// Why an offer left the agent's desk.
public enum OfferEndReason: String, Codable, Sendable, Hashable {
    /// The agent accepted it: the session opened.
    case accepted
    case declined
    /// Nobody answered before `expiresAt`.
    case expired
    /// The router took it back (the agent went Away or Offline, a transfer).
    case requeued
    case transferred
    /// The customer left while it was offered.
    case abandoned
    /// The router's state, read again after a gap or a restart, no longer holds it.
    case withdrawn

    init(_ reason: WorkEndReason) {
        switch reason {
        case .closed: self = .withdrawn
        case .transferred: self = .transferred
        case .abandoned: self = .abandoned
        case .requeued: self = .requeued
        }
    }
}
