import Foundation
import Testing

@testable import SwitchboardAssist

@Suite("Intent classifier")
struct IntentClassifierTests {
    @Test("probabilities are in [0, 1], sum to one, and rank best first")
    func probabilities() throws {
        let classifier = try Fixtures.loadAssistant().classifier
        let probabilities = classifier.probabilities(of: "my card has not arrived")
        #expect(probabilities.count == classifier.intents.count)
        #expect(probabilities.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-3)
        let ranked = classifier.rank("my card has not arrived", limit: 5)
        #expect(ranked.count == 5)
        #expect(zip(ranked, ranked.dropFirst()).allSatisfy { $0.probability >= $1.probability })
    }

    @Test("clear phrasings the example set does not contain land on their intent")
    func unseenPhrasings() throws {
        let assistant = try Fixtures.loadAssistant()
        let cases = [
            ("somebody stole my card on the train", "lost_or_stolen_card"),
            ("the cash machine kept my card and won't return it", "card_swallowed"),
            ("I would like to close my account please", "terminate_account"),
            ("I typed my PIN wrong three times and now it's blocked", "pin_blocked"),
        ]
        for (text, intent) in cases {
            let prediction = assistant.detectIntent(text)
            #expect(prediction.intent == intent, "\(text) → \(prediction.intent)")
            #expect(prediction.skill == assistant.catalog.skill(for: intent))
        }
    }

    @Test("training is deterministic: same data and seed, same model")
    func deterministic() throws {
        let examples = try Fixtures.shippedExamples().examples
        let parameters = IntentModelParameters(epochs: 3)
        let first = try IntentClassifier.train(on: examples, parameters: parameters)
        let second = try IntentClassifier.train(on: examples, parameters: parameters)
        #expect(first.scorer == second.scorer)
        #expect(first.fingerprint == second.fingerprint)
    }

    @Test("the fingerprint changes with the data and with the parameters")
    func fingerprint() throws {
        let examples = try Fixtures.shippedExamples().examples
        let base = IntentClassifier.fingerprint(of: examples, parameters: IntentModelParameters())
        var edited = examples
        edited[0].text += "!"
        #expect(IntentClassifier.fingerprint(of: edited, parameters: IntentModelParameters()) != base)
        #expect(IntentClassifier.fingerprint(of: examples, parameters: IntentModelParameters(epochs: 11)) != base)
        #expect(IntentClassifier.fingerprint(of: examples, parameters: IntentModelParameters()) == base)
    }

    @Test("the temperature changes the confidence, never the ranking; a second model changes the probabilities")
    func temperatureAndCompanion() throws {
        let examples = try Fixtures.shippedExamples().examples
        let linear = IntentModelParameters(epochs: 3, companionHiddenUnits: 0, temperature: 1)
        let plain = try IntentClassifier.train(on: examples, parameters: linear)
        var softerParameters = linear
        softerParameters.temperature = 2
        let softer = try IntentClassifier.train(on: examples, parameters: softerParameters)
        var pairedParameters = linear
        pairedParameters.companionHiddenUnits = 16
        pairedParameters.companionEpochs = 2
        let paired = try IntentClassifier.train(on: examples, parameters: pairedParameters)
        for text in ["where is my card", "exchange rate for dollars", "cancel my transfer"] {
            let plainRanking = plain.rank(text, limit: 5)
            let softerRanking = softer.rank(text, limit: 5)
            #expect(plainRanking.map(\.intent) == softerRanking.map(\.intent))
            let plainBest = try #require(plainRanking.first?.probability)
            #expect(try #require(softerRanking.first?.probability) < plainBest)
            let pairedProbabilities = paired.probabilities(of: text)
            #expect(abs(pairedProbabilities.reduce(0, +) - 1) < 1e-4)
            #expect(pairedProbabilities != plain.probabilities(of: text))
        }
    }

    @Test("one intent is not enough to train on")
    func needsTwoIntents() {
        let examples = [LabelledExample(text: "hello", intent: "greeting")]
        #expect(throws: AssistError.self) { try IntentClassifier.train(on: examples) }
    }

    @Test("an intent the catalogue does not list gets the general skill")
    func unknownIntentSkill() throws {
        let catalog = try Fixtures.catalog()
        #expect(catalog.skill(for: "weather_report") == IntentCatalog.generalSkill)
    }

    @Test("featurizer: case and apostrophes do not matter, character terms carry the block bit")
    func featurizer() {
        let featurizer = TextFeaturizer(wordNgramMax: 2, charNgramMin: 2, charNgramMax: 5)
        func terms(_ text: String) -> [UInt64] {
            var terms: [UInt64] = []
            var scalars: [UInt32] = []
            var ends: [Int] = []
            featurizer.appendTerms(of: text, to: &terms, scalars: &scalars, wordEnds: &ends)
            return terms
        }
        #expect(terms("Can't PAY") == terms("cant pay"))
        #expect(terms("card") != terms("cards"))
        let all = terms("my card")
        // Two words, one pair, and 2-5-grams of " my " (6) and " card " (14).
        #expect(all.filter { !TextFeaturizer.isCharTerm($0) }.count == 3)
        #expect(all.filter(TextFeaturizer.isCharTerm).count == 20)
        #expect(!all.contains(0))
    }
}
