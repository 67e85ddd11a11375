/// What an agent did with a suggested reply.
public enum ReplyFeedbackAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Sent as it was.
    case accepted
    /// Sent after changing it: useful, but not quite right.
    case edited
    /// Dismissed.
    case rejected
}

/// Learned preferences over suggested replies, across conversations: a value that the
/// summariser keeps, persists (it is `Codable`) and rebuilds by replaying feedback events.
///
/// Each suggestion id has a tally; its ranking multiplier is twice a smoothed acceptance rate,
/// (accepted + ½·edited + 1) / (shown feedback + 2), so an untried suggestion stays at 1, accepted
/// ones rise towards 2 and rejected ones sink towards 0.
public struct ReplyFeedback: Sendable, Hashable, Codable {
    /// Feedback counts of one suggestion.
    public struct Tally: Sendable, Hashable, Codable {
        public var accepted = 0
        public var edited = 0
        public var rejected = 0

        public init(accepted: Int = 0, edited: Int = 0, rejected: Int = 0) {
            self.accepted = accepted
            self.edited = edited
            self.rejected = rejected
        }
    }

    /// Most suggestion ids remembered; past it, the least used are forgotten first.
    public static let trackedSuggestionsMax = 10_000

    public private(set) var tallies: [String: Tally]

    public init(tallies: [String: Tally] = [:]) {
        self.tallies = tallies
    }

    /// Counts one action on the suggestion `suggestionId`.
    public mutating func record(_ action: ReplyFeedbackAction, suggestionId: String) {
        var tally = tallies[suggestionId] ?? Tally()
        switch action {
        case .accepted: tally.accepted += 1
        case .edited: tally.edited += 1
        case .rejected: tally.rejected += 1
        }
        tallies[suggestionId] = tally
        if tallies.count > Self.trackedSuggestionsMax { forgetLeastUsed() }
    }

    /// The ranking multiplier of `suggestionId`, in (0, 2); 1 when nothing is known.
    public func multiplier(for suggestionId: String) -> Double {
        guard let tally = tallies[suggestionId] else { return 1 }
        let total = Double(tally.accepted + tally.edited + tally.rejected)
        let favourable = Double(tally.accepted) + 0.5 * Double(tally.edited)
        return 2 * (favourable + 1) / (total + 2)
    }

    private mutating func forgetLeastUsed() {
        let excess = tallies.count - Self.trackedSuggestionsMax * 9 / 10
        let leastUsed = tallies.sorted {
            let left = $0.value.accepted + $0.value.edited + $0.value.rejected
            let right = $1.value.accepted + $1.value.edited + $1.value.rejected
            return left != right ? left < right : $0.key < $1.key
        }
        for (key, _) in leastUsed.prefix(excess) { tallies[key] = nil }
    }
}
