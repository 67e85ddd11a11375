import Foundation
import Testing

@testable import SwitchboardAssist

@Suite("Assistance in Spanish, French and German")
struct MultilingualAssistTests {
    static let otherLanguages = ["es", "fr", "de"]

    /// The banking intents every language answers (the commonest customers' needs).
    static let commonIntents = [
        "lost_or_stolen_card", "card_not_working", "declined_card_payment", "transfer_not_received_by_recipient",
        "pending_transfer", "Refund_not_showing_up", "exchange_rate", "top_up_failed", "change_pin",
        "activate_my_card", "cash_withdrawal_not_recognised", "direct_debit_payment_not_recognised",
        "card_payment_not_recognised", "pin_blocked", "compromised_card", "verify_my_identity", "card_arrival",
    ]

    @Test("each language has examples, reply templates and articles for the common intents", arguments: otherLanguages)
    func resourcesCoverCommonIntents(_ language: String) throws {
        let resources = try Fixtures.resources.get()
        let examples = try LabelledDataset.load(path: resources.path(of: "\(language)/examples.csv"))
        var counts: [String: Int] = [:]
        for example in examples.examples { counts[example.intent, default: 0] += 1 }
        let english = try Fixtures.catalog()
        let local = try Fixtures.loadAssistant().assistant(for: language)
        #expect(local.language == language)
        for intent in Self.commonIntents {
            #expect((counts[intent] ?? 0) >= 3, "\(language): \(intent) has \(counts[intent] ?? 0) examples")
            let profile = try #require(local.catalog.profile(for: intent), "\(language): no template for \(intent)")
            #expect(profile.replies.count >= 2)
            #expect(profile.skill == english.skill(for: intent), "\(language): \(intent) keeps its skill")
            #expect(!local.knowledgeBase.articles(for: intent).isEmpty, "\(language): no article for \(intent)")
        }
        for intent in counts.keys {
            #expect(english.profile(for: intent) != nil, "\(language): \(intent) is not a BANKING77 intent")
        }
        #expect(
            local.knowledgeBase.articles.allSatisfy { $0.language == language && $0.id.hasPrefix("kb-\(language)-") })
    }

    @Test(
        "each language's model, cross-validated on its own examples, reads most held-out phrasings right",
        arguments: otherLanguages)
    func crossValidated(_ language: String) throws {
        let resources = try Fixtures.resources.get()
        let examples = try LabelledDataset.load(path: resources.path(of: "\(language)/examples.csv")).examples
        let knowledgeBase = try KnowledgeBase.load(path: resources.path(of: "\(language)/knowledge-base.json"))
        let report = try CrossValidation.run(examples: examples, knowledgeBase: knowledgeBase)
        #expect(report.intentAccuracy >= 0.7, "\(language): \(report.intentAccuracy)")
        #expect(report.top3IntentAccuracy >= 0.9, "\(language): \(report.top3IntentAccuracy)")
        #expect((report.articleHitRateAt3 ?? 0) >= 0.9, "\(language): \(report.articleHitRateAt3 ?? 0)")
    }

    @Test("the detector trained on the sample paragraphs alone tells the example rows of every language apart")
    func detectorOnHeldOutRows() throws {
        let resources = try Fixtures.resources.get()
        var samples: [String: String] = [:]
        var rows: [String: [LabelledExample]] = [:]
        for language in AssistLanguages.supported {
            let folder = language == AssistLanguages.english ? "" : language + "/"
            rows[language] = try LabelledDataset.load(path: resources.path(of: folder + "examples.csv")).examples
            let sample = try resources.data(of: "languages/\(language).txt")
            samples[language] = String(decoding: sample, as: UTF8.self)
        }
        let detector = try LanguageDetector.train(samples: samples)
        for (language, examples) in rows {
            let wrong = examples.filter { detector.detect($0.text).language != language }
            #expect(Double(wrong.count) <= 0.03 * Double(examples.count), "\(language): \(wrong.prefix(5).map(\.text))")
        }
    }

    static let openings: [(String, String, String)] = [
        ("es", "Me han robado el bolso y la tarjeta estaba dentro", "lost_or_stolen_card"),
        ("es", "Quiero cambiar el PIN de la tarjeta", "change_pin"),
        ("es", "Mi transferencia sigue pendiente desde ayer", "pending_transfer"),
        ("fr", "On m'a volé ma carte dans le métro", "lost_or_stolen_card"),
        ("fr", "Mon paiement a été refusé à la caisse", "declined_card_payment"),
        ("fr", "Je ne reconnais pas ce prélèvement sur mon compte", "direct_debit_payment_not_recognised"),
        ("de", "Meine Karte wurde gestohlen", "lost_or_stolen_card"),
        ("de", "Meine Aufladung ist fehlgeschlagen", "top_up_failed"),
        ("de", "Wie aktiviere ich meine neue Karte?", "activate_my_card"),
    ]

    @Test("each language's intent model reads its customers' openings")
    func openingsByLanguage() throws {
        let assistant = try Fixtures.loadAssistant()
        for (language, text, intent) in Self.openings {
            let local = assistant.assistant(for: assistant.detectLanguage(text).language)
            #expect(local.language == language, "\(text)")
            #expect(local.detectIntent(text).intent == intent, "\(text)")
            // What the router asks of an opening: the same, in one call.
            #expect(assistant.detectIntentInCustomerLanguage(text).intent == intent, "\(text)")
        }
        // The English model would read these as something else: the language's own model matters.
        let english = Self.openings.filter { assistant.detectIntent($1).intent == $2 }.count
        #expect(english < Self.openings.count / 2, "the English model reads \(english) of them right")
    }

    /// A conversation fed to the assistance from a queue serving `queueLanguage`.
    func run(_ messages: [TranscriptMessage], queueLanguage: String) throws -> ConversationAssist {
        let assistant = try Fixtures.loadAssistant()
        var state = ConversationAssist(conversationId: "c-ml")
        state.setLanguageHint(queueLanguage, assistant: assistant)
        for message in messages { _ = state.apply(message, assistant: assistant, feedback: ReplyFeedback()) }
        return state
    }

    /// Every suggestion is one of `language`'s: its templates (id naming the language) or a sentence of its articles.
    func expectSuggestionsIn(_ language: String, _ state: ConversationAssist) throws {
        let local = try Fixtures.loadAssistant().assistant(for: language)
        #expect(!state.suggestions.isEmpty)
        for suggestion in state.suggestions {
            switch suggestion.source {
            case .template:
                #expect(suggestion.id.hasPrefix("template:\(language):"), "\(suggestion.id)")
                let parts = suggestion.id.split(separator: ":")
                let templates = local.catalog.profile(for: String(parts[2]))?.replies ?? []
                #expect(
                    templates.contains {
                        ReplySuggester.fill($0, firstName: state.customerFirstName) == suggestion.text
                    },
                    "\(suggestion.text)")
            case .article:
                #expect(suggestion.id.hasPrefix("article:kb-\(language)-"), "\(suggestion.id)")
            case .backend:
                Issue.record("no backend here")
            }
        }
        for article in state.knowledge { #expect(article.articleId.hasPrefix("kb-\(language)-")) }
    }

    @Test("a Spanish conversation in an English queue gets Spanish replies and a Spanish summary")
    func spanishInEnglishQueue() throws {
        let state = try run(
            [
                Fixtures.message(
                    .customer, "Lucía Gómez", "Hola, me han robado la cartera con la tarjeta dentro.", at: 0),
                Fixtures.message(
                    .agent, "Sofía", "Lo siento mucho, Lucía. He bloqueado su tarjeta para que nadie pueda usarla.",
                    at: 30),
                Fixtures.message(.agent, "Sofía", "Le voy a enviar una tarjeta nueva a su domicilio.", at: 40),
            ], queueLanguage: "en")
        #expect(state.language == "es")
        #expect(state.intent?.intent == "lost_or_stolen_card")
        try expectSuggestionsIn("es", state)
        let sentence = try #require(state.summary?.sentence)
        #expect(try Fixtures.loadAssistant().detectLanguage(sentence).language == "es", "\(sentence)")
        #expect(ScriptedSummaryTests.sentenceCount(sentence) <= 3, "\(sentence)")
        #expect(sentence.contains("Lucía Gómez quiere bloquear la tarjeta"), "the need: \(sentence)")
        #expect(sentence.contains("Sofía ha bloqueado su tarjeta"), "what was done: \(sentence)")
        #expect(sentence.contains("Pendiente: Sofía le va a enviar una tarjeta nueva"), "what is pending: \(sentence)")
        #expect(state.summary?.caseSummary.status == .waitingForAgent)
    }

    @Test("a French customer gets French replies, also from an English queue")
    func french() throws {
        let state = try run(
            [Fixtures.message(.customer, "Hélène", "Bonjour, on m'a volé ma carte hier soir dans le métro.", at: 0)],
            queueLanguage: "en")
        #expect(state.language == "fr")
        try expectSuggestionsIn("fr", state)
        #expect(state.summary?.sentence.contains("Hélène souhaite") == true, "\(state.summary?.sentence ?? "")")
    }

    @Test("a German customer gets German replies, also from a Spanish queue")
    func german() throws {
        let state = try run(
            [
                Fixtures.message(
                    .customer, "Jonas", "Hallo, meine Zahlung im Supermarkt wurde abgelehnt, obwohl Geld drauf ist.",
                    at: 0)
            ], queueLanguage: "es")
        #expect(state.language == "de")
        #expect(state.intent?.intent == "declined_card_payment")
        try expectSuggestionsIn("de", state)
        #expect(state.summary?.sentence.contains("Jonas möchte") == true, "\(state.summary?.sentence ?? "")")
    }

    @Test("an English customer keeps the English ids and summary")
    func englishUnchanged() throws {
        let state = try run(
            [Fixtures.message(.customer, "Dana", "My new card still hasn't arrived, where is it?", at: 0)],
            queueLanguage: "es")
        #expect(state.language == "en")
        #expect(state.suggestions.contains { $0.id.hasPrefix("template:card_arrival:") })
        #expect(state.summary?.sentence.hasPrefix("Dana wants") == true)
    }
}
