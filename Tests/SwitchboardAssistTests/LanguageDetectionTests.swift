import Testing

@testable import SwitchboardAssist

@Suite("Language detection: the customer's words, with the queue's language as a hint")
struct LanguageDetectionTests {
    func detector() throws -> LanguageDetector {
        try #require(try Fixtures.loadAssistant().languageDetector, "the shipped files train a detector")
    }

    static let clearSentences: [(String, String)] = [
        ("en", "Hi, my new card still hasn't arrived and I ordered it two weeks ago."),
        ("es", "Hola, todavía no me ha llegado la tarjeta nueva y la pedí hace dos semanas."),
        ("fr", "Bonjour, je n'ai toujours pas reçu ma nouvelle carte, je l'ai commandée il y a deux semaines."),
        ("de", "Hallo, meine neue Karte ist immer noch nicht angekommen, ich habe sie vor zwei Wochen bestellt."),
        ("es", "¿Por qué me han cobrado dos veces el mismo pago en el supermercado?"),
        ("fr", "Quelqu'un a retiré de l'argent avec ma carte, ce n'est pas moi."),
        ("de", "Warum wurde meine Überweisung an meinen Vermieter abgelehnt?"),
        ("en", "Someone took money out of a cash machine with my card and it wasn't me."),
    ]

    @Test("clear sentences in each language are detected, whatever the queue's language")
    func clearSentences() throws {
        let detector = try detector()
        for (language, text) in Self.clearSentences {
            #expect(detector.detect(text).language == language, "\(text)")
            for hint in AssistLanguages.supported {
                let detection = detector.detect(text, hint: hint)
                #expect(detection.language == language, "\(text) with hint \(hint)")
                #expect(!detection.fromHint)
            }
        }
    }

    @Test("a Spanish message in an English queue is detected as Spanish")
    func spanishInEnglishQueue() throws {
        let assistant = try Fixtures.loadAssistant()
        var state = ConversationAssist(conversationId: "c-es")
        state.setLanguageHint("en", assistant: assistant)
        #expect(state.language == "en", "before the customer writes, the queue's language stands")
        let update = state.apply(
            Fixtures.message(.customer, "Lucía", "Hola, he perdido la tarjeta y quiero bloquearla.", at: 0),
            assistant: assistant, feedback: ReplyFeedback())
        #expect(state.language == "es")
        #expect(update.language == "es")
    }

    @Test("a two-word ambiguous text falls back to the queue's language")
    func shortTextFallsBackToHint() throws {
        let detector = try detector()
        for hint in AssistLanguages.supported {
            let detection = detector.detect("Visa Mastercard", hint: hint)
            #expect(detection.language == hint)
            #expect(detection.fromHint)
        }
        // Without a hint the detector still answers one of its languages.
        #expect(AssistLanguages.supported.contains(detector.detect("Visa Mastercard").language))
    }

    @Test("a hint the assistance does not answer in is ignored")
    func unknownHint() throws {
        let detection = try detector().detect("ok", hint: "pt")
        #expect(AssistLanguages.supported.contains(detection.language))
        #expect(!detection.fromHint)
    }

    @Test("a queue's language skill names its language by id or name")
    func skillNames() {
        #expect(AssistLanguages.tag(forSkill: "spanish") == "es")
        #expect(AssistLanguages.tag(forSkill: "French") == "fr")
        #expect(AssistLanguages.tag(forSkill: "Deutsch") == "de")
        #expect(AssistLanguages.tag(forSkill: "en-GB") == "en")
        #expect(AssistLanguages.tag(forSkill: "cards") == nil)
    }

    @Test("training needs samples of two languages with enough text")
    func trainingRefusesTooLittle() {
        #expect(throws: AssistError.self) { try LanguageDetector.train(samples: ["en": "hello there"]) }
        #expect(throws: AssistError.self) {
            try LanguageDetector.train(samples: ["en": "hello there", "es": "hola"])
        }
    }
}
