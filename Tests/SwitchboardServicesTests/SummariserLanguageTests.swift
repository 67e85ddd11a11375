import Foundation
import SwitchboardAssist
import SwitchboardBus
import SwitchboardRouting
import SwitchboardTopology
import SwitchboardWire
import Testing

@testable import SwitchboardSummariser

@Suite("Summariser: the customer's language, with the queue's as a hint")
struct SummariserLanguageTests {
    static let now = SummariserFixtures.milliseconds(100)

    static func conversation(_ id: String, queue: String) -> RouterConversation {
        RouterConversation(conversationId: id, queue: queue, state: .assigned, agentId: "sofia-martinez")
    }

    @Test("the sample contact centre's queues name their languages through their language skills")
    func sampleQueues() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(ContactCentre.defaultFile).path
        let languages = QueueLanguages.of(try ContactCentre.load(file: file))
        #expect(languages["chat-es"] == "es")
        #expect(languages["chat-fr"] == "fr")
        #expect(languages["chat-de"] == "de")
        #expect(languages["voice-es"] == "es")
        #expect(languages["chat-en-general"] == "en")
    }

    @Test("a short message takes the queue's language; a Spanish sentence in an English queue is Spanish")
    func hintAndWords() async throws {
        let system = try CoreUnderTest(queueLanguages: ["chat-es": "es", "chat-en-general": "en"])
        defer { system.stop() }
        await system.core.apply(
            [
                .conversation(Self.conversation("c-short", queue: "chat-es")),
                .message(
                    conversationId: "c-short", SummariserFixtures.line(1, .customer, "Ana Ruiz", "Visa Mastercard")),
                .conversation(Self.conversation("c-en", queue: "chat-en-general")),
                .message(
                    conversationId: "c-en",
                    SummariserFixtures.line(
                        1, .customer, "Lucía Gómez", "Hola, me han robado la cartera con la tarjeta dentro.")),
            ], nowMilliseconds: Self.now)
        #expect(await system.settled())
        #expect(system.board.item("c-short")?.language == "es")
        let spanish = try #require(system.board.item("c-en"))
        #expect(spanish.language == "es")
        #expect(spanish.intent?.intent == "lost_or_stolen_card")
        #expect(spanish.suggestions.contains { $0.id.hasPrefix("template:es:lost_or_stolen_card:") })
        #expect(spanish.summary?.hasPrefix("Lucía Gómez quiere") == true)
        let summaryEvent = try #require(
            system.sink.sent(ofType: "assist.summary").last { $0.data["conversationId"] == "c-en" })
        #expect(summaryEvent.data["language"] == "es")
        #expect(summaryEvent.data["item"]?["language"] == "es")
    }

    @Test("a rebuild from the router's snapshot reads the queue's language too")
    func rebuildKeepsHint() throws {
        var context = try SummariserFixtures.context()
        context.queueLanguages = ["chat-fr": "fr"]
        let track = AssistTrack.rebuild(
            conversationId: "c-fr", conversation: Self.conversation("c-fr", queue: "chat-fr"),
            transcript: [SummariserFixtures.line(1, .customer, "Claire", "PIN 1234")], history: nil, names: [:],
            context: context)
        #expect(track.item().language == "fr")
    }
}
