import Foundation
import Testing
import TestSupport

@testable import SwitchboardAssist

@Suite("Incremental conversation assistance")
struct ConversationAssistTests {
    static let transcript: [TranscriptMessage] = [
        Fixtures.message(.customer, "Jo Park", "hello", at: 0),
        Fixtures.message(
            .customer, "Jo Park",
            "I sent a transfer to my sister's bank account in Spain, how many days until she receives it?", at: 5),
        Fixtures.message(.agent, "Priya", "Transfers in euros within Europe take 1 working day.", at: 40),
        Fixtures.message(.customer, "Jo Park", "And is there a fee for that?", at: 70),
    ]

    @Test("each customer message yields intent, knowledge, suggestions and summaries; agent messages only summaries")
    func updatesPerRole() throws {
        let assistant = try Fixtures.loadAssistant()
        var state = ConversationAssist(conversationId: "c-9")
        let first = state.apply(Self.transcript[1], assistant: assistant, feedback: ReplyFeedback())
        #expect(first.intent?.skill == "transfers")
        #expect(first.knowledge?.count == 3)
        #expect(first.suggestions?.isEmpty == false)
        #expect(first.summary != nil && first.caseSummary != nil)
        let agent = state.apply(Self.transcript[2], assistant: assistant, feedback: ReplyFeedback())
        #expect(agent.intent == nil && agent.knowledge == nil && agent.suggestions == nil)
        #expect(agent.summary != nil)
    }

    @Test("an input that changes nothing yields an empty update")
    func unchangedIsEmpty() throws {
        let assistant = try Fixtures.loadAssistant()
        var state = ConversationAssist(conversationId: "c-10")
        _ = state.apply(Self.transcript[1], assistant: assistant, feedback: ReplyFeedback())
        var feedback = ReplyFeedback()
        let repeated = state.applyFeedback(
            .rejected, suggestionId: "never-offered", assistant: assistant, feedback: &feedback)
        #expect(repeated.isEmpty)
    }

    @Test("rebuilding from the transcript gives the same state as applying it live, and the state encodes")
    func rebuildMatchesLive() throws {
        let assistant = try Fixtures.loadAssistant()
        var live = ConversationAssist(conversationId: "c-11")
        for message in Self.transcript { _ = live.apply(message, assistant: assistant, feedback: ReplyFeedback()) }
        let rebuilt = ConversationAssist.rebuild(
            conversationId: "c-11", messages: Self.transcript, assistant: assistant, feedback: ReplyFeedback())
        #expect(rebuilt == live)
        let decoded = try JSONDecoder().decode(ConversationAssist.self, from: JSONEncoder().encode(live))
        #expect(decoded == live)
    }

    @Test("the transcript kept is bounded, and the customer's opening words survive the bound")
    func bounded() async throws {
        let opening = Self.transcript[1]
        let state = try await onOwnThread {
            let assistant = try Fixtures.loadAssistant()
            var state = ConversationAssist(conversationId: "c-12")
            _ = state.apply(opening, assistant: assistant, feedback: ReplyFeedback())
            for index in 0..<(ConversationAssist.messagesMax + 10) {
                _ = state.apply(
                    Fixtures.message(.agent, "Priya", "Still checking, one moment.", at: Double(10 + index)),
                    assistant: assistant, feedback: ReplyFeedback())
            }
            return state
        }
        #expect(state.messages.count == ConversationAssist.messagesMax)
        #expect(state.droppedMessageCount == 11)
        #expect(state.customerText.contains("account in Spain"))
        #expect(state.customerFirstName == "Jo")
    }
}

@Suite("Plain-text transcripts")
struct TranscriptTextTests {
    @Test("role|author|text lines become messages; comments and blank lines are skipped")
    func parses() throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let messages = try TranscriptText.parse(
            "# a scripted chat\ncustomer|Dana|Where is my card? It's late | very late\n\nAGENT | Priya | Let me "
                + "check.\n",
            start: start)
        #expect(messages.count == 2)
        #expect(messages[0].role == .customer && messages[0].author == "Dana")
        #expect(messages[0].text == "Where is my card? It's late | very late")
        #expect(messages[1].role == .agent && messages[1].timestamp == start.addingTimeInterval(1))
    }

    @Test("a line without a known role is an error naming the line")
    func refusesBadLines() {
        #expect(throws: AssistError.self) { try TranscriptText.parse("bot|x|hello", start: Date()) }
        #expect(throws: AssistError.self) { try TranscriptText.parse("customer only text", start: Date()) }
    }
}
