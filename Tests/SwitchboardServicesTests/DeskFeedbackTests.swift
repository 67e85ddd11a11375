import Foundation
import SwitchboardAssist
import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire
import SwitchboardWorkspace
import Testing

@testable import SwitchboardDesk
@testable import SwitchboardSummariser

/// The agent's say over the assistance: reading the commands, counting feedback per intent, the
/// corrected case summary's event, and the summariser taking the desk's counts.
@Suite("Desk: feedback on the assistance")
struct DeskFeedbackTests {
    private func parse(_ type: String, _ data: JSON) throws(CommandFailure) -> DeskRequest {
        try DeskRequest.parse(CommandRequest(id: "id-1", type: type, data: data)).1
    }

    static let at = RoutingInstant(millisecondsSinceEpoch: 1_780_000_000_000)

    @Test("use, dismiss and helpful name the conversation and what they are about; edited is false unless said")
    func parses() throws {
        let base: [(String, JSON)] = [("agentId", "priya-raman"), ("conversationId", "c-1")]
        func data(_ more: [(String, JSON)]) -> JSON { .object(JSONObject(base + more)) }
        #expect(
            try parse("desk.useSuggestion", data([("suggestionId", "template:card_arrival:0")]))
                == .useSuggestion("c-1", suggestionId: "template:card_arrival:0", edited: false))
        #expect(
            try parse("desk.useSuggestion", data([("suggestionId", "s"), ("edited", true)]))
                == .useSuggestion("c-1", suggestionId: "s", edited: true))
        #expect(
            try parse("desk.dismissSuggestion", data([("suggestionId", "s")]))
                == .dismissSuggestion("c-1", suggestionId: "s"))
        #expect(
            try parse("desk.markArticleHelpful", data([("articleId", "kb-card-delivery")]))
                == .markArticleHelpful("c-1", articleId: "kb-card-delivery"))
        do {
            _ = try parse("desk.useSuggestion", data([("suggestionId", "s"), ("edited", "yes")]))
            Issue.record("edited as a string was accepted")
        } catch {
            #expect(error.code == .invalidArgument && error.message.contains("edited"))
        }
        #expect(throws: CommandFailure.self) { try parse("desk.dismissSuggestion", data([])) }
    }

    @Test("an edited case summary needs an issue and a next step; blank actions are dropped")
    func caseSummaryParses() throws {
        let request = try parse(
            "desk.editCaseSummary",
            [
                "agentId": "priya-raman", "conversationId": "c-1", "issue": " Card not arrived. ",
                "nextStep": "Reorder the card.", "actionsTaken": ["Checked the address.", "  "],
            ])
        #expect(
            request
                == .editCaseSummary(
                    "c-1",
                    CaseSummary(
                        issue: "Card not arrived.", actionsTaken: ["Checked the address."],
                        nextStep: "Reorder the card.")
                ))
        do {
            _ = try parse(
                "desk.editCaseSummary",
                ["agentId": "priya-raman", "conversationId": "c-1", "issue": "  ", "nextStep": "Reorder."])
            Issue.record("a blank issue was accepted")
        } catch {
            #expect(error.code == .invalidArgument && error.message.contains("issue"))
        }
        let tooMany = JSON.array((0...DeskRequest.caseSummaryActionsMax).map { .string("step \($0)") })
        #expect(throws: CommandFailure.self) {
            try parse(
                "desk.editCaseSummary",
                [
                    "agentId": "priya-raman", "conversationId": "c-1", "issue": "I", "nextStep": "N",
                    "actionsTaken": tooMany,
                ])
        }
    }

    @Test("feedback is counted per intent and per suggestion, uses edited or not, lists ordered by id")
    func counting() {
        var book = FeedbackBook()
        _ = book.record(
            .used(suggestionId: "template:card_arrival:1", edited: false), intent: "card_arrival", at: Self.at)
        _ = book.record(
            .used(suggestionId: "template:card_arrival:1", edited: true), intent: "card_arrival", at: Self.at)
        _ = book.record(.dismissed(suggestionId: "template:card_arrival:0"), intent: "card_arrival", at: Self.at)
        let item = book.record(.helpful(articleId: "kb-card-delivery"), intent: "card_arrival", at: Self.at)
        #expect(item.key == "feedback.card_arrival")
        #expect(
            item.suggestions == [
                .init(suggestionId: "template:card_arrival:0", dismissed: 1),
                .init(suggestionId: "template:card_arrival:1", used: 2, edited: 1),
            ])
        #expect(item.articles == [.init(articleId: "kb-card-delivery", helpful: 1)])
        let other = book.record(.dismissed(suggestionId: "x"), intent: "exchange_rate", at: Self.at)
        #expect(other.suggestions.count == 1 && book.items["card_arrival"]?.suggestions.count == 2)
    }

    @Test("the intent is the conversation's, else a template's, else unclassified")
    func intentOfFeedback() {
        #expect(
            FeedbackBook.intent(conversationIntent: "card_arrival", suggestionId: "template:exchange_rate:0")
                == "card_arrival")
        #expect(
            FeedbackBook.intent(conversationIntent: nil, suggestionId: "template:exchange_rate:0") == "exchange_rate")
        #expect(FeedbackBook.intent(conversationIntent: nil, suggestionId: "article:kb-x:2") == "unclassified")
        #expect(FeedbackBook.intent(conversationIntent: "not.an.id", suggestionId: nil) == "unclassified")
    }

    @Test("a corrected case summary is one desk event with its fields, and the pane holds it marked")
    func caseSummaryEvent() {
        let summary = CaseSummary(
            issue: "Card not arrived.", actionsTaken: ["Checked the address."], nextStep: "Reorder.",
            editedBy: "priya-raman", editedAt: deskStart)
        let events = DeskBusEvent.events(
            for: [.caseSummaryEdited("c-1", summary)], of: priya, item: ["agentId": "priya-raman"])
        #expect(events.map(\.topic) == ["desk.priya-raman.case-summary.edited"])
        #expect(events.first?.type == "desk.case-summary.edited")
        let data = events.first?.data
        #expect(data?["editedBy"] == "priya-raman")
        #expect(data?["editedAt"] == .int(Int64(deskStart.timeIntervalSince1970 * 1_000)))
        #expect(data?["actionsTaken"] == ["Checked the address."])
        #expect(data?["key"] == "desk.priya-raman")
    }

    @Test("a suggestion an agent used or dismissed at the desk is not offered again in its conversation")
    func handledSuggestionLeaves() throws {
        let context = try SummariserFixtures.context()
        var track = AssistTrack(conversationId: "c-1")
        for line in SummariserFixtures.lateCard where line.role == .customer {
            track.apply(line, context: context)
            break
        }
        let offered = track.item().suggestions.map(\.id)
        let first = try #require(offered.first)
        track.handleSuggestion(first, context: context)
        let after = track.item().suggestions.map(\.id)
        #expect(!after.contains(first), "before: \(offered), after: \(after)")
        #expect(!after.isEmpty, "the others stay, or new ones take its place")
    }

    @Test("the summariser takes the desk's counts from its events, as tallies per intent")
    func summariserTakesCounts() throws {
        let feedback = DeskFeedback()
        let item = FeedbackItem(
            intent: "card_arrival",
            suggestions: [.init(suggestionId: "template:card_arrival:2", used: 3, edited: 1, dismissed: 1)],
            updatedAt: Self.at)
        let data: JSON = ["intent": "card_arrival", "key": .string(item.key), "item": item.json]
        let message = EnvelopeCodec.encode(
            topic: "\(item.key).suggestion.used", source: "desk", epoch: 1, seq: 1, timestampMicroseconds: 0,
            type: "desk.suggestion.used", data: data.bytes)
        #expect(feedback.apply(.event(try EnvelopeCodec.decode(message))))
        let tally = feedback.current.tally(for: "template:card_arrival:2", intent: "card_arrival")
        #expect(tally == ReplyFeedback.Tally(accepted: 2, edited: 1, rejected: 1))
        #expect(feedback.current.multiplier(for: "template:card_arrival:2", intent: "card_arrival") > 1)
    }
}
