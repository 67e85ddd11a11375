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
/// summariser keeps and rebuilds from the desk's `feedback.<intent>` items.
///
/// Each suggestion id has a tally, per intent (what agents did with it when it was offered for
/// that intent) and overall (this summariser's own record); its ranking multiplier is twice a
/// smoothed use rate, (accepted + ½·edited + 1) / (feedback + 2), so an untried suggestion stays at
/// 1, used ones rise towards 2 and dismissed ones sink towards 0. The intent's tally, when there is
/// one, is the one that counts.
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
    /// Tallies per intent, then per suggestion id.
    public private(set) var intentTallies: [String: [String: Tally]] = [:]

    public init(tallies: [String: Tally] = [:]) {
        self.tallies = tallies
    }

    /// Replaces the tallies of `intent` with `tallies` (the desk's latest counts for it); none removes them.
    public mutating func setTallies(_ tallies: [String: Tally], forIntent intent: String) {
        intentTallies[intent] = tallies.isEmpty ? nil : tallies
    }

    /// The tally that ranks `suggestionId` when offered for `intent`: the intent's, else the overall one.
    public func tally(for suggestionId: String, intent: String?) -> Tally? {
        intent.flatMap { intentTallies[$0]?[suggestionId] } ?? tallies[suggestionId]
    }

    /// The smoothed use rate of a tally, in (0, 1); ½ when nothing is known.
    public static func useRate(_ tally: Tally?) -> Double {
        guard let tally else { return 0.5 }
        let total = Double(tally.accepted + tally.edited + tally.rejected)
        return (Double(tally.accepted) + 0.5 * Double(tally.edited) + 1) / (total + 2)
    }

    /// The ranking multiplier of `suggestionId` offered for `intent`, in (0, 2); 1 when nothing is known.
    public func multiplier(for suggestionId: String, intent: String?) -> Double {
        2 * Self.useRate(tally(for: suggestionId, intent: intent))
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
        multiplier(for: suggestionId, intent: nil)
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
