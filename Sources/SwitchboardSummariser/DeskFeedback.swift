public import SwitchboardAssist
public import SwitchboardBus
public import SwitchboardWire
import Synchronization

/// What agents did with the suggestions, as the desk counts it per intent (its `feedback.<intent>`
/// items, docs/PROTOCOL.md §6.3), shared by every conversation actor: each ranks the suggestions
/// it offers next with the counts of the moment. Rebuilt from the desk's snapshot, kept up by its
/// events; the summariser stores nothing.
public final class DeskFeedback: Sendable {
    private let state = Mutex(ReplyFeedback())

    public init() {}

    /// The counts now.
    public var current: ReplyFeedback { state.withLock { $0 } }

    /// Applies a snapshot of the desk (every intent's item, others ignored) or one of its
    /// `feedback.*` events; true when the counts changed. An item that cannot be read is skipped.
    @discardableResult
    public func apply(_ update: ReplicaUpdate) -> Bool {
        switch update {
        case .snapshot(let snapshot):
            var fresh = ReplyFeedback()
            for item in snapshot.items where item.key.hasPrefix("feedback.") {
                guard let value = try? item.value(), let feedback = try? FeedbackItem(json: value) else { continue }
                fresh.setTallies(Self.tallies(of: feedback), forIntent: feedback.intent)
            }
            return state.withLock { current in
                defer { current = fresh }
                return current != fresh
            }
        case .event(let event):
            guard event.topic.hasPrefix("feedback."), let data = try? event.data(), let value = data["item"],
                let feedback = try? FeedbackItem(json: value)
            else { return false }
            set(feedback)
            return true
        case .status:
            return false
        }
    }

    /// Takes an intent's counts as the desk gives them.
    public func set(_ item: FeedbackItem) {
        let tallies = Self.tallies(of: item)
        state.withLock { $0.setTallies(tallies, forIntent: item.intent) }
    }

    /// The desk's counts as tallies: a use without changes is an acceptance, a use after changes
    /// an edit, a dismissal a rejection.
    public static func tallies(of item: FeedbackItem) -> [String: ReplyFeedback.Tally] {
        var tallies: [String: ReplyFeedback.Tally] = [:]
        for suggestion in item.suggestions {
            let edited = min(max(0, suggestion.edited), max(0, suggestion.used))
            tallies[suggestion.suggestionId] = ReplyFeedback.Tally(
                accepted: max(0, suggestion.used) - edited, edited: edited, rejected: max(0, suggestion.dismissed))
        }
        return tallies
    }
}
