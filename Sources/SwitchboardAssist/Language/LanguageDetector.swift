internal import Foundation

/// The language a customer writes in, read from the text: character-trigram profiles (a naive
/// Bayes model trained on a sample text per language) plus each language's function words.
///
/// The queue's language is a hint, not the truth: a Spanish speaker who lands in an English queue
/// still writes Spanish. The hint decides only when the text is too short (fewer than
/// ``decisiveWordsMin`` words) or too close between two languages to tell.
public struct LanguageDetector: Sendable, Hashable, Codable {
    /// Fewer words than this: the text is too short to outweigh the hint.
    public static let decisiveWordsMin = 3
    /// The winner's lead over the runner-up, in log-probability per trigram, below which the
    /// text is ambiguous and the hint decides.
    public static let decisiveMarginMin = 0.12
    /// Trigrams read from one text: the language shows in its first words.
    static let trigramsMax = 600
    /// Each function word of a language found in the text adds this much log-probability.
    static let functionWordWeight = 1.5

    /// One language's model.
    struct Profile: Sendable, Hashable, Codable {
        var language: String
        var logProbability: [String: Double]
        var unseenLogProbability: Double
        var functionWords: Set<String>
    }

    let profiles: [Profile]

    /// The languages the detector tells apart, in training order.
    public var languages: [String] { profiles.map(\.language) }

    /// What ``detect(_:hint:)`` concluded.
    public struct Detection: Sendable, Hashable, Codable {
        /// BCP 47 primary tag (`es`).
        public var language: String
        /// The winner's lead over the runner-up per trigram (0 when the hint decided alone).
        public var margin: Double
        /// True when the hint decided because the text was too short or ambiguous.
        public var fromHint: Bool

        public init(language: String, margin: Double, fromHint: Bool) {
            self.language = language
            self.margin = margin
            self.fromHint = fromHint
        }
    }

    /// Trains one profile per language from `samples` (tag → sample text); `functionWords` lists
    /// each language's commonest short words. At least two languages are needed.
    public static func train(
        samples: [String: String], functionWords: [String: Set<String>] = LanguageDetector.defaultFunctionWords
    ) throws(AssistError) -> LanguageDetector {
        guard samples.count >= 2 else {
            throw .unusableTrainingData(
                reason: "language detection needs sample texts of at least two languages, got \(samples.count)")
        }
        var profiles: [Profile] = []
        for (language, text) in samples.sorted(by: { $0.key < $1.key }) {
            var counts: [String: Int] = [:]
            for trigram in trigrams(of: text, limit: Int.max) { counts[trigram, default: 0] += 1 }
            guard counts.count >= 50 else {
                throw .unusableTrainingData(
                    reason: "the \(language) language sample holds \(counts.count) distinct trigrams; "
                        + "give it a few paragraphs of text")
            }
            let total = Double(counts.values.reduce(0, +))
            // Add-one smoothing over the seen trigrams and one slot for everything unseen.
            let denominator = total + Double(counts.count + 1)
            profiles.append(
                Profile(
                    language: language,
                    logProbability: counts.mapValues { log(Double($0 + 1) / denominator) },
                    unseenLogProbability: log(1 / denominator),
                    functionWords: functionWords[language] ?? []))
        }
        return LanguageDetector(profiles: profiles)
    }

    /// The language of `text`; `hint` (the queue's language) decides when the text cannot.
    public func detect(_ text: String, hint: String? = nil) -> Detection {
        let hint = hint.flatMap { tag in languages.contains(tag) ? tag : nil }
        let grams = Self.trigrams(of: text, limit: Self.trigramsMax)
        let words = Self.words(of: text)
        guard !grams.isEmpty, !profiles.isEmpty else {
            return Detection(language: hint ?? profiles.first?.language ?? "en", margin: 0, fromHint: hint != nil)
        }
        var scores: [(language: String, score: Double)] = []
        for profile in profiles {
            var score = 0.0
            for gram in grams { score += profile.logProbability[gram] ?? profile.unseenLogProbability }
            let functionHits = words.filter { profile.functionWords.contains($0) }.count
            score += Self.functionWordWeight * Double(functionHits)
            scores.append((profile.language, score / Double(grams.count)))
        }
        scores.sort { $0.score != $1.score ? $0.score > $1.score : $0.language < $1.language }
        let margin = scores.count > 1 ? scores[0].score - scores[1].score : 1
        let decisive = words.count >= Self.decisiveWordsMin && margin >= Self.decisiveMarginMin
        if let hint, !decisive { return Detection(language: hint, margin: margin, fromHint: true) }
        return Detection(language: scores[0].language, margin: margin, fromHint: false)
    }

    /// Lower-cased words of letters (apostrophes split them: "j'ai" is "j" and "ai").
    static func words(of text: String) -> [String] {
        text.lowercased().split { !$0.isLetter }.map(String.init)
    }

    /// Trigrams of each word padded with a space either side (" de", "de "), so that short
    /// function words and word endings count; digits and punctuation are left out.
    static func trigrams(of text: String, limit: Int) -> [String] {
        var result: [String] = []
        for word in words(of: text) {
            let padded = Array(" " + word + " ")
            guard padded.count >= 3 else { continue }
            for start in 0...(padded.count - 3) {
                result.append(String(padded[start..<start + 3]))
                if result.count >= limit { return result }
            }
        }
        return result
    }

    /// The commonest short words of each supported language that the others rarely use.
    public static let defaultFunctionWords: [String: Set<String>] = [
        "en": [
            "the", "and", "is", "my", "i", "it", "to", "of", "you", "have", "has", "was", "with", "this", "that",
            "what", "why", "how", "can", "not", "hasn", "haven", "didn", "don", "isn", "yet", "still", "when",
        ],
        "es": [
            "el", "la", "los", "las", "y", "es", "mi", "que", "por", "para", "con", "una", "un", "no", "me", "he",
            "ha", "se", "lo", "del", "al", "qué", "cómo", "pero", "todavía", "aún", "ya", "hola", "está", "gracias",
        ],
        "fr": [
            "le", "la", "les", "et", "est", "mon", "ma", "mes", "je", "j", "ai", "pas", "que", "qui", "pour", "avec",
            "une", "un", "des", "du", "au", "ne", "vous", "votre", "bonjour", "merci", "toujours", "c", "n", "d",
        ],
        "de": [
            "der", "die", "das", "und", "ist", "mein", "meine", "ich", "nicht", "noch", "mit", "für", "ein", "eine",
            "den", "dem", "habe", "hat", "wurde", "warum", "wie", "auf", "bei", "hallo", "danke", "sie", "ihre", "es",
        ],
    ]
}
