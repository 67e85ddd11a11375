import Foundation
public import SwitchboardAssist
import SwitchboardRouting
public import SwitchboardWire

/// The assistance of one conversation as a pure state machine: transcript lines, transfers and the
/// close go in, in the router's order; ``item`` is what to publish. No clock, no I/O: the same
/// inputs in the same order give the same item, so a restarted summariser rebuilds it from the
/// router's snapshot (``rebuild(conversationId:conversation:transcript:history:names:context:)``).
///
/// The router's transcript holds what people wrote; transfers and the close are events, not lines.
/// The summaries need them in their place ("transferred to the cards queue by Priya", "closed"), so
/// the track inserts a platform line (role `system`) for each, worded from the event's fields the
/// same way live and at rebuild.
public struct AssistTrack: Sendable {
    /// What the track computes with: the trained assistant and what agents did with suggestions.
    public struct Context: Sendable {
        public var assistant: Assistant
        public var feedback: ReplyFeedback
        /// Queue id → the language it serves (``QueueLanguages``): a hint for the customer's language.
        public var queueLanguages: [String: String]

        public init(
            assistant: Assistant, feedback: ReplyFeedback = ReplyFeedback(), queueLanguages: [String: String] = [:]
        ) {
            self.assistant = assistant
            self.feedback = feedback
            self.queueLanguages = queueLanguages
        }
    }

    /// What applying a transcript line did.
    public enum MessageOutcome: Sendable, Equatable {
        case applied
        /// Already applied (a snapshot and the events after it may both carry a line).
        case duplicate
        /// Applied, but lines before it never arrived (expected is the number that was due).
        case appliedAfterGap(expected: Int)
    }

    /// Author of the platform lines (transfers, close).
    public static let platformAuthor = "Switchboard"

    public let conversationId: String
    public private(set) var assist: ConversationAssist
    /// The highest transcript number applied.
    public private(set) var lastMessageNumber = 0
    /// Transfers applied (the router's `transfers` count numbers them).
    public private(set) var transfersApplied = 0
    public private(set) var closeApplied = false
    public private(set) var caseSummary: SwitchboardAssist.CaseSummary?
    public private(set) var caseSummaryReason: AssistItem.CaseSummaryReason?

    public init(conversationId: String) {
        self.conversationId = conversationId
        self.assist = ConversationAssist(conversationId: conversationId)
    }

    // MARK: Inputs

    /// Applies one line of the router's transcript (numbered from 1).
    @discardableResult
    public mutating func apply(_ message: TranscriptMessage, context: Context) -> MessageOutcome {
        guard message.number > lastMessageNumber else { return .duplicate }
        let expected = lastMessageNumber + 1
        lastMessageNumber = message.number
        // The one place the wire's message becomes the assistance library's line.
        let role: SwitchboardAssist.TranscriptMessage.Role =
            switch message.role {
            case .customer: .customer
            case .agent: .agent
            case .supervisor: .supervisor
            case .system: .system
            }
        // Whispers (audience agent) are kept: the assistance is for the agent's pane, never the
        // customer's side, and a supervisor's whisper is part of what has been done.
        let line = SwitchboardAssist.TranscriptMessage(
            role: role, author: message.author, text: message.text,
            timestamp: Date(timeIntervalSince1970: Double(message.at.millisecondsSinceEpoch) / 1_000))
        let statusBefore = assist.summary?.caseSummary.status
        let update = assist.apply(line, assistant: context.assistant, feedback: context.feedback)
        if update.handoff {
            let escalation = message.text.lowercased().contains("escalat")
            draftCaseSummary(escalation ? .escalation : .transfer)
        } else if assist.summary?.caseSummary.status == .escalated, statusBefore != .escalated {
            // An agent's "I'm escalating this to my supervisor" is an escalation too.
            draftCaseSummary(.escalation)
        }
        return message.number == expected ? .applied : .appliedAfterGap(expected: expected)
    }

    /// Notes the conversation's queue: its language becomes the hint for the customer's language.
    public mutating func applyQueue(_ queue: String?, context: Context) {
        guard let queue, let language = context.queueLanguages[queue], language != assist.languageHint else { return }
        assist.setLanguageHint(language, assistant: context.assistant)
    }

    /// Applies the router's `transfers`-th transfer (a repeat is ignored).
    public mutating func applyTransfer(
        ordinal: Int, toQueue: String?, toAgentName: String?, fromAgentName: String?, note: String? = nil,
        atMilliseconds: Int64, context: Context
    ) {
        guard ordinal > transfersApplied else { return }
        transfersApplied = ordinal
        let text = Self.transferLine(
            toQueue: toQueue, toAgentName: toAgentName, fromAgentName: fromAgentName, note: note)
        _ = assist.apply(
            platformLine(text, atMilliseconds: atMilliseconds), assistant: context.assistant, feedback: context.feedback
        )
        draftCaseSummary(.transfer)
    }

    /// Applies the close (once).
    public mutating func applyClose(byAgentName agentName: String?, atMilliseconds: Int64, context: Context) {
        guard !closeApplied else { return }
        closeApplied = true
        let text = Self.closeLine(byAgentName: agentName)
        _ = assist.apply(
            platformLine(text, atMilliseconds: atMilliseconds), assistant: context.assistant, feedback: context.feedback
        )
        draftCaseSummary(.close)
    }

    /// An agent used or dismissed `suggestionId` at the desk: the conversation offers it no more and
    /// ranks again (the counts across conversations are the desk's, in `context`, not kept here).
    public mutating func handleSuggestion(_ suggestionId: String, context: Context) {
        var scratch = context.feedback
        _ = assist.applyFeedback(
            .rejected, suggestionId: suggestionId, assistant: context.assistant, feedback: &scratch)
    }

    private mutating func draftCaseSummary(_ reason: AssistItem.CaseSummaryReason) {
        guard let drafted = assist.summary?.caseSummary else { return }
        caseSummary = drafted
        caseSummaryReason = reason
    }

    private func platformLine(_ text: String, atMilliseconds: Int64) -> SwitchboardAssist.TranscriptMessage {
        SwitchboardAssist.TranscriptMessage(
            role: .system, author: Self.platformAuthor, text: text,
            timestamp: Date(timeIntervalSince1970: Double(atMilliseconds) / 1_000))
    }

    /// "Transferred to the chat-en-cards queue by Priya Shah." / "Transferred to Tom Baker, noting: …"
    /// (the note the agent wrote for the next one, which the case summary then carries).
    public static func transferLine(
        toQueue: String?, toAgentName: String?, fromAgentName: String?, note: String? = nil
    ) -> String {
        let target =
            if let toAgentName { toAgentName } else if let toQueue { "the \(toQueue) queue" } else { "another queue" }
        let noted = note.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        return "Transferred to \(target)" + (fromAgentName.map { " by \($0)" } ?? "")
            + (noted.map { ", noting: \($0)" } ?? "") + (noted?.hasSuffix(".") == true ? "" : ".")
    }

    /// `message` with an agent's or supervisor's id as author replaced by their name (the desk may
    /// write either), so that summaries name people as the router's sentences do.
    public static func naming(_ message: TranscriptMessage, with names: [String: String]) -> TranscriptMessage {
        guard message.role == .agent || message.role == .supervisor, let name = names[message.author] else {
            return message
        }
        var named = message
        named.author = name
        return named
    }

    /// "Conversation closed by Priya Shah."
    public static func closeLine(byAgentName agentName: String?) -> String {
        "Conversation closed" + (agentName.map { " by \($0)" } ?? "") + "."
    }

    // MARK: Output

    /// The item to publish (offline backend).
    public func item(backend: String = "offline") -> AssistItem {
        var item = AssistItem(conversationId: ConversationID(conversationId), backend: backend)
        if let intent = assist.intent {
            item.intent = .rounded(intent: intent.intent, confidence: intent.confidence, skill: intent.skill)
        }
        item.summary = assist.summary?.sentence
        item.language = assist.language
        item.suggestions = assist.suggestions.map(AssistItem.Suggestion.init)
        item.knowledge = assist.knowledge.map(AssistItem.Article.init)
        item.caseSummary = caseSummary.map(AssistItem.CaseSummary.init)
        item.caseSummaryReason = caseSummaryReason
        return item
    }

    // MARK: Rebuild

    /// The track of a conversation from the router's snapshot: its transcript in order, with the
    /// transfers and the close put where the router's `history` (from `conversation.explain`)
    /// places them. Without a history (none needed, or the router did not answer), transfers the
    /// item counts are placed after the last line, which is where they are unless someone wrote
    /// after them, and the close goes last (nobody writes after it).
    public static func rebuild(
        conversationId: String, conversation: RouterConversation?, transcript: [TranscriptMessage],
        history: [RouterHistoryStep]?, names: [String: String], context: Context
    ) -> AssistTrack {
        var track = AssistTrack(conversationId: conversationId)
        track.applyQueue(conversation?.queue, context: context)
        let messages = transcript.sorted { $0.number < $1.number }.map { naming($0, with: names) }
        func name(_ id: String?) -> String? { id.map { names[$0] ?? $0 } }
        if let history {
            var ordinal = 0
            var next = 0
            for step in history {
                // A line and a step in the same millisecond: the line first (a transfer ends the agent's turn).
                while next < messages.count, messages[next].at.millisecondsSinceEpoch <= step.atMilliseconds {
                    track.apply(messages[next], context: context)
                    next += 1
                }
                switch step.kind {
                case .transferred(let toQueue, let toAgentId, let fromAgentId, let note):
                    ordinal += 1
                    track.applyTransfer(
                        ordinal: ordinal, toQueue: toQueue, toAgentName: name(toAgentId),
                        fromAgentName: name(fromAgentId), note: note,
                        atMilliseconds: step.atMilliseconds, context: context)
                case .closed(let agentId):
                    track.applyClose(byAgentName: name(agentId), atMilliseconds: step.atMilliseconds, context: context)
                }
            }
            for message in messages[next...] { track.apply(message, context: context) }
        } else {
            for message in messages { track.apply(message, context: context) }
        }
        if let conversation {
            if conversation.transfers > track.transfersApplied {
                let current = conversation.state.isWaiting ? nil : name(conversation.agentId)
                track.applyTransfer(
                    ordinal: conversation.transfers, toQueue: current == nil ? conversation.queue : nil,
                    toAgentName: current, fromAgentName: nil,
                    atMilliseconds: messages.last?.at.millisecondsSinceEpoch ?? 0, context: context)
            }
            if conversation.wasClosed {
                track.applyClose(
                    byAgentName: name(conversation.agentId),
                    atMilliseconds: conversation.endedAtMilliseconds ?? messages.last?.at.millisecondsSinceEpoch ?? 0,
                    context: context)
            }
        }
        return track
    }
}
