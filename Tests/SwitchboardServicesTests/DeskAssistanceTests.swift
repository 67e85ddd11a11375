import SwitchboardBus
import SwitchboardRouting
import SwitchboardWorkspace
import Testing

@testable import SwitchboardServices

/// Reading the summariser's `assist.*` for the productivity pane.
@Suite("Desk: assistance for the pane")
struct DeskAssistanceTests {
    @Test("each assist event feeds its pane tool; the item feeds them all")
    func eventsAndItems() {
        #expect(
            AssistanceTranslation.updates(
                type: "assist.summary", data: ["conversationId": "c-1", "sentence": "Card lost."])
                == [.summary(text: "Card lost.")])
        #expect(
            AssistanceTranslation.updates(
                type: "assist.suggestions",
                data: [
                    "suggestions": [
                        ["id": "s-1", "text": "I have blocked it."],
                        ["id": "s-2", "text": "A new card is on its way."],
                    ]
                ])
                == [.suggestedReplies(["I have blocked it.", "A new card is on its way."])])
        #expect(
            AssistanceTranslation.updates(
                type: "assist.knowledge",
                data: ["articles": [["id": "kb-1", "title": "Lost cards", "why": "lost, card"]]])
                == [.knowledge([KnowledgeArticleRef(id: "kb-1", title: "Lost cards")])])
        let caseSummary: JSON = [
            "customer": "cust-1", "issue": "Card lost abroad", "stepsTaken": ["Card blocked"], "status": "open",
            "nextAction": "Send a replacement",
        ]
        #expect(
            AssistanceTranslation.updates(type: "assist.caseSummary", data: ["caseSummary": caseSummary])
                == [
                    .caseSummary(
                        CaseSummary(
                            issue: "Card lost abroad", actionsTaken: ["Card blocked"], nextStep: "Send a replacement"))
                ])
        let item: JSON = [
            "conversationId": "c-1", "summary": "Card lost.", "suggestions": [["text": "Blocked."]], "articles": [],
        ]
        #expect(
            AssistanceTranslation.updates(item: item)
                == [.summary(text: "Card lost."), .suggestedReplies(["Blocked."]), .knowledge([])])
        #expect(AssistanceTranslation.updates(type: "assist.intent", data: ["intent": "lost_card"]).isEmpty)
    }

    @Test("the pane keeps three of each, and long texts are cut on a character boundary")
    func bounded() throws {
        let many: JSON = .array((1...6).map { ["text": .string("reply \($0)")] })
        guard
            case .suggestedReplies(let replies) = try #require(
                AssistanceTranslation.updates(type: "assist.suggestions", data: ["suggestions": many]).first)
        else {
            Issue.record("expected suggestions")
            return
        }
        #expect(replies == ["reply 1", "reply 2", "reply 3"])
        let long = String(repeating: "\u{E9}", count: DeskLimits.assistanceTextBytesMax)
        guard
            case .summary(let text) = try #require(
                AssistanceTranslation.updates(type: "assist.summary", data: ["sentence": .string(long)]).first)
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
