internal import Foundation

/// Okapi BM25 over a small set of documents, for text retrieval when the intent is unsure.
///
/// Terms are lower-cased words with a light English stemmer (plural and -ing/-ed endings), and
/// common function words are ignored, so that "cards" finds "card" and "the" finds nothing.
struct BM25Index: Sendable {
    /// Term saturation (k1) and length normalisation (b): the usual values.
    static let termSaturation = 1.2
    static let lengthNormalisation = 0.75

    private let postings: [String: [(document: Int, count: Int)]]
    private let documentLengths: [Double]
    private let averageLength: Double

    init(documents: [String]) {
        var postings: [String: [(document: Int, count: Int)]] = [:]
        var lengths: [Double] = []
        for (index, document) in documents.enumerated() {
            let terms = Self.terms(of: document)
            lengths.append(Double(terms.count))
            var counts: [String: Int] = [:]
            for term in terms { counts[term, default: 0] += 1 }
            for (term, count) in counts { postings[term, default: []].append((index, count)) }
        }
        self.postings = postings
        self.documentLengths = lengths
        self.averageLength = lengths.isEmpty ? 1 : max(1, lengths.reduce(0, +) / Double(lengths.count))
    }

    /// Documents scoring above zero for `query`, best first, each with the query words it matched.
    func search(_ query: String, limit: Int) -> [(document: Int, score: Double, matched: [String])] {
        let documentCount = Double(documentLengths.count)
        var scores: [Int: Double] = [:]
        var matched: [Int: [String]] = [:]
        var seen = Set<String>()
        for (term, word) in Self.termsWithWords(of: query) where seen.insert(term).inserted {
            guard let list = postings[term] else { continue }
            let frequency = Double(list.count)
            let idf = log(1 + (documentCount - frequency + 0.5) / (frequency + 0.5))
            for (document, count) in list {
                let tf = Double(count)
                let norm =
                    tf + Self.termSaturation
                    * (1 - Self.lengthNormalisation + Self.lengthNormalisation * documentLengths[document]
                        / averageLength)
                scores[document, default: 0] += idf * tf * (Self.termSaturation + 1) / norm
                matched[document, default: []].append(word)
            }
        }
        return scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(max(0, limit))
            .map { ($0.key, $0.value, matched[$0.key] ?? []) }
    }

    /// Lower-cased, stemmed content words of `text`.
    static func terms(of text: String) -> [String] { termsWithWords(of: text).map(\.term) }

    /// Lower-cased, stemmed content words of `text`, each with the word it came from.
    static func termsWithWords(of text: String) -> [(term: String, word: String)] {
        var result: [(term: String, word: String)] = []
        var current = ""
        func flush() {
            if !current.isEmpty {
                if !stopWords.contains(current) { result.append((stem(current), current)) }
                current = ""
            }
        }
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if character != "'" && character != "\u{2019}" {
                flush()
            }
        }
        flush()
        return result
    }

    /// A deliberately small stemmer: enough to join "cards"/"card", "charged"/"charges"/"charge",
    /// "topping"/"top", "verified"/"verify"; a full algorithm would buy little on short texts.
    static func stem(_ word: String) -> String {
        guard word.count > 3 else { return word }
        var stem = word
        for suffix in ["ing", "ed", "es", "s"] where stem.hasSuffix(suffix) && stem.count - suffix.count >= 3 {
            if suffix == "s" && stem.hasSuffix("ss") { break }
            stem.removeLast(suffix.count)
            if suffix == "ing" || suffix == "ed", let last = stem.last, stem.dropLast().last == last,
                !"lsz".contains(last)
            {
                stem.removeLast()  // "topping" → "topp" → "top"
            }
            break
        }
        if stem.count >= 4 && stem.hasSuffix("i") { stem = stem.dropLast() + "y" }
        if stem.count >= 4 && stem.hasSuffix("e") { stem.removeLast() }
        return stem
    }

    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "for", "with", "from", "by",
        "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "have", "has", "had", "i", "me",
        "my", "you", "your", "we", "our", "it", "its", "this", "that", "these", "those", "there", "what",
        "why", "how", "when", "where", "which", "who", "can", "could", "would", "should", "will", "just",
        "so", "not", "no", "yes", "please", "hi", "hello", "thanks", "thank", "im", "ive", "dont", "as",
        "any", "some", "about", "into", "up", "out", "get", "got", "need", "want", "still", "now", "yet",
        "hasnt", "havent", "isnt", "doesnt", "didnt", "cant", "wont", "arent", "wasnt", "ill", "id", "also",
        "been", "being", "they", "them", "their", "he", "she", "his", "her", "than", "then", "too", "very",
    ]
}
