import Foundation
import Testing

@testable import SwitchboardAssist

@Suite("Ranking suggested replies by agents' feedback, per intent")
struct ReplyRankingTests {
    static let lateCard = "My new card still hasn't arrived, it's been two weeks"

    func suggest(_ text: String, feedback: ReplyFeedback) throws -> (String, [SuggestedReply]) {
        let assistant = try Fixtures.loadAssistant()
        let prediction = assistant.detectIntent(text)
        let suggester = ReplySuggester(catalog: assistant.catalog, knowledgeBase: assistant.knowledgeBase)
        let suggestions = suggester.suggest(
            customerText: text, customerFirstName: nil, prediction: prediction,
            articles: assistant.surfaceArticles(text: text, prediction: prediction), feedback: feedback, excluded: [])
        return (prediction.intent, suggestions)
    }

    @Test("the use rate is smoothed: ½ when nothing is known, towards 1 with uses, towards 0 with dismissals")
    func useRate() {
        #expect(ReplyFeedback.useRate(nil) == 0.5)
        #expect(ReplyFeedback.useRate(.init()) == 0.5)
        let used = ReplyFeedback.useRate(.init(accepted: 8))
        let edited = ReplyFeedback.useRate(.init(edited: 8))
        let dismissed = ReplyFeedback.useRate(.init(rejected: 8))
        #expect(used == 0.9)
        #expect(dismissed == 0.1)
        #expect(edited > dismissed && edited < used, "an edited use counts half")
        // One use is not yet certainty.
        #expect(ReplyFeedback.useRate(.init(accepted: 1)) < ReplyFeedback.useRate(.init(accepted: 5)))
    }

    @Test("an intent's tallies rank its suggestions; another intent's do not")
    func perIntent() {
        var feedback = ReplyFeedback()
        feedback.setTallies(["template:card_arrival:2": .init(accepted: 5)], forIntent: "card_arrival")
        #expect(feedback.multiplier(for: "template:card_arrival:2", intent: "card_arrival") > 1.5)
        #expect(feedback.multiplier(for: "template:card_arrival:2", intent: "lost_or_stolen_card") == 1)
        feedback.setTallies([:], forIntent: "card_arrival")
        #expect(feedback.intentTallies["card_arrival"] == nil, "no counts: the intent is forgotten")
    }

    @Test("dismissing the first suggestion and using the last reverses their order for the same words")
    func feedbackReorders() throws {
        let (intent, plain) = try suggest(Self.lateCard, feedback: ReplyFeedback())
        try #require(plain.count >= 2)
        let first = plain[0].id
        let last = try #require(plain.last).id
        var feedback = ReplyFeedback()
        feedback.setTallies([first: .init(rejected: 6), last: .init(accepted: 6)], forIntent: intent)
        let (_, ranked) = try suggest(Self.lateCard, feedback: feedback)
        #expect(ranked.first?.id == last, "the suggestion agents used comes first: \(ranked.map(\.id))")
        #expect(ranked.firstIndex { $0.id == first } ?? Int.max > 0, "the dismissed one is no longer first")
        #expect(ranked.first?.reason.contains("accepted it 6") == true, "the reason says why")

        // The same counts under another intent change nothing here.
        var elsewhere = ReplyFeedback()
        elsewhere.setTallies([first: .init(rejected: 6), last: .init(accepted: 6)], forIntent: "exchange_rate")
        #expect(try suggest(Self.lateCard, feedback: elsewhere).1.map(\.id) == plain.map(\.id))
    }

    @Test("reference agents who take the first suggestion leave nothing to learn; ones who take another teach it")
    func evaluation() throws {
        let assistant = try Fixtures.loadAssistant()
        let cases = ReplyRankingEvaluation.referenceCases
        // Replies that are what is offered first: the ranking is right before and stays right.
        var firsts: [String: String] = [:]
        for turn in cases where firsts[turn.intent] == nil {
            firsts[turn.intent] =
                ReplyRankingEvaluation.offer(turn, assistant: assistant, feedback: ReplyFeedback()).suggestions.first?
                .text
        }
        let agreeing = ReplyRankingEvaluation.run(
            assistant: assistant, cases: cases, replies: firsts.compactMapValues { $0 })
        #expect(agreeing.cases == cases.count)
        #expect(agreeing.top1After >= agreeing.top1Before)

        // The shipped reference replies: not always the first offered, and learning helps.
        let report = ReplyRankingEvaluation.run(assistant: assistant)
        #expect(report.top1Before < 1, "the set asks for more than the unranked order: \(report)")
        #expect(report.top1After > report.top1Before, "feedback brings the agents' reply first: \(report)")
    }

    @Test("a suggestion matches a reply holding most of its words")
    func matching() {
        let reply = "Could you confirm the delivery address on your profile so I can check where it went?"
        #expect(ReplyRankingEvaluation.matches("Could you confirm the delivery address on your profile?", reply: reply))
        #expect(!ReplyRankingEvaluation.matches("Standard delivery takes 3 to 5 working days.", reply: reply))
    }
}
