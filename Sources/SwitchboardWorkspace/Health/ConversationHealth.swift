public import Foundation
import SwitchboardRouting

/// Judges a conversation's health from its timeline at an injected `now`: long waits, long
/// silences, negative sentiment words and repeated transfers, and whether to escalate.
public enum ConversationHealth {
    /// The assessment of `timeline` at `now`. A closed conversation is healthy (nothing left to fix).
    public static func assess(
        _ timeline: ConversationTimeline, now: Date, thresholds: HealthThresholds = .standard,
        lexicon: SentimentLexicon = .standard
    ) -> HealthAssessment {
        var waitingSince: Date?
        var assignedAt: Date?
        var lastCustomerMessage: Date?
        var lastAgentMessage: Date?
        var holdSince: Date?
        var transfers = 0
        var closed = false
        var customerTexts: [String] = []
        for entry in timeline.entries {
            switch entry.event {
            case .queued, .transferred, .requeued:
                if case .transferred = entry.event { transfers += 1 }
                waitingSince = entry.at
                assignedAt = nil
                holdSince = nil
            case .assigned:
                waitingSince = nil
                assignedAt = entry.at
            case .customerMessage(let text):
                lastCustomerMessage = entry.at
                customerTexts.append(text)
            case .agentMessage:
                lastAgentMessage = entry.at
            case .supervisorMessage:
                // A supervisor's word does not answer the customer on the agent's behalf.
                break
            case .callHeld:
                holdSince = entry.at
            case .callResumed:
                holdSince = nil
            case .closed:
                closed = true
            }
        }
        guard !closed else { return HealthAssessment(conversation: timeline.conversation, flags: [], escalation: nil) }

        var flags: [HealthFlag] = []
        var severe = false
        if let waitingSince {
            let seconds = now.timeIntervalSince(waitingSince)
            if seconds >= thresholds.longWaitSeconds {
                flags.append(.longWait(seconds: Int(seconds)))
                severe = severe || seconds >= 2 * thresholds.longWaitSeconds
            }
        }
        if let assignedAt {
            if let silence = silence(
                channel: timeline.channel, assignedAt: assignedAt, lastCustomerMessage: lastCustomerMessage,
                lastAgentMessage: lastAgentMessage, holdSince: holdSince, now: now, thresholds: thresholds)
            {
                flags.append(.longSilence(seconds: Int(silence.seconds), onHold: silence.onHold))
                severe = severe || silence.seconds >= 2 * silence.limit
            }
        }
        let window = customerTexts.suffix(max(thresholds.sentimentWindowMessages, 0))
        let hits = window.flatMap { lexicon.hits(in: $0) }
        let score = hits.reduce(0) { $0 + $1.weight }
        if score >= thresholds.negativeSentimentScore, score > 0 {
            var terms: [String] = []
            for hit in hits where !terms.contains(hit.term) { terms.append(hit.term) }
            flags.append(.negativeSentiment(terms: terms, score: score))
            severe = severe || score >= 2 * thresholds.negativeSentimentScore
        }
        if transfers >= thresholds.repeatedTransfers, thresholds.repeatedTransfers > 0 {
            flags.append(.repeatedTransfers(count: transfers))
            severe = severe || transfers > thresholds.repeatedTransfers
        }
        flags.sort { $0.kind < $1.kind }
        return HealthAssessment(
            conversation: timeline.conversation, flags: flags, escalation: escalation(flags: flags, severe: severe))
    }

    /// What changed from `previous` (nil: nothing known before) to `current`.
    public static func changes(from previous: HealthAssessment?, to current: HealthAssessment) -> HealthChange {
        let before = Set(previous?.flagKinds ?? [])
        let after = Set(current.flagKinds)
        let levelBefore = previous?.escalation?.level
        let levelAfter = current.escalation?.level
        let escalated: Bool
        switch (levelBefore, levelAfter) {
        case (nil, .some): escalated = true
        case (.some(let old), .some(let new)): escalated = new > old
        default: escalated = false
        }
        return HealthChange(
            raised: after.subtracting(before).sorted(), cleared: before.subtracting(after).sorted(),
            escalated: escalated)
    }

    private static func escalation(flags: [HealthFlag], severe: Bool) -> Escalation? {
        guard !flags.isEmpty else { return nil }
        let level: EscalationLevel = flags.count >= 2 || severe ? .intervene : .watch
        let label = level == .intervene ? "Intervene" : "Watch"
        return Escalation(level: level, reason: "\(label): " + flags.map(\.phrase).joined(separator: "; ") + ".")
    }

    private static func silence(
        channel: Channel, assignedAt: Date, lastCustomerMessage: Date?, lastAgentMessage: Date?, holdSince: Date?,
        now: Date, thresholds: HealthThresholds
    ) -> (seconds: Double, limit: Double, onHold: Bool)? {
        if channel == .voice {
            guard let holdSince else { return nil }
            let seconds = now.timeIntervalSince(holdSince)
            return seconds >= thresholds.callHoldSeconds ? (seconds, thresholds.callHoldSeconds, true) : nil
        }
        let limit: Double
        switch channel {
        case .chat: limit = thresholds.chatSilenceSeconds
        case .messaging: limit = thresholds.messagingSilenceSeconds
        case .email: limit = thresholds.emailSilenceSeconds
        case .voice, .case: return nil
        }
        // The customer waits when they wrote last; the agent owes the reply from the moment
        // the conversation reached them.
        guard let lastCustomerMessage else { return nil }
        if let lastAgentMessage, lastAgentMessage >= lastCustomerMessage { return nil }
        let since = max(lastCustomerMessage, assignedAt)
        let seconds = now.timeIntervalSince(since)
        return seconds >= limit ? (seconds, limit, false) : nil
    }
}
