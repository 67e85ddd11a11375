import Foundation
import Testing

@testable import SwitchboardAssist

@Suite("Summaries of scripted conversations: the need, what was done, what is pending, in three sentences at most")
struct ScriptedSummaryTests {
    /// Sentences of a summary, quotations left out (a quoted question is part of its sentence).
    static func sentenceCount(_ text: String) -> Int {
        let closers: [Character: Character] = ["\u{201C}": "\u{201D}", "\u{AB}": "\u{BB}", "\u{201E}": "\u{201C}"]
        var expected: [Character] = []
        var count = 0
        var inSentence = false
        var sawStop = false
        for character in text {
            if let closer = expected.last, character == closer {
                expected.removeLast()
                continue
            }
            if let closer = closers[character] {
                expected.append(closer)
                continue
            }
            guard expected.isEmpty else { continue }
            if ".!?".contains(character) {
                sawStop = true
            } else if character.isWhitespace {
                if sawStop && inSentence {
                    count += 1
                    inSentence = false
                }
                sawStop = false
            } else {
                inSentence = true
                sawStop = false
            }
        }
        return count + (inSentence ? 1 : 0)
    }

    func summarise(_ messages: [TranscriptMessage]) throws -> ConversationSummary {
        let state = ConversationAssist.rebuild(
            conversationId: "c-scripted", messages: messages, assistant: try Fixtures.loadAssistant(),
            feedback: ReplyFeedback())
        return try #require(state.summary)
    }

    @Test("the sentence counter counts sentences and not quotations")
    func counter() {
        #expect(Self.sentenceCount("One. Two? Three!") == 3)
        #expect(Self.sentenceCount("One; pending: an answer to \u{201C}Is it here? Or there?\u{201D}.") == 1)
        #expect(Self.sentenceCount("Pendiente: la respuesta a \u{201C}¿Dónde? ¿Cuándo?\u{201D}. Hecho: nada.") == 2)
    }

    @Test("a card blocked and re-issued: the need, the block and the new card, and the open question")
    func cardBlockedAndReissued() throws {
        let summary = try summarise([
            Fixtures.message(
                .customer, "Sam Patel", "Hi, my wallet was stolen on the train this morning and my card was in it.",
                at: 0),
            Fixtures.message(
                .agent, "Priya", "I'm so sorry, Sam. I've blocked your card so nobody can use it.", at: 30),
            Fixtures.message(
                .agent, "Priya", "I've ordered a replacement card to your home address; it arrives in 3 to 5 days.",
                at: 40),
            Fixtures.message(.customer, "Sam Patel", "Thanks. Will the new card have a new PIN?", at: 60),
        ])
        let sentence = summary.sentence
        #expect(Self.sentenceCount(sentence) <= 3, "\(sentence)")
        #expect(sentence.contains("Sam Patel wants to block a lost or stolen card"), "the need: \(sentence)")
        #expect(sentence.contains("Priya has blocked the customer's card"), "done: \(sentence)")
        #expect(sentence.contains("ordered a replacement card"), "done: \(sentence)")
        #expect(sentence.contains("pending: an answer to the customer's question"), "pending: \(sentence)")
        #expect(sentence.contains("new PIN"), "pending: \(sentence)")
        #expect(summary.caseSummary.status == .waitingForAgent)
    }

    @Test("a disputed payment escalated: the payment, the dispute raised, and the decision pending")
    func disputedPaymentEscalated() throws {
        let summary = try summarise([
            Fixtures.message(
                .customer, "Ruth Ellis",
                "There's a card payment of £240 to an electronics shop that I never made, I don't recognise it.",
                at: 0),
            Fixtures.message(
                .agent, "Omar", "I've frozen your card and raised a dispute for the £240 payment.", at: 30),
            Fixtures.message(
                .agent, "Omar", "I'm escalating this to our disputes team, who decide on the refund.", at: 40),
        ])
        let sentence = summary.sentence
        #expect(Self.sentenceCount(sentence) <= 3, "\(sentence)")
        #expect(sentence.contains("card payment they do not recognise"), "the need: \(sentence)")
        #expect(sentence.contains("Omar has frozen the customer's card and raised a dispute"), "done: \(sentence)")
        #expect(sentence.contains("pending: a supervisor's decision"), "pending: \(sentence)")
        #expect(summary.caseSummary.status == .escalated)
    }

    @Test("a loan question transferred: the question in the customer's words, the transfer, the new queue pending")
    func loanQuestionTransferred() throws {
        let summary = try summarise([
            Fixtures.message(
                .customer, "Lee Chan", "Hello, can I take out a personal loan of £5,000 to buy a car?", at: 0),
            Fixtures.message(
                .agent, "Priya", "Loans are handled by our lending team, so I'm transferring you to them now.",
                at: 30),
            Fixtures.message(.system, "Switchboard", "Transferred to the chat-en-loans queue by Priya.", at: 35),
        ])
        let sentence = summary.sentence
        #expect(Self.sentenceCount(sentence) <= 3, "\(sentence)")
        #expect(sentence.contains("personal loan"), "the need, in the customer's words: \(sentence)")
        #expect(sentence.contains("transferred to the chat-en-loans queue by Priya"), "done: \(sentence)")
        #expect(sentence.contains("pending: the chat-en-loans queue to pick up the conversation"), "\(sentence)")
        #expect(summary.caseSummary.status == .transferred)
    }

    @Test("the same loan question in French: three sentences, the transfer and the queue to pick it up")
    func loanQuestionTransferredInFrench() throws {
        let summary = try summarise([
            Fixtures.message(
                .customer, "Claire Martin", "Bonjour, je voudrais un prêt personnel de 5 000 euros pour une voiture.",
                at: 0),
            Fixtures.message(
                .agent, "Hélène", "Les prêts sont gérés par notre équipe crédit, je vous transfère tout de suite.",
                at: 30),
            Fixtures.message(.system, "Switchboard", "Transferred to the chat-fr-loans queue by Hélène.", at: 35),
        ])
        let sentence = summary.sentence
        #expect(Self.sentenceCount(sentence) <= 3, "\(sentence)")
        #expect(sentence.contains("prêt personnel"), "the need, in the customer's words: \(sentence)")
        #expect(sentence.contains("conversation transférée à la file chat-fr-loans"), "done: \(sentence)")
        #expect(sentence.contains("En attente : la file chat-fr-loans doit reprendre la conversation"), "\(sentence)")
        #expect(summary.caseSummary.status == .transferred)
    }

    @Test("a German card blocked and re-issued: three sentences naming the block and the new card")
    func germanCardBlocked() throws {
        let summary = try summarise([
            Fixtures.message(.customer, "Jonas Weber", "Hallo, mir wurde gestern die Karte gestohlen.", at: 0),
            Fixtures.message(.agent, "Tomasz", "Das tut mir leid. Ich habe Ihre Karte gesperrt.", at: 30),
            Fixtures.message(.agent, "Tomasz", "Ich werde Ihnen heute eine neue Karte schicken.", at: 40),
        ])
        let sentence = summary.sentence
        #expect(Self.sentenceCount(sentence) <= 3, "\(sentence)")
        #expect(sentence.contains("Jonas Weber möchte die verlorene oder gestohlene Karte sperren"), "\(sentence)")
        #expect(sentence.contains("Erledigt: Tomasz hat die Karte gesperrt"), "\(sentence)")
        #expect(sentence.contains("Offen: Tomasz wird dem Kunden heute eine neue Karte schicken"), "\(sentence)")
    }
}
