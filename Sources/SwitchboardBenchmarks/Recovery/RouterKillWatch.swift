import SwitchboardBus

/// The router's `conv.` events as published, every one (no snapshots in between), read for the
/// time from a kill to the first routing decision of the router's next epoch. A decision is an
/// offer or an assignment, timed by the router's own clock: an assignment's `assignedAt`, an
/// offer's `expiresAt` less the queue's offer timeout. Its publication time is not used: events
/// the killed router committed but had not published go out again at the next start, stamped
/// into the new epoch and published then, though decided before the kill.
struct RouterKillWatch: Sendable {
    /// The offer timeout of the queue, in milliseconds (an offer's decision time is its expiry less this).
    let offerTimeoutMilliseconds: Int64
    /// The newest epoch of the router seen.
    private(set) var epoch: UInt64 = 0
    /// Decisions seen in all.
    private(set) var decisions = 0
    /// The kill being measured: the epoch it ended and its wall-clock milliseconds.
    private var kill: (epoch: UInt64, atMilliseconds: Int64)?
    /// Milliseconds from the kill to the first decision of a later epoch made after it.
    private(set) var firstDecisionMilliseconds: Int64?
    /// Decisions published in a later epoch but made before the kill (re-published at the start).
    private(set) var republished = 0
    /// Whether the first `conv.` event seen of the new epoch came after others of it (published
    /// before this subscriber reconnected): the first decision may then have been missed.
    private(set) var missedStart = false
    private var firstSeqSeen = false

    init(offerTimeoutMilliseconds: Int64) {
        self.offerTimeoutMilliseconds = offerTimeoutMilliseconds
    }

    /// A kill at `atMicroseconds` (wall clock): the next measurement starts.
    mutating func killed(atMicroseconds: Int64) {
        kill = (epoch, atMicroseconds / 1_000)
        firstDecisionMilliseconds = nil
        missedStart = false
        firstSeqSeen = false
    }

    mutating func observe(_ event: EventEnvelope) {
        if event.epoch > epoch { epoch = event.epoch }
        let isDecision = event.type == "conversation.assigned" || event.type == "conversation.offered"
        if isDecision { decisions += 1 }
        guard let kill, event.epoch > kill.epoch else { return }
        if !firstSeqSeen, event.family == "conv" {
            firstSeqSeen = true
            missedStart = event.seq > 1
        }
        guard isDecision, firstDecisionMilliseconds == nil, let decided = decisionMilliseconds(event) else { return }
        // The millisecond of the kill itself is the killed router's: no restarted one decides that soon.
        if decided <= kill.atMilliseconds {
            republished += 1
        } else {
            firstDecisionMilliseconds = decided - kill.atMilliseconds
        }
    }

    /// When the router made the decision an event announces (nil for any other event).
    private func decisionMilliseconds(_ event: EventEnvelope) -> Int64? {
        switch event.type {
        case "conversation.assigned":
            return (try? event.data())?["item"]?["assignedAt"]?.intValue
        case "conversation.offered":
            return (try? event.data())?["expiresAt"]?.intValue.map { $0 - offerTimeoutMilliseconds }
        default:
            return nil
        }
    }
}
