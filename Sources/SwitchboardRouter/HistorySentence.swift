import SwitchboardRouting

/// The sentences of a conversation's history (`conversation.explain`), kept apart from the
/// transitions that record them. They are part of the router's state (checkpointed with each
/// view), so they are written when the change happens, with the names of that moment.
enum HistorySentence {
    static func intent(_ intent: DetectedIntent) -> String {
        "Intent \(intent.intent) (\(Int((intent.confidence * 100).rounded()))%)"
            + (intent.skill.map { ", product skill \($0)" } ?? "") + "."
    }

    static func queued(in queue: QueueID, heldForName owner: String?) -> String {
        "Waiting in \(queue)\(owner.map { ", held for their owner \($0)" } ?? "")."
    }

    static func declined(byName name: String) -> String { "\(name) declined the offer." }

    static func offerExpired(toName name: String) -> String { "The offer to \(name) expired unanswered." }

    static func transferred(toQueue queue: QueueID) -> String { "Transferred to queue \(queue)." }

    static func transferred(toAgentName name: String) -> String { "Transferred to \(name)." }

    /// `name` nil: closed by the system.
    static func closed(byName name: String?) -> String { "Closed by \(name ?? "the system")." }

    static func wrapUpStarted(byName name: String) -> String { "\(name) is wrapping up." }

    static func wrapUpEnded(disposition: String?, timedOut: Bool) -> String {
        timedOut ? "Wrap-up timed out." : "Wrap-up ended: \(disposition ?? "no disposition")."
    }

    static func abandoned(waitedSeconds: Double) -> String {
        "The customer left after \(Int(waitedSeconds.rounded())) s."
    }

    /// `opensAt` as the queue's local words ("Monday 30 March 08:00 (Europe/Paris)"), or nil.
    static func turnedAway(queue: QueueID, waitedSeconds: Double, opensAtLocal: String?) -> String {
        "Queue \(queue) closed after it waited \(Int(waitedSeconds.rounded())) s and takes no work outside its "
            + "hours; it ended"
            + (opensAtLocal.map { ". The queue opens \($0)." } ?? ". The queue has no opening in its calendar.")
    }
}
