public import Foundation
public import SwitchboardBus
public import SwitchboardRouting
import SwitchboardServiceKit
public import SwitchboardWorkspace

/// A desk command (docs/PROTOCOL.md §6.3), read and checked. Every one names the agent.
public enum DeskRequest: Sendable, Equatable {
    case signIn
    case signOut
    /// Forwarded to the router as `conversation.accept`.
    case accept(ConversationID)
    /// Forwarded as `conversation.decline`.
    case decline(ConversationID)
    /// Forwarded as `conversation.message` (role agent).
    case reply(ConversationID, text: String)
    /// Forwarded as `conversation.close`.
    case close(ConversationID)
    /// Forwarded as `conversation.endWrapUp`.
    case endWrapUp(ConversationID, disposition: String?)
    /// Forwarded as `conversation.transfer`: to a queue or a named agent, with a note for them.
    case transfer(ConversationID, to: TransferTarget, note: String?)
    /// Closes the session; for chat, messaging and voice the router closes the conversation too.
    case closeSession(ConversationID)
    /// The agent opens one of their own email or case items again.
    case reopen(ConversationID)
    case openTab(ConversationID, TabRequest)
    /// A workspace command that concerns the desk alone.
    case workspace(WorkspaceCommand)
    case setPreferences(PreferencePatch)
    case show(width: Int?)
    /// The agent sent suggested reply `suggestionId` (`edited`: after changing its text).
    case useSuggestion(ConversationID, suggestionId: String, edited: Bool)
    /// The agent set suggested reply `suggestionId` aside.
    case dismissSuggestion(ConversationID, suggestionId: String)
    /// The agent found article `articleId` helpful.
    case markArticleHelpful(ConversationID, articleId: String)
    /// The agent corrected the case summary drafted for a handover.
    case editCaseSummary(ConversationID, CaseSummary)

    /// A tab to open; the customer defaults to the session's, an article's title to the one
    /// the pane surfaced (else its id).
    public enum TabRequest: Sendable, Equatable {
        case customer(CustomerID?)
        case caseRecord(reference: String)
        case knowledgeArticle(id: String, title: String?)
        case form(name: String, title: String)
    }

    /// The command types the desk takes.
    public static let types = [
        "desk.signIn", "desk.signOut", "desk.accept", "desk.decline", "desk.reply", "desk.close", "desk.endWrapUp",
        "desk.transfer",
        "desk.focus", "desk.browse", "desk.selectTab", "desk.openTab", "desk.closeTab", "desk.keepPlace",
        "desk.saveDraft", "desk.discardDraft", "desk.closeSession", "desk.reopen", "desk.completeAction",
        "desk.setPreferences", "desk.show", "desk.useSuggestion", "desk.dismissSuggestion", "desk.markArticleHelpful",
        "desk.editCaseSummary",
    ]

    /// Bytes of a suggestion's or an article's id, at most.
    public static let assistIdBytesMax = 256
    /// Bytes of each text of an edited case summary, at most; and how many actions it lists.
    public static let caseSummaryTextBytesMax = 2_000
    public static let caseSummaryActionsMax = 10

    /// Reads a command: the agent it is for and what it asks.
    public static func parse(_ command: CommandRequest) throws(CommandFailure) -> (AgentID, DeskRequest) {
        let fields = CommandFields(command.data)
        let agent = AgentID(try fields.identifier("agentId"))
        func conversation() throws(CommandFailure) -> ConversationID {
            ConversationID(try fields.identifier("conversationId"))
        }
        func tab() throws(CommandFailure) -> TabID {
            TabID(try fields.string("tabId", maxBytes: WorkspaceLimits.tabContentBytesMax + 16))
        }
        let request: DeskRequest
        switch command.type {
        case "desk.signIn": request = .signIn
        case "desk.signOut": request = .signOut
        case "desk.accept": request = .accept(try conversation())
        case "desk.decline": request = .decline(try conversation())
        case "desk.transfer":
            let queue = try fields.optionalIdentifier("toQueue")
            let target = try fields.optionalIdentifier("toAgentId")
            let note = try fields.optionalString("note", maxBytes: 2_000)
                .flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
            switch (queue, target) {
            case (let queue?, nil): request = .transfer(try conversation(), to: .queue(QueueID(queue)), note: note)
            case (nil, let target?): request = .transfer(try conversation(), to: .agent(AgentID(target)), note: note)
            default:
                throw fields.invalid(
                    "toQueue", "give exactly one of \"toQueue\" or \"toAgentId\" as the transfer target")
            }
        case "desk.reply":
            request = .reply(
                try conversation(), text: try fields.string("text", maxBytes: WorkspaceLimits.replyBytesMax))
        case "desk.close": request = .close(try conversation())
        case "desk.endWrapUp":
            request = .endWrapUp(
                try conversation(), disposition: try fields.optionalString("disposition", maxBytes: 128))
        case "desk.focus": request = .workspace(.focusSession(conversation: try conversation()))
        case "desk.browse": request = .workspace(.browseSession(conversation: try conversation()))
        case "desk.selectTab": request = .workspace(.selectTab(conversation: try conversation(), tab: try tab()))
        case "desk.closeTab": request = .workspace(.closeTab(conversation: try conversation(), tab: try tab()))
        case "desk.openTab": request = .openTab(try conversation(), try tabRequest(fields))
        case "desk.keepPlace":
            request = .workspace(
                .rememberPlace(conversation: try conversation(), tab: try tab(), place: try place(fields)))
        case "desk.saveDraft":
            request = .workspace(
                .saveDraft(
                    conversation: try conversation(),
                    subject: try fields.optionalString("subject", maxBytes: WorkspaceLimits.draftBytesMax),
                    body: try draftBody(fields)))
        case "desk.discardDraft": request = .workspace(.discardDraft(conversation: try conversation()))
        case "desk.closeSession": request = .closeSession(try conversation())
        case "desk.reopen": request = .reopen(try conversation())
        case "desk.completeAction":
            let name = try fields.string("action", maxBytes: 64)
            guard let action = PendingAction(rawValue: name) else {
                throw fields.invalid(
                    "action",
                    "'\(name)' is not a pending action; use "
                        + "\(PendingAction.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            request = .workspace(.completeAction(conversation: try conversation(), action: action))
        case "desk.setPreferences": request = .setPreferences(try PreferencePatch(fields))
        case "desk.show": request = .show(width: try fields.optionalInt("width", in: 40...400))
        case "desk.useSuggestion":
            request = .useSuggestion(
                try conversation(), suggestionId: try fields.string("suggestionId", maxBytes: assistIdBytesMax),
                edited: try edited(fields))
        case "desk.dismissSuggestion":
            request = .dismissSuggestion(
                try conversation(), suggestionId: try fields.string("suggestionId", maxBytes: assistIdBytesMax))
        case "desk.markArticleHelpful":
            request = .markArticleHelpful(
                try conversation(), articleId: try fields.string("articleId", maxBytes: assistIdBytesMax))
        case "desk.editCaseSummary":
            request = .editCaseSummary(try conversation(), try caseSummary(fields))
        default:
            throw CommandFailure(
                code: .unknownCommand,
                message: "the desk takes no '\(command.type)'; it takes \(types.joined(separator: ", "))")
        }
        return (agent, request)
    }

    /// Whether the agent changed a suggestion before sending it: false when left out.
    private static func edited(_ fields: CommandFields) throws(CommandFailure) -> Bool {
        switch fields.data["edited"] {
        case nil, .null?: return false
        case .bool(let edited)?: return edited
        default: throw fields.invalid("edited", "must be true or false (whether the text was changed before sending)")
        }
    }

    /// An edited case summary: `issue` and `nextStep` not blank, `actionsTaken` a list of strings.
    private static func caseSummary(_ fields: CommandFields) throws(CommandFailure) -> CaseSummary {
        func text(_ name: String) throws(CommandFailure) -> String {
            let value = try fields.string(name, maxBytes: caseSummaryTextBytesMax)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { throw fields.invalid(name, "must not be blank: say it in a sentence") }
            return value
        }
        var actions: [String] = []
        if let value = fields.data["actionsTaken"], !value.isNull {
            guard case .array(let elements) = value, elements.count <= caseSummaryActionsMax else {
                throw fields.invalid(
                    "actionsTaken", "must be a list of at most \(caseSummaryActionsMax) strings, one action each")
            }
            for (index, element) in elements.enumerated() {
                guard let action = element.stringValue, action.utf8.count <= caseSummaryTextBytesMax else {
                    throw fields.invalid(
                        "actionsTaken[\(index)]", "must be a string of at most \(caseSummaryTextBytesMax) bytes")
                }
                let trimmed = action.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { actions.append(trimmed) }
            }
        }
        return CaseSummary(issue: try text("issue"), actionsTaken: actions, nextStep: try text("nextStep"))
    }

    /// The body is kept exactly as sent, so it may be empty but must be a string.
    private static func draftBody(_ fields: CommandFields) throws(CommandFailure) -> String {
        guard let body = try fields.optionalString("body", maxBytes: WorkspaceLimits.draftBytesMax) else {
            throw fields.missing("body", "the draft's text (a string, kept byte for byte)")
        }
        return body
    }

    private static func tabRequest(_ fields: CommandFields) throws(CommandFailure) -> TabRequest {
        guard let content = fields.data["content"], case .object = content else {
            throw fields.missing("content", "{\"kind\": \"customer\"|\"case\"|\"knowledge\"|\"form\", …}")
        }
        let inner = CommandFields(content)
        let kind = try inner.string("kind", maxBytes: 32)
        switch kind {
        case "customer":
            return .customer(try inner.optionalIdentifier("customerId").map(CustomerID.init))
        case "case":
            return .caseRecord(reference: try inner.string("reference", maxBytes: 256))
        case "knowledge":
            return .knowledgeArticle(
                id: try inner.string("articleId", maxBytes: 256),
                title: try inner.optionalString("title", maxBytes: 512))
        case "form":
            let name = try inner.string("name", maxBytes: 128)
            return .form(name: name, title: try inner.optionalString("title", maxBytes: 512) ?? name)
        default:
            throw inner.invalid("content.kind", "'\(kind)' is not a tab kind; use customer, case, knowledge or form")
        }
    }

    private static func place(_ fields: CommandFields) throws(CommandFailure) -> TabPlace {
        let scroll = try fields.optionalInt("scrollOffset", in: 0...10_000_000) ?? 0
        let cursor = try fields.optionalInt("cursorOffset", in: 0...10_000_000)
        var values: [String: String] = [:]
        if let object = fields.data["fieldValues"] {
            guard case .object(let members) = object else {
                throw fields.invalid("fieldValues", "must map field names to strings")
            }
            for member in members {
                guard let value = member.value.stringValue else {
                    throw fields.invalid("fieldValues.\(member.key)", "must be a string")
                }
                values[member.key] = value
            }
        }
        return TabPlace(scrollOffset: scroll, cursorOffset: cursor, fieldValues: values)
    }
}
