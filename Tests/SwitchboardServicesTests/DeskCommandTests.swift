import Foundation
import SwitchboardBus
import SwitchboardRouting
import SwitchboardWorkspace
import Testing

@testable import SwitchboardDesk

/// Reading desk commands, the ids of forwarded commands, and refusals.
@Suite("Desk: commands")
struct DeskCommandTests {
    private func parse(_ type: String, _ data: JSON) throws(CommandFailure) -> (AgentID, DeskRequest) {
        try DeskRequest.parse(CommandRequest(id: "id-1", type: type, data: data))
    }

    @Test("a reply names the agent, the conversation and the text")
    func replyParses() throws {
        let (agent, request) = try parse(
            "desk.reply", ["agentId": "priya-raman", "conversationId": "c-1", "text": "Hi"])
        #expect(agent == priya)
        #expect(request == .reply("c-1", text: "Hi"))
    }

    @Test("a transfer names one target, a queue or an agent, and may carry a note for them")
    func transferParses() throws {
        let (agent, request) = try parse(
            "desk.transfer",
            ["agentId": "priya-raman", "conversationId": "c-1", "toQueue": "chat-en-cards", "note": "Card blocked."])
        #expect(agent == priya)
        #expect(request == .transfer("c-1", to: .queue("chat-en-cards"), note: "Card blocked."))
        let (_, toAgent) = try parse(
            "desk.transfer", ["agentId": "priya-raman", "conversationId": "c-1", "toAgentId": "tom-baker", "note": " "])
        #expect(toAgent == .transfer("c-1", to: .agent("tom-baker"), note: nil))
        for data: JSON in [
            ["agentId": "priya-raman", "conversationId": "c-1"],
            ["agentId": "priya-raman", "conversationId": "c-1", "toQueue": "q", "toAgentId": "tom-baker"],
        ] {
            do {
                _ = try parse("desk.transfer", data)
                Issue.record("a transfer with no single target was accepted: \(data.text)")
            } catch {
                #expect(error.code == .invalidArgument && error.message.contains("toAgentId"), "\(error)")
            }
        }
    }

    @Test("a command without an agent, or of an unknown type, is refused with a reason")
    func refusals() {
        #expect(throws: CommandFailure.self) { try parse("desk.reply", ["conversationId": "c-1", "text": "Hi"]) }
        do {
            _ = try parse("desk.dance", ["agentId": "priya-raman"])
            Issue.record("an unknown type was accepted")
        } catch {
            #expect(error.code == .unknownCommand)
            #expect(error.message.contains("desk.saveDraft"), "the refusal lists what the desk takes")
        }
        do {
            _ = try parse(
                "desk.completeAction", ["agentId": "priya-raman", "conversationId": "c-1", "action": "dance"])
            Issue.record("an unknown pending action was accepted")
        } catch {
            #expect(error.code == .invalidArgument)
        }
    }

    @Test("a draft body is kept as sent, even empty; a missing body is refused")
    func draftParses() throws {
        let (_, request) = try parse(
            "desk.saveDraft", ["agentId": "priya-raman", "conversationId": "m-1", "body": "", "subject": "Re"])
        #expect(request == .workspace(.saveDraft(conversation: "m-1", subject: "Re", body: "")))
        #expect(throws: CommandFailure.self) {
            try parse("desk.saveDraft", ["agentId": "priya-raman", "conversationId": "m-1"])
        }
    }

    @Test("tabs to open: a knowledge article, a form, a customer by default the session's")
    func openTabParses() throws {
        let (_, knowledge) = try parse(
            "desk.openTab",
            ["agentId": "priya-raman", "conversationId": "c-1", "content": ["kind": "knowledge", "articleId": "kb-7"]])
        #expect(knowledge == .openTab("c-1", .knowledgeArticle(id: "kb-7", title: nil)))
        let (_, customer) = try parse(
            "desk.openTab", ["agentId": "priya-raman", "conversationId": "c-1", "content": ["kind": "customer"]])
        #expect(customer == .openTab("c-1", .customer(nil)))
        #expect(throws: CommandFailure.self) {
            try parse(
                "desk.openTab", ["agentId": "priya-raman", "conversationId": "c-1", "content": ["kind": "video"]])
        }
    }

    @Test("preferences: a field left out is kept, null goes back to the role's default")
    func preferencePatch() throws {
        let (_, request) = try parse(
            "desk.setPreferences",
            [
                "agentId": "priya-raman", "tabsRemembered": 4,
                "notifications": ["idleSessionMessage": .null, "newSession": "badge"],
            ])
        guard case .setPreferences(let patch) = request else {
            Issue.record("expected preferences, got \(request)")
            return
        }
        let before = PreferenceOverrides(
            tabsRemembered: 8, paneTools: [.knowledge], notifications: NotificationOverrides(idleSessionMessage: .toast)
        )
        let after = patch.applied(to: before)
        #expect(after.tabsRemembered == 4)
        #expect(after.paneTools == [.knowledge], "left out: kept")
        #expect(after.notifications.idleSessionMessage == nil, "null: the role's default again")
        #expect(after.notifications.newSession == .badge)
        #expect(throws: CommandFailure.self) { try parse("desk.setPreferences", ["agentId": "priya-raman"]) }
        #expect(throws: CommandFailure.self) {
            try parse("desk.setPreferences", ["agentId": "priya-raman", "notifications": ["newSession": "loud"]])
        }
    }

    @Test("a forwarded command's id is derived from the desk command's: the same id gives the same id")
    func forwardedIDs() {
        #expect(DeskCommandID.forRouter("7f9c") == "desk:7f9c")
        let long = String(repeating: "x", count: 128)
        let derived = DeskCommandID.forRouter(long)
        #expect(derived.utf8.count <= CommandRequest.idBytesMax)
        #expect(derived == DeskCommandID.forRouter(long))
        #expect(derived != DeskCommandID.forRouter(String(repeating: "x", count: 127) + "y"))
    }

    @Test("workspace refusals keep their sentence and map to the protocol's codes")
    func refusalCodes() {
        let focus = WorkspaceError.focusRefused(conversation: "c-1", liveCall: "v-1").commandFailure
        #expect(focus.code == .conflict)
        #expect(focus.message.contains("v-1"))
        #expect(WorkspaceError.unknownSession(conversation: "c-1").commandFailure.code == .notFound)
        #expect(WorkspaceError.emptyReply(conversation: "c-1").commandFailure.code == .invalidArgument)
    }
}
