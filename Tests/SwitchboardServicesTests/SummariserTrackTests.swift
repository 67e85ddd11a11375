import Foundation
import SwitchboardAssist
import SwitchboardBus
import SwitchboardDesk
import SwitchboardRouting
import SwitchboardWire
import SwitchboardWorkspace
import Testing

@testable import SwitchboardSummariser

@Suite("Summariser: one conversation's assistance")
struct SummariserTrackTests {
    @Test("a customer's first message brings the intent, its skill, articles, suggestions and a summary")
    func firstMessage() throws {
        let context = try SummariserFixtures.context()
        var track = AssistTrack(conversationId: "c-1")
        #expect(track.item().isEmpty)
        track.apply(SummariserFixtures.lateCard[0], context: context)
        let item = track.item()
        let intent = try #require(item.intent)
        #expect(intent.intent == "card_arrival")
        #expect(intent.skill == "cards")
        #expect((1...3).contains(item.knowledge.count))
        #expect(item.knowledge.allSatisfy { !$0.why.isEmpty && !$0.title.isEmpty })
        #expect((1...3).contains(item.suggestions.count))
        let summary = try #require(item.summary)
        #expect(summary.hasPrefix("Dana Whitfield wants"))
        #expect(summary.contains("pending: a first reply from an agent"))
        // Nothing was handed over yet: no case summary.
        #expect(item.caseSummary == nil)
    }

    @Test("a transferred conversation's new agent gets the summary and the case summary in their pane")
    func transferReachesTheNewAgent() throws {
        let context = try SummariserFixtures.context()
        var track = AssistTrack(conversationId: "c-1")
        for line in SummariserFixtures.lateCard { track.apply(line, context: context) }
        let before = track.item()
        track.applyTransfer(
            ordinal: 1, toQueue: nil, toAgentName: "Tom Baker", fromAgentName: "Priya Shah",
            atMilliseconds: SummariserFixtures.milliseconds(50), context: context)
        let item = track.item()
        #expect(AssistFacet.changes(from: before, to: item) == [.summary, .caseSummary])
        let summary = try #require(item.summary)
        #expect(summary.contains("Dana Whitfield wants"))
        #expect(summary.contains("transferred to Tom Baker by Priya Shah"))
        #expect(summary.contains("pending: Tom Baker to pick up the conversation"))
        let caseSummary = try #require(item.caseSummary)
        #expect(item.caseSummaryReason == .transfer)
        #expect(caseSummary.status == .transferred)
        #expect(caseSummary.customer == "Dana Whitfield")
        #expect(caseSummary.intent == "card_arrival")
        #expect(caseSummary.stepsTaken.contains { $0.contains("Priya Shah has checked the order") })
        #expect(caseSummary.nextAction.hasPrefix("Tom Baker to read this summary"))

        // The new agent's workspace: the conversation arrives by transfer, the pane shows the summary.
        var workspace = Workspace(agent: AgentID("tom-baker"), role: RoleName("agent"))
        _ = workspace.apply(
            .workAssigned(
                WorkItem(
                    conversation: ConversationID("c-1"), channel: .chat, customer: CustomerID("cust-9"),
                    queue: QueueID("chat-en-cards"), transferredFrom: AgentID("priya-shah"))),
            now: Date(timeIntervalSince1970: 1_800_000_100))
        // The desk reads the published item as any consumer would (AssistanceTranslation).
        for update in try AssistanceTranslation.updates(item: item.json) {
            _ = workspace.apply(
                .assistanceArrived(conversation: ConversationID("c-1"), update: update),
                now: Date(timeIntervalSince1970: 1_800_000_101))
        }
        let assistance = try #require(workspace.session(ConversationID("c-1"))?.assistance)
        #expect(assistance.summary == summary)
        #expect(assistance.caseSummary?.issue == caseSummary.issue)
        #expect(assistance.caseSummary?.actionsTaken == caseSummary.stepsTaken)
        #expect(assistance.knowledge.map(\.id) == item.knowledge.map(\.id))
    }

    @Test("the case summary is drafted at transfer, escalation and close, and kept between them")
    func caseSummaryMoments() throws {
        let context = try SummariserFixtures.context()
        var track = AssistTrack(conversationId: "c-2")
        for line in SummariserFixtures.lateCard.prefix(2) { track.apply(line, context: context) }
        #expect(track.item().caseSummary == nil)
        track.apply(
            SummariserFixtures.line(5, .agent, "Priya Shah", "I'm escalating this to my supervisor for a replacement."),
            context: context)
        #expect(track.item().caseSummaryReason == .escalation)
        #expect(track.item().caseSummary?.status == .escalated)
        let drafted = track.item().caseSummary
        // Later lines change the summary sentence, not the drafted case summary.
        let summaryBefore = track.item().summary
        track.apply(
            SummariserFixtures.line(6, .customer, "Dana Whitfield", "Thanks, how long will that take?"),
            context: context)
        #expect(track.item().summary != summaryBefore)
        #expect(track.item().caseSummary == drafted)
        track.applyClose(
            byAgentName: "Priya Shah", atMilliseconds: SummariserFixtures.milliseconds(70), context: context)
        #expect(track.item().caseSummaryReason == .close)
        #expect(track.item().caseSummary?.status == .resolved)
        #expect(track.item().caseSummary?.stepsTaken.last == "conversation closed by Priya Shah")
    }

    @Test("a line, transfer or close seen twice is applied once")
    func repeatsChangeNothing() throws {
        let context = try SummariserFixtures.context()
        var track = AssistTrack(conversationId: "c-3")
        for line in SummariserFixtures.lateCard { track.apply(line, context: context) }
        track.applyTransfer(
            ordinal: 1, toQueue: "chat-en-cards", toAgentName: nil, fromAgentName: "Priya Shah", atMilliseconds: 0,
            context: context)
        track.applyClose(byAgentName: nil, atMilliseconds: 0, context: context)
        let once = track.item()
        #expect(track.apply(SummariserFixtures.lateCard[2], context: context) == .duplicate)
        track.applyTransfer(
            ordinal: 1, toQueue: "chat-en-cards", toAgentName: nil, fromAgentName: "Priya Shah", atMilliseconds: 0,
            context: context)
        track.applyClose(byAgentName: nil, atMilliseconds: 0, context: context)
        #expect(track.item() == once)
        #expect(track.assist.messages.count == SummariserFixtures.lateCard.count + 2)
    }

    @Test("a line after missing ones is applied and reported")
    func gapIsReported() throws {
        let context = try SummariserFixtures.context()
        var track = AssistTrack(conversationId: "c-4")
        track.apply(SummariserFixtures.lateCard[0], context: context)
        #expect(track.apply(SummariserFixtures.lateCard[3], context: context) == .appliedAfterGap(expected: 2))
        #expect(track.lastMessageNumber == 4)
    }

    @Test("a supervisor's whisper is context for the agent's pane")
    func whisperIsContext() throws {
        let context = try SummariserFixtures.context()
        var track = AssistTrack(conversationId: "c-5")
        for line in SummariserFixtures.lateCard.prefix(2) { track.apply(line, context: context) }
        track.apply(
            SummariserFixtures.line(3, .supervisor, "Maria Lopez", "Offer express delivery.", audience: .agent),
            context: context)
        #expect(track.item().summary?.contains("supervisor Maria Lopez stepped in") == true)
    }

    @Test("rebuilt from the router's transcript and history, the assistance equals the live one")
    func rebuildEqualsLive() throws {
        let context = try SummariserFixtures.context()
        let lines =
            SummariserFixtures.lateCard + [
                SummariserFixtures.line(5, .agent, "Tom Baker", "Hello Dana, I've reissued the card to Harbour Lane."),
                SummariserFixtures.line(6, .customer, "Dana Whitfield", "Great, thank you, that's all I needed."),
            ]
        var live = AssistTrack(conversationId: "c-6")
        for line in lines.prefix(4) { live.apply(line, context: context) }
        live.applyTransfer(
            ordinal: 1, toQueue: nil, toAgentName: "Tom Baker", fromAgentName: "Priya Shah",
            atMilliseconds: SummariserFixtures.milliseconds(45), context: context)
        for line in lines.suffix(2) { live.apply(line, context: context) }
        live.applyClose(
            byAgentName: "Tom Baker", atMilliseconds: SummariserFixtures.milliseconds(70), context: context)

        // As conversation.explain reports it: the router's own sentences.
        let explain: JSON = [
            "conversation": [:],
            "history": [
                ["at": .int(SummariserFixtures.milliseconds(1)), "event": "queued", "sentence": "Queued."],
                [
                    "at": .int(SummariserFixtures.milliseconds(45)), "event": "transferred", "agentId": "priya-shah",
                    "sentence": "Transferred to Tom Baker.", "fromAgentId": "priya-shah", "toAgentId": "tom-baker",
                ],
                [
                    "at": .int(SummariserFixtures.milliseconds(70)), "event": "closed", "agentId": "tom-baker",
                    "sentence": "Closed by Tom Baker.",
                ],
            ],
        ]
        let history = try #require(RouterHistoryStep.steps(fromExplainResult: explain))
        #expect(history.count == 2)
        let conversation = RouterConversation(
            conversationId: "c-6", queue: "chat-en-cards", state: .closed, agentId: "tom-baker", transfers: 1,
            endedAtMilliseconds: SummariserFixtures.milliseconds(70))
        let rebuilt = AssistTrack.rebuild(
            conversationId: "c-6", conversation: conversation, transcript: lines.reversed(), history: history,
            names: ["priya-shah": "Priya Shah", "tom-baker": "Tom Baker"], context: context)
        #expect(rebuilt.item() == live.item())
        #expect(rebuilt.transfersApplied == 1 && rebuilt.closeApplied)
    }

    @Test("without the router's history, a transfer is placed after the last line")
    func rebuildWithoutHistory() throws {
        let context = try SummariserFixtures.context()
        let conversation = RouterConversation(
            conversationId: "c-7", queue: "chat-en-cards", state: .queued, agentId: nil, transfers: 1)
        let rebuilt = AssistTrack.rebuild(
            conversationId: "c-7", conversation: conversation, transcript: SummariserFixtures.lateCard, history: nil,
            names: [:], context: context)
        #expect(rebuilt.transfersApplied == 1)
        #expect(rebuilt.item().caseSummaryReason == .transfer)
        #expect(rebuilt.item().caseSummary?.status == .transferred)
        #expect(rebuilt.assist.messages.last?.text == "Transferred to the chat-en-cards queue.")
    }

    @Test("facets: from nothing only those with content, then exactly those that changed")
    func facets() {
        var item = AssistItem(conversationId: "c-8")
        #expect(AssistFacet.changes(from: nil, to: item).isEmpty)
        item.summary = "Dana wants a card."
        item.intent = AssistItem.Intent.rounded(intent: "card_arrival", confidence: 0.8312, skill: "cards")
        #expect(AssistFacet.changes(from: nil, to: item) == [.intent, .summary])
        var next = item
        next.intent = AssistItem.Intent.rounded(intent: "card_arrival", confidence: 0.8348, skill: "cards")
        // Confidence is published to two decimals: 0.83 both times.
        #expect(AssistFacet.changes(from: item, to: next).isEmpty)
        next.knowledge = [
            AssistItem.Article(id: "kb-1", title: "Cards", why: "It answers card_arrival.", source: "intent")
        ]
        #expect(AssistFacet.changes(from: item, to: next) == [.knowledge])
    }
}
