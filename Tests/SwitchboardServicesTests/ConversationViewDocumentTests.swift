import Foundation
import SwitchboardRouting
import SwitchboardWire
import Testing

@testable import SwitchboardRouter

/// The view's document as the checkpoint writer writes it by hand (`router_ended.view`, the
/// checkpoint's open views) against `JSONEncoder`'s, which rows written before hold: both decode
/// to the same view, with the same members.
@Suite("Conversation view documents")
struct ConversationViewDocumentTests {
    let start = RoutingInstant(millisecondsSinceEpoch: 1_700_000_000_000)

    /// Every optional member set, strings that need escaping, a transfer in the history.
    var everything: ConversationView {
        ConversationView(
            id: "c-1", customer: "cust:7", channel: .chat, queue: "chat-en", priority: -3,
            topic: "lost card \"gold\" / blocked\nsince\tyesterday \u{1}, café ☕", state: .abandoned,
            agent: "tom", requiredSkills: [SkillRequirement("english", minimumLevel: 2), SkillRequirement("cards")],
            intent: DetectedIntent(intent: "card_lost", confidence: 0.873_456_123_9, skill: "cards"),
            openedAt: start, assignedAt: start.adding(seconds: 1.5), endedAt: start.adding(seconds: 90),
            endCause: "customer", rule: "longest-idle", reason: "tom had been idle longest \\ of 3", transfers: 1,
            messageCount: 12,
            history: [
                .init(
                    at: start, event: "queued", agent: nil, rule: nil, sentence: "Queued in chat-en.", transfer: nil),
                .init(
                    at: start.adding(seconds: 1.5), event: "assigned", agent: "tom", rule: "longest-idle",
                    sentence: "Assigned to \"tom\".", transfer: nil),
                .init(
                    at: start.adding(seconds: 30), event: "transferred", agent: "ann", rule: nil,
                    sentence: "Transferred to ann.",
                    transfer: ConversationTransfer(fromAgentId: "tom", to: .agent("ann"), note: "VIP, be kind")),
                .init(
                    at: start.adding(seconds: 40), event: "transferred", agent: nil, rule: nil,
                    sentence: "Back to the queue.",
                    transfer: ConversationTransfer(fromAgentId: "ann", to: .queue("chat-en"))),
            ])
    }

    /// Every optional member absent, an integral confidence, no history.
    var bare: ConversationView {
        ConversationView(
            id: "c-2", customer: "cust-2", channel: .voice, queue: "voice", priority: 0, topic: nil,
            state: .closed, agent: nil, requiredSkills: [],
            intent: DetectedIntent(intent: "other", confidence: 1, skill: nil), openedAt: .zero, assignedAt: nil,
            endedAt: nil, endCause: nil, rule: nil, reason: nil, transfers: 0, messageCount: 0, history: [])
    }

    /// An ended conversation as the router makes it: opened, assigned, closed.
    func routed() throws -> ConversationView {
        var state = try RouterState(settings: sampleSettings(), now: start)
        _ = state.apply(.presence("tom", .available, stamp: PresenceStamp(epoch: 1, sequence: 1)), at: start)
        _ = state.apply(
            .open(
                ConversationRequest(id: "c-3", customer: "cust-3", queue: "chat-en"), text: nil,
                intent: DetectedIntent(intent: "billing", confidence: 0.25, skill: nil)),
            at: start.adding(seconds: 1))
        _ = state.apply(.close("c-3"), at: start.adding(seconds: 2))
        return try #require(state.views["c-3"])
    }

    func members(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    @Test("the hand-written document decodes to the same view as JSONEncoder's, with the same members")
    func sameViewAsTheEncoder() throws {
        let routed = try routed()
        #expect(routed.isEnded && !routed.history.isEmpty, "a representative ended conversation")
        for view in [everything, bare, routed] {
            let encoder = JSONEncoder()
            let written = Data(try view.documentJSON(encoder: encoder))
            let encoded = try encoder.encode(view)
            #expect(try JSONDecoder().decode(ConversationView.self, from: written) == view)
            #expect(try JSONDecoder().decode(ConversationView.self, from: encoded) == view, "rows written before")
            #expect(try members(written) == members(encoded), "\(String(decoding: written, as: UTF8.self))")
        }
    }

    @Test("an ended row holds the hand-written view, and an empty transcript as the encoder wrote it")
    func endedRow() throws {
        let view = try routed()
        let row = try RouterCheckpointWriter.EndedRow(
            view: view, messages: [], endedAt: try #require(view.endedAt), encoder: JSONEncoder())
        #expect(try JSONDecoder().decode(ConversationView.self, from: row.view) == view)
        let none: [TranscriptMessage] = []
        #expect(row.transcript == (try JSONEncoder().encode(none)))
    }

    @Test("a confidence that is not a number fails as JSONEncoder fails")
    func nonFiniteConfidence() {
        var view = bare
        view.intent = DetectedIntent(intent: "x", confidence: .nan, skill: nil)
        #expect(throws: EncodingError.self) { try view.documentJSON(encoder: JSONEncoder()) }
    }
}
