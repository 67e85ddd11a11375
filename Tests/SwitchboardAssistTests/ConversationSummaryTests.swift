import Foundation
import Testing

@testable import SwitchboardAssist

@Suite("Conversation and case summaries on scripted conversations")
struct ConversationSummaryTests {
    static let lateCard: [TranscriptMessage] = [
        Fixtures.message(
            .customer, "Dana Whitfield", "Hi, I ordered a new debit card two weeks ago and it still hasn't arrived.",
            at: 0),
        Fixtures.message(
            .agent, "Priya",
            "I'm sorry to hear that, Dana. I've checked your order: the card was dispatched on the 2nd.", at: 30),
        Fixtures.message(.agent, "Priya", "Could you confirm your delivery address is 12 Elm Road?", at: 35),
    ]

    func run(_ messages: [TranscriptMessage]) throws -> ConversationAssist {
        ConversationAssist.rebuild(
            conversationId: "c-test", messages: messages, assistant: try Fixtures.loadAssistant(),
            feedback: ReplyFeedback())
    }

    @Test("the summary names the customer, their need, what was done and what is pending")
    func summaryNamesNeedAndPending() throws {
        let state = try run(Self.lateCard)
        let sentence = try #require(state.summary?.sentence)
        #expect(sentence.hasPrefix("Dana Whitfield wants to know why their new card has not arrived yet"))
        #expect(sentence.contains("Priya has checked the customer's order"))
        #expect(sentence.contains("pending: the customer's answer to"))
        #expect(sentence.contains("12 Elm Road"))
        #expect(sentence.hasSuffix("."))
        #expect(!sentence.dropLast().contains(". "), "one sentence: \(sentence)")
    }

    @Test("the case summary has every field")
    func caseSummaryFields() throws {
        let summary = try #require(try run(Self.lateCard).summary?.caseSummary)
        #expect(summary.customer == "Dana Whitfield")
        #expect(summary.issue.contains("their new card has not arrived"))
        #expect(summary.issue.contains("ordered a new debit card"))
        #expect(summary.intent == "card_arrival")
        #expect(summary.skill == "cards")
        #expect(summary.stepsTaken.count == 2)
        #expect(summary.stepsTaken[1].contains("asked the customer to confirm their delivery address"))
        #expect(summary.status == .waitingForCustomer)
        #expect(!summary.nextAction.isEmpty)
        #expect(summary.agents == ["Priya"])
    }

    @Test("a transferred conversation's new agent gets a summary of the turns before the transfer")
    func transferBriefsNewAgent() throws {
        let assistant = try Fixtures.loadAssistant()
        let transcript =
            Self.lateCard + [
                Fixtures.message(.customer, "Dana Whitfield", "Yes, that's right, 12 Elm Road.", at: 60),
                Fixtures.message(
                    .agent, "Priya", "Thanks. I've cancelled the card in transit so nobody else can use it.", at: 90),
                Fixtures.message(
                    .system, "router", "Conversation transferred from Priya to Marco Rossi (cards team).", at: 95),
            ]
        var state = ConversationAssist(conversationId: "c-transfer")
        var updates: [AssistUpdate] = []
        for message in transcript {
            updates.append(state.apply(message, assistant: assistant, feedback: ReplyFeedback()))
        }
        let atTransfer = try #require(updates.last)
        #expect(atTransfer.handoff)
        let sentence = try #require(atTransfer.summary)
        #expect(sentence.contains("Dana Whitfield wants to know why their new card has not arrived yet"))
        #expect(sentence.contains("Priya has cancelled the card in transit"))
        #expect(sentence.contains("transferred from Priya to Marco Rossi"))
        #expect(sentence.contains("pending: Marco Rossi to pick up the conversation and"))
        #expect(state.summary?.caseSummary.status == .transferred)
        #expect(state.summary?.caseSummary.nextAction.hasPrefix("Marco Rossi to read this summary") == true)

        // Once the new agent writes, the case is theirs and the summary moves on.
        let reply = state.apply(
            Fixtures.message(
                .agent, "Marco Rossi", "Hello Dana, I'll order a replacement card to 12 Elm Road now.", at: 120),
            assistant: assistant, feedback: ReplyFeedback())
        #expect(reply.caseSummary?.status == .waitingForAgent)
        #expect(reply.summary?.contains("pending: Marco Rossi to order a replacement card to 12 Elm Road now") == true)
        #expect(state.summary?.caseSummary.agents == ["Priya", "Marco Rossi"])
    }

    @Test("a customer who spoke last waits for the agent, with the intent's usual next step")
    func waitingForAgent() throws {
        let state = try run([
            Fixtures.message(.customer, "Lee", "Why was I charged a fee when I took cash out of the ATM?", at: 0)
        ])
        let summary = try #require(state.summary)
        #expect(summary.caseSummary.status == .waitingForAgent)
        #expect(summary.sentence.contains("Lee wants to know why they were charged for a cash withdrawal"))
        #expect(summary.sentence.contains("no agent has replied yet"))
        #expect(summary.sentence.contains("pending: a first reply from an agent"))
        #expect(summary.caseSummary.nextAction.hasPrefix("Explain the free allowance"))
    }

    @Test("a closed conversation, or a customer who confirms, is resolved")
    func resolved() throws {
        let confirmed = try run([
            Fixtures.message(.customer, "Kim", "How do I change my PIN?", at: 0),
            Fixtures.message(.agent, "Omar", "You can change it at any UK cash machine with your current PIN.", at: 10),
            Fixtures.message(.customer, "Kim", "Great, that worked, thanks!", at: 600),
        ])
        #expect(confirmed.summary?.caseSummary.status == .resolved)
        let closed = try run([
            Fixtures.message(.customer, "Kim", "How do I change my PIN?", at: 0),
            Fixtures.message(.agent, "Omar", "You can change it at any UK cash machine.", at: 10),
            Fixtures.message(.system, "router", "Conversation closed by Omar.", at: 20),
        ])
        #expect(closed.summary?.caseSummary.status == .resolved)
        #expect(closed.summary?.sentence.contains("pending: nothing") == true)
    }

    @Test("an escalation waits for the supervisor")
    func escalated() throws {
        let state = try run([
            Fixtures.message(.customer, "Ruth", "Someone used my card in a shop I've never been to.", at: 0),
            Fixtures.message(.agent, "Priya", "I've frozen your card. I'm escalating this to our fraud team.", at: 20),
        ])
        #expect(state.summary?.caseSummary.status == .escalated)
        #expect(state.summary?.caseSummary.stepsTaken.first == "Priya has frozen the customer's card")
    }

    @Test("steps are rewritten in the third person")
    func thirdPerson() {
        #expect(
            ConversationSummariser.actionStep("I've sent you a new PIN reminder.", agent: "Ola")
                == "Ola has sent them a new PIN reminder")
        #expect(
            ConversationSummariser.actionStep("I have refunded your fee.", agent: "Ola")
                == "Ola has refunded the customer's fee")
        #expect(ConversationSummariser.actionStep("I have a question.", agent: "Ola") == nil)
        #expect(
            ConversationSummariser.promise("I'll check your card's status.", agent: "Ola")
                == "Ola to check the customer's card's status")
    }
}
