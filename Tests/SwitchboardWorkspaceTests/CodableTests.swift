import Foundation
import SwitchboardRouting
import Testing

@testable import SwitchboardWorkspace

@Suite("Persistence")
struct CodableTests {
    @Test("a full workspace survives a restart: encoded, decoded, equal, and it carries on the same")
    func workspaceRoundTrip() throws {
        var workspace = try RenderingTests.midShift()
        _ = try workspace.handle(
            .openTab(conversation: "c-1042", content: .form(name: "travel-notice", title: "Travel notice")),
            now: at(130))
        _ = try workspace.handle(
            .rememberPlace(
                conversation: "c-1042", tab: TabID("form:travel-notice"),
                place: TabPlace(scrollOffset: 1, cursorOffset: 4, fieldValues: ["country": "Portugal"])),
            now: at(131))
        _ = try workspace.handle(
            .setPreferences(
                PreferenceOverrides(notifications: NotificationOverrides(supervisorMessage: .toastAndSound))),
            now: at(132))

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let stored = try encoder.encode(workspace)
        var restored = try JSONDecoder().decode(Workspace.self, from: stored)
        #expect(restored == workspace)

        // The restored desk behaves exactly as the original would (use order included).
        let nextSteps: [WorkspaceCommand] = [
            .openTab(conversation: "c-1042", content: .knowledgeArticle(KnowledgeArticleRef(id: "kb-1", title: "A"))),
            .openTab(conversation: "c-1042", content: .knowledgeArticle(KnowledgeArticleRef(id: "kb-2", title: "B"))),
            .openTab(conversation: "c-1042", content: .knowledgeArticle(KnowledgeArticleRef(id: "kb-3", title: "C"))),
        ]
        for command in nextSteps {
            #expect(try restored.handle(command, now: at(200)) == workspace.handle(command, now: at(200)))
        }
        #expect(restored == workspace)
    }

    @Test("events, commands, inputs and errors round-trip through JSON")
    func messagesRoundTrip() throws {
        let events: [WorkspaceEvent] = [
            .sessionOpened(
                conversation: chat1, channel: .chat, customer: "cust-1", queue: "cards",
                placement: .background(reason: .liveCall(call1))),
            .tabClosed(conversation: chat1, tab: TabID("knowledge:kb-2"), reason: .leastRecentlyUsed),
            .preferencesChanged(.system),
        ]
        let commands: [WorkspaceCommand] = [
            .saveDraft(conversation: email1, subject: nil, body: DraftTests.awkwardBody),
            .openTab(conversation: chat1, content: .form(name: "f", title: "F")),
        ]
        let inputs: [WorkspaceInput] = [
            .workAssigned(item("c-chat-1", .chat, transferredFrom: "a-3")),
            .assistanceArrived(
                conversation: chat1, update: .caseSummary(CaseSummary(issue: "i", actionsTaken: ["a"], nextStep: "n"))),
        ]
        let errors: [WorkspaceError] = [.focusRefused(conversation: chat1, liveCall: call1)]
        #expect(try roundTrip(events) == events)
        #expect(try roundTrip(commands) == commands)
        #expect(try roundTrip(inputs) == inputs)
        #expect(try roundTrip(errors) == errors)

        var ledger = InterventionLedger(policy: SupervisionTests.policy)
        _ = try ledger.intervene(
            sender: "s-1", senderRole: "supervisor", kind: .barge, conversation: chat1, channel: .chat, now: start)
        #expect(try roundTrip(ledger) == ledger)
        #expect(
            try roundTrip(RolePreferences(defaultsByRole: ["first-line": PreferenceOverrides(tabsRemembered: 3)]))
                == RolePreferences(defaultsByRole: ["first-line": PreferenceOverrides(tabsRemembered: 3)]))
    }

    @Test("the desk summary for supervisors shows focus, live call, unread and load per channel")
    func deskSummary() throws {
        let summary = try RenderingTests.midShift().summary
        #expect(summary.agent == "priya")
        #expect(summary.activeSession == "c-4001")
        #expect(summary.sessions.map(\.conversation) == ["c-1042", "c-1043", "c-3001", "c-4001"])
        #expect(summary.sessions.filter(\.isActive).map(\.conversation) == ["c-4001"])
        #expect(summary.sessions.filter(\.isLiveCall).map(\.conversation) == ["c-4001"])
        #expect(summary.sessions.map(\.unreadCount) == [0, 2, 0, 0])
        #expect(summary.sessionsByChannel == [.chat: 2, .case: 1, .voice: 1])
        #expect(try roundTrip(summary) == summary)
    }

    @Test("role preferences encode as a map keyed by role name")
    func rolePreferencesShape() throws {
        let roles = RolePreferences(defaultsByRole: ["first-line": PreferenceOverrides(tabsRemembered: 3)])
        let json = String(decoding: try JSONEncoder().encode(roles), as: UTF8.self)
        #expect(json.contains("\"first-line\":{"))
    }

    private func roundTrip<Value: Codable>(_ value: Value) throws -> Value {
        try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(value))
    }
}
