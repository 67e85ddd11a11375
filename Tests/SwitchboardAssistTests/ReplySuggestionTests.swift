import Foundation
import Testing

@testable import SwitchboardAssist

@Suite("Suggested replies and feedback")
struct ReplySuggestionTests {
    @Test("feedback multipliers: unknown stays 1, accepted rises, rejected sinks")
    func multipliers() {
        var feedback = ReplyFeedback()
        #expect(feedback.multiplier(for: "x") == 1)
        feedback.record(.accepted, suggestionId: "good")
        feedback.record(.accepted, suggestionId: "good")
        feedback.record(.rejected, suggestionId: "bad")
        feedback.record(.edited, suggestionId: "meh")
        #expect(feedback.multiplier(for: "good") > 1.4)
        #expect(feedback.multiplier(for: "bad") < 0.7)
        #expect(feedback.multiplier(for: "meh") < feedback.multiplier(for: "good"))
        #expect(feedback.multiplier(for: "meh") > feedback.multiplier(for: "bad"))
    }

    @Test("feedback state survives encoding, for persistence")
    func feedbackCodable() throws {
        var feedback = ReplyFeedback()
        feedback.record(.accepted, suggestionId: "template:card_arrival:0")
        let decoded = try JSONDecoder().decode(ReplyFeedback.self, from: JSONEncoder().encode(feedback))
        #expect(decoded == feedback)
    }

    @Test("feedback memory is bounded")
    func feedbackBounded() {
        var feedback = ReplyFeedback()
        for index in 0..<(ReplyFeedback.trackedSuggestionsMax + 5) {
            feedback.record(.rejected, suggestionId: "s\(index)")
        }
        #expect(feedback.tallies.count <= ReplyFeedback.trackedSuggestionsMax)
    }

    @Test("up to three suggestions per customer turn, best first, the customer's name filled in")
    func suggestions() throws {
        let assistant = try Fixtures.loadAssistant()
        var state = ConversationAssist(conversationId: "c-1")
        let update = state.apply(
            Fixtures.message(
                .customer, "Dana Whitfield", "My new card still hasn't arrived, it's been two weeks", at: 0),
            assistant: assistant, feedback: ReplyFeedback())
        let suggestions = try #require(update.suggestions)
        #expect((1...3).contains(suggestions.count))
        #expect(zip(suggestions, suggestions.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(suggestions.contains { $0.text.contains("Dana") })
        #expect(!suggestions.contains { $0.text.contains("{customer}") })
        #expect(suggestions.allSatisfy { !$0.reason.isEmpty })
    }

    @Test("a rejected suggestion drops out and the suggestions change")
    func rejectChangesSuggestions() throws {
        let assistant = try Fixtures.loadAssistant()
        var feedback = ReplyFeedback()
        var state = ConversationAssist(conversationId: "c-2")
        _ = state.apply(
            Fixtures.message(.customer, "Sam", "I lost my card somewhere in town yesterday", at: 0),
            assistant: assistant, feedback: feedback)
        let before = state.suggestions
        let rejected = try #require(before.first)
        let update = state.applyFeedback(
            .rejected, suggestionId: rejected.id, assistant: assistant, feedback: &feedback)
        let after = try #require(update.suggestions)
        #expect(after != before)
        #expect(!after.contains { $0.id == rejected.id })
        #expect(feedback.tallies[rejected.id]?.rejected == 1)
    }

    @Test("accepted suggestions rise in later conversations; rejected ones sink")
    func feedbackRanksLaterConversations() throws {
        let assistant = try Fixtures.loadAssistant()
        let opening = Fixtures.message(.customer, "Ana", "How do I top up my account with my debit card?", at: 0)
        var fresh = ConversationAssist(conversationId: "c-3")
        _ = fresh.apply(opening, assistant: assistant, feedback: ReplyFeedback())
        let baseline = fresh.suggestions
        #expect(baseline.count >= 2)
        let last = try #require(baseline.last)
        let first = try #require(baseline.first)
        var feedback = ReplyFeedback()
        for _ in 0..<5 {
            feedback.record(.accepted, suggestionId: last.id)
            feedback.record(.rejected, suggestionId: first.id)
        }
        var later = ConversationAssist(conversationId: "c-4")
        _ = later.apply(opening, assistant: assistant, feedback: feedback)
        let risen = try #require(later.suggestions.firstIndex { $0.id == last.id })
        #expect(risen < baseline.count - 1)
        let demoted = later.suggestions.firstIndex { $0.id == first.id }
        #expect(demoted.map { $0 > 0 } ?? true)
    }

    @Test("a suggestion the agent typed out is used up; ones offered and ignored give way to new ones")
    func laterTurnsBringNewSuggestions() throws {
        let assistant = try Fixtures.loadAssistant()
        var state = ConversationAssist(conversationId: "c-5")
        _ = state.apply(
            Fixtures.message(.customer, "Dana", "My new card still hasn't arrived after two weeks", at: 0),
            assistant: assistant, feedback: ReplyFeedback())
        let first = state.suggestions
        let typed = try #require(first.first)
        _ = state.apply(
            Fixtures.message(.agent, "Priya", typed.text, at: 10), assistant: assistant, feedback: ReplyFeedback())
        #expect(state.excludedSuggestionIds.contains(typed.id))
        _ = state.apply(
            Fixtures.message(.customer, "Dana", "It still hasn't come, my card has not arrived", at: 20),
            assistant: assistant, feedback: ReplyFeedback())
        #expect(!state.suggestions.contains { $0.id == typed.id })
        #expect(Set(state.suggestions.map(\.id)) != Set(first.map(\.id)))
        #expect(state.offeredTurns.values.allSatisfy { $0 >= 1 })
    }

    @Test("a template's name slot disappears cleanly when the name is unknown")
    func nameSlot() {
        #expect(ReplySuggester.fill("Sorry, {customer}. We can help.", firstName: nil) == "Sorry. We can help.")
        #expect(ReplySuggester.fill("Sorry, {customer}. We can help.", firstName: "Li") == "Sorry, Li. We can help.")
    }

    @Test("article sentences: list markers removed, headings dropped")
    func articleSentences() {
        let sentences = ReplySuggester.sentences(
            of:
                "Fees:\n- Debit card top-ups: free of charge for everyone.\n1. Open the app and tap Add money now. "
                    + "Then pick a card to use."
        )
        #expect(
            sentences == ["Debit card top-ups: free of charge for everyone.", "Open the app and tap Add money now."])
    }
}
