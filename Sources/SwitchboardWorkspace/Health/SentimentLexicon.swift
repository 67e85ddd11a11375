/// A small lexicon of words and phrases that signal an unhappy customer, each with a weight
/// (1: mild, 2: strong). Matching is by whole words, lower-cased; a mild single word right
/// after a negation ("not bad") does not count.
public struct SentimentLexicon: Codable, Sendable, Equatable {
    /// Term (one to three words, lower case) and its weight.
    public var weights: [String: Int]

    public init(weights: [String: Int]) {
        self.weights = weights
    }

    /// The lexicon Switchboard ships with.
    public static let standard = SentimentLexicon(weights: [
        "angry": 1, "annoyed": 1, "annoying": 1, "awful": 1, "bad": 1, "broken": 1, "cancel": 1,
        "confused": 1, "disappointed": 1, "frustrated": 1, "frustrating": 1, "hopeless": 1, "horrible": 1,
        "pathetic": 1, "poor": 1, "ridiculous": 1, "rude": 1, "terrible": 1, "unacceptable": 1,
        "unhappy": 1, "useless": 1, "worst": 1, "not happy": 1, "not working": 1, "still waiting": 1,
        "fed up": 1, "waste of time": 1, "no one": 1,
        "complaint": 2, "complain": 2, "furious": 2, "disgusting": 2, "lawyer": 2, "ombudsman": 2,
        "scam": 2, "never again": 2, "close my account": 2,
    ])

    /// A term found in a text and its weight.
    public struct Hit: Codable, Sendable, Equatable {
        public var term: String
        public var weight: Int
    }

    private static let negations: Set<String> = ["not", "no", "never", "isn't", "wasn't", "don't", "didn't"]

    /// The terms found in `text`, in order of appearance.
    public func hits(in text: String) -> [Hit] {
        let words = Self.words(of: text)
        var hits: [Hit] = []
        var position = 0
        // Each pass advances by at least one word: bounded by the word count.
        while position < words.count {
            var matchedLength = 0
            for length in stride(from: min(3, words.count - position), through: 1, by: -1) {
                let term = words[position..<(position + length)].joined(separator: " ")
                guard let weight = weights[term] else { continue }
                let negated = length == 1 && weight == 1 && position > 0 && Self.negations.contains(words[position - 1])
                if !negated { hits.append(Hit(term: term, weight: weight)) }
                matchedLength = length
                break
            }
            position += max(matchedLength, 1)
        }
        return hits
    }

    /// Lower-cased words: letters, digits and apostrophes (typographic ones made plain).
    static func words(of text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            let plain: Character = character == "\u{2019}" ? "'" : character
            if plain.isLetter || plain.isNumber || plain == "'" {
                current.append(plain)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
