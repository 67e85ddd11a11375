import Foundation
import Logging
import SwitchboardBus
import SwitchboardRouting
import SwitchboardStore
import SwitchboardWire
import SwitchboardWorkspace

/// The agent's say over the assistance: what they did with a suggested reply or an article
/// (counted per intent, `feedback.<intent>`) and the case summary they corrected at a handover.
extension DeskCore {
    /// Counts one of the agent's actions on the assistance of an open session, commits the intent's
    /// item with its event and the command's reply, and answers once committed.
    func recordFeedback(
        _ action: FeedbackBook.Action, in conversation: ConversationID, by desk: DeskAgent, commandID: String,
        now: Date
    ) async -> CommandOutcome {
        let agent = desk.id
        guard await desk.record.workspace.session(conversation) != nil else {
            return .failed(
                CommandFailure(
                    code: .notFound,
                    message: "\(agent) has no session for \(conversation); feedback is given from an open session"))
        }
        var suggestionId: String?
        if case .used(let id, _) = action { suggestionId = id }
        if case .dismissed(let id) = action { suggestionId = id }
        let intent = FeedbackBook.intent(
            conversationIntent: conversationIntents[conversation], suggestionId: suggestionId)
        let item = feedback.record(action, intent: intent, at: DeskWireItem.instant(now))
        var data = JSONObject([
            ("agentId", .string(agent.rawValue)), ("conversationId", .string(conversation.rawValue)),
            ("intent", .string(item.intent)),
        ])
        switch action {
        case .used(let id, let edited):
            data["suggestionId"] = .string(id)
            data["edited"] = .bool(edited)
        case .dismissed(let id):
            data["suggestionId"] = .string(id)
        case .helpful(let id):
            data["articleId"] = .string(id)
        }
        data["key"] = .string(item.key)
        data["item"] = item.json
        let event = (topic: "\(item.key).\(action.what)", type: "desk.\(action.what)", data: JSON.object(data))
        let outcome = CommandOutcome.ok(
            ["conversationId": .string(conversation.rawValue), "intent": .string(item.intent)])
        let previous = lastFeedbackCommit
        let committer = self.committer
        let logger = self.logger
        let commit = Task {
            _ = await previous?.value
            do {
                try await committer.commit { transaction in
                    try FeedbackTable.upsert(item, in: transaction.db)
                    _ = try transaction.emit(topic: event.topic, type: event.type, data: event.data)
                    _ = try transaction.saveReply(id: commandID, outcome: outcome)
                }
                return true
            } catch {
                if committer.store.isClosed { return false }
                logger.critical("the desk could not commit feedback for \(item.intent): \(error); stopping")
                // Memory is ahead of the disk: start again from what was committed.
                exit(70)
            }
        }
        lastFeedbackCommit = commit
        guard await commit.value else {
            return .failed(
                CommandFailure(code: .unavailable, message: "the desk is shutting down; retry with the same id"))
        }
        return outcome
    }

    /// Keeps the agent's correction of the conversation's case summary (`desk_case_summaries`),
    /// marked with who and when; every agent who opens the conversation from now on sees it.
    func editCaseSummary(
        _ summary: CaseSummary, of conversation: ConversationID, by desk: DeskAgent, commandID: String, now: Date
    ) async -> CommandOutcome {
        let agent = desk.id
        guard await desk.record.workspace.session(conversation) != nil else {
            return .failed(
                CommandFailure(
                    code: .notFound,
                    message: "\(agent) has no session for \(conversation); edit the case summary from its session"))
        }
        var edited = summary
        edited.editedBy = agent.rawValue
        edited.editedAt = now
        let result: JSON = [
            "conversationId": .string(conversation.rawValue), "editedBy": .string(agent.rawValue),
            "editedAt": .int(DeskWireItem.instant(now).millisecondsSinceEpoch),
        ]
        let stored = edited
        let outcome = await desk.perform(
            commandID: commandID, now: now,
            writes: { db in try FeedbackTable.saveCaseSummary(stored, of: conversation, in: db) },
            { record in
                var events: [DeskEvent] = [.caseSummaryEdited(conversation, stored)]
                events += record.apply(.assistance(conversation, .caseSummary(stored)), now: now)
                // Correcting the summary is reviewing it.
                events +=
                    (try? record.handle(
                        .completeAction(conversation: conversation, action: .reviewCaseSummary), now: now))
                    ?? []
                return (events, result)
            })
        if case .ok = outcome { editedCaseSummaries[conversation] = edited }
        return outcome
    }
}
