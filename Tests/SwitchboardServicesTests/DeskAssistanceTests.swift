import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire
import SwitchboardWorkspace
import Testing

@testable import SwitchboardDesk

/// Reading the summariser's `assist.*` for the productivity pane.
@Suite("Desk: assistance for the pane")
struct DeskAssistanceTests {
    @Test("each assist event feeds its pane tool from its item; the item feeds them all")
    func eventsAndItems() throws {
        let item = AssistItem(
            conversationId: "c-1", intent: .init(intent: "lost_card", confidence: 0.9, skill: "cards"),
            summary: "Card lost.",
            suggestions: [
                .init(id: "s-1", text: "I have blocked it.", source: "template", reason: "lost card"),
                .init(id: "s-2", text: "A new card is on its way.", source: "template", reason: "lost card"),
            ],
            knowledge: [.init(id: "kb-1", title: "Lost cards", why: "lost, card", source: "text")],
            caseSummary: .init(
                customer: "cust-1", issue: "Card lost abroad", intent: "lost_card", skill: "cards",
                stepsTaken: ["Card blocked"], status: .waitingForAgent, nextAction: "Send a replacement",
                agents: ["priya"]),
            caseSummaryReason: .transfer)
        func event(_ type: String) throws -> [AssistanceUpdate] {
            try AssistanceTranslation.updates(
                type: type, data: ["conversationId": "c-1", "key": .string(item.key), "item": item.json])
        }
        let caseSummary = CaseSummary(
            issue: "Card lost abroad", actionsTaken: ["Card blocked"], nextStep: "Send a replacement")
        #expect(try event("assist.summary") == [.summary(text: "Card lost.")])
        #expect(
            try event("assist.suggestions") == [.suggestedReplies(["I have blocked it.", "A new card is on its way."])])
        #expect(try event("assist.knowledge") == [.knowledge([KnowledgeArticleRef(id: "kb-1", title: "Lost cards")])])
        #expect(try event("assist.caseSummary") == [.caseSummary(caseSummary)])
        #expect(try event("assist.intent").isEmpty)
        #expect(
            try AssistanceTranslation.updates(
                type: "assist.forgotten", data: ["conversationId": "c-1", "key": "assist.c-1", "item": .null]
            ).isEmpty)
        #expect(
            try AssistanceTranslation.updates(item: item.json)
                == [
                    .summary(text: "Card lost."),
                    .suggestedReplies(["I have blocked it.", "A new card is on its way."]),
                    .knowledge([KnowledgeArticleRef(id: "kb-1", title: "Lost cards")]), .caseSummary(caseSummary),
                ])
        #expect(
            try AssistanceTranslation.updates(item: AssistItem(conversationId: "c-2").json)
                == [.suggestedReplies([]), .knowledge([])])
    }

    @Test("an assist item the desk cannot read is an error naming the field")
    func unreadable() {
        let json: JSON = [
            "conversationId": "c-1", "intent": .null, "summary": "Card lost.", "suggestions": "Blocked.",
            "knowledge": [], "caseSummary": .null, "caseSummaryReason": .null, "backend": "offline",
        ]
        #expect(throws: WireError.self) { try AssistanceTranslation.updates(item: json) }
        #expect(throws: WireError.self) {
            try AssistanceTranslation.updates(type: "assist.summary", data: ["conversationId": "c-1", "item": json])
        }
    }

    @Test("the pane keeps three of each, and long texts are cut on a character boundary")
    func bounded() throws {
        let many = AssistItem(
            conversationId: "c-1",
            suggestions: (1...6).map { .init(id: "s-\($0)", text: "reply \($0)", source: "template", reason: "") })
        guard
            case .suggestedReplies(let replies) = try #require(
                try AssistanceTranslation.updates(type: "assist.suggestions", data: ["item": many.json]).first)
        else {
            Issue.record("expected suggestions")
            return
        }
        #expect(replies == ["reply 1", "reply 2", "reply 3"])
        let long = String(repeating: "\u{E9}", count: DeskLimits.assistanceTextBytesMax)
        guard
            case .summary(let text) = try #require(
                try AssistanceTranslation.updates(
                    type: "assist.summary", data: ["item": AssistItem(conversationId: "c-1", summary: long).json]
                ).first)
        else {
            Issue.record("expected a summary")
            return
        }
        #expect(text.utf8.count <= DeskLimits.assistanceTextBytesMax)
        #expect(text.allSatisfy { $0 == "\u{E9}" })
    }

    @Test("assistance reaches the session's pane, and a session opened later gets what was published before")
    func reachesPane() throws {
        var record = signedInRecord()
        _ = record.apply(.assigned(deskItem("chat-1", .chat), at: deskTime(0), transcript: []), now: deskTime(0))
        let events = record.apply(.assistance("chat-1", .summary(text: "Card lost.")), now: deskTime(1))
        #expect(events == [.workspace(.paneUpdated(conversation: "chat-1", tool: .conversationSummary, shown: true))])
        #expect(record.workspace.session("chat-1")?.assistance.summary == "Card lost.")
    }
}
