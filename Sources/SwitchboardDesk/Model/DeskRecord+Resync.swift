public import Foundation
import SwitchboardRouting
import SwitchboardWorkspace

extension DeskRecord {
    /// Brings the desk up to date with the router's state, after a sign-in, a restart of
    /// either process, or a gap in the router's stream: offers the router no longer holds
    /// go and new ones come; sessions whose work ended or moved meanwhile close; work assigned
    /// to the agent without a session opens (except the items the agent set aside); messages
    /// that arrived meanwhile count as unread. Applying it twice changes nothing more.
    public mutating func resync(with mirror: RouterMirror, now: Date) -> [DeskEvent] {
        var events: [DeskEvent] = []
        let heldOffers = mirror.offers(for: agent)
        for offer in offers where !heldOffers.contains(where: { $0.conversation == offer.conversation }) {
            let known = mirror.conversation(offer.conversation)
            let accepted = known?.state == .assigned && known?.agent == agent
            events += removeOffer(offer.conversation, reason: accepted ? .accepted : .withdrawn)
        }
        for offer in heldOffers { events += apply(.offered(offer), now: now) }

        for conversation in workspace.sessions.map(\.id) {
            guard let known = mirror.conversation(conversation) else {
                // Ended while the desk was not listening (the mirror keeps open work only).
                events += apply(.conversationClosed(conversation), now: now)
                continue
            }
            switch known.state {
            case .assigned where known.agent == agent:
                continue
            case .wrapUp where known.agent == agent:
                events += apply(.conversationClosed(conversation), now: now)
            case .queued:
                events += apply(.withdrawn(conversation, reason: .requeued), now: now)
            default:
                events += apply(.withdrawn(conversation, reason: .transferred), now: now)
            }
        }

        let assigned = mirror.assignedWork(for: agent)
        let stillMine = Set(assigned.map(\.id))
        parked.removeAll { !stillMine.contains($0) }
        for work in assigned where workspace.session(work.id) == nil && !parked.contains(work.id) {
            events += apply(
                .assigned(work.workItem, at: work.assignedAt ?? now, transcript: mirror.transcript(of: work.id)),
                now: now)
        }

        for conversation in workspace.sessions.map(\.id) {
            for message in mirror.transcript(of: conversation) {
                events += apply(.message(conversation, message), now: now)
            }
        }
        return events
    }
}
