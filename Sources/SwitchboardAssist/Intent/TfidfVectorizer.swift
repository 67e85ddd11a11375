internal import Foundation

/// A sparse feature vector: sorted feature indices and their values.
struct SparseVector: Sendable, Equatable {
    var indices: [Int32]
    var values: [Float]
}

/// TF-IDF over the hashed terms of ``TextFeaturizer``: sublinear term frequency (1 + ln tf),
/// smoothed inverse document frequency (ln((1 + n) / (1 + df)) + 1), and each block (words,
/// characters) scaled to unit length apart, so that neither block drowns the other; the
/// character block is then multiplied by `charBlockWeight`.
struct TfidfVectorizer: Sendable {
    let featurizer: TextFeaturizer
    /// Feature terms in index order: every word term before every character term.
    let terms: [UInt64]
    let wordFeatureCount: Int
    let inverseDocumentFrequency: [Float]
    let charBlockWeight: Float
    let table: FeatureTable

    init(
        featurizer: TextFeaturizer, terms: [UInt64], wordFeatureCount: Int, inverseDocumentFrequency: [Float],
        charBlockWeight: Float
    ) {
        self.featurizer = featurizer
        self.terms = terms
        self.wordFeatureCount = wordFeatureCount
        self.inverseDocumentFrequency = inverseDocumentFrequency
        self.charBlockWeight = charBlockWeight
        self.table = FeatureTable(terms: terms)
    }

    /// Learns the vocabulary and document frequencies of `texts`, keeping terms seen in at least
    /// `minimumDocumentFrequency` texts. The order of features is deterministic (sorted by term).
    static func fit(
        texts: [String], featurizer: TextFeaturizer, minimumDocumentFrequency: Int, charBlockWeight: Float
    ) -> TfidfVectorizer {
        var documentFrequency: [UInt64: Int32] = [:]
        var scratch = Scratch()
        for text in texts {
            scratch.terms.removeAll(keepingCapacity: true)
            featurizer.appendTerms(
                of: text, to: &scratch.terms, scalars: &scratch.scalars, wordEnds: &scratch.wordEnds)
            scratch.terms.sort()
            var previous: UInt64 = 0
            for term in scratch.terms where term != previous {
                documentFrequency[term, default: 0] += 1
                previous = term
            }
        }
        let kept = documentFrequency.filter { $0.value >= Int32(minimumDocumentFrequency) }
        let wordTerms = kept.keys.filter { !TextFeaturizer.isCharTerm($0) }.sorted()
        let charTerms = kept.keys.filter { TextFeaturizer.isCharTerm($0) }.sorted()
        let terms = wordTerms + charTerms
        let documentCount = Float(texts.count)
        let idf = terms.map { term in
            log((1 + documentCount) / (1 + Float(kept[term] ?? 0))) + 1
        }
        return TfidfVectorizer(
            featurizer: featurizer, terms: terms, wordFeatureCount: wordTerms.count,
            inverseDocumentFrequency: idf, charBlockWeight: charBlockWeight)
    }

    /// Reusable buffers, so that vectorising many texts does not allocate per text.
    struct Scratch {
        var terms: [UInt64] = []
        var scalars: [UInt32] = []
        var wordEnds: [Int] = []
        var indices: [Int32] = []
    }

    var featureCount: Int { terms.count }

    func vector(of text: String) -> SparseVector {
        // Sized for the text up front: a word of n letters gives about 4n character terms.
        let expectedTerms = text.utf8.count * (featurizer.charNgramMax - featurizer.charNgramMin + 2) + 16
        var scratch = Scratch()
        scratch.terms.reserveCapacity(expectedTerms)
        scratch.indices.reserveCapacity(expectedTerms)
        scratch.scalars.reserveCapacity(text.utf8.count)
        scratch.wordEnds.reserveCapacity(text.utf8.count / 2 + 1)
        return vector(of: text, scratch: &scratch)
    }

    func vector(of text: String, scratch: inout Scratch) -> SparseVector {
        scratch.terms.removeAll(keepingCapacity: true)
        scratch.indices.removeAll(keepingCapacity: true)
        featurizer.appendTerms(of: text, to: &scratch.terms, scalars: &scratch.scalars, wordEnds: &scratch.wordEnds)
        for term in scratch.terms {
            if let index = table.index(of: term) { scratch.indices.append(index) }
        }
        scratch.indices.sort()
        var indices: [Int32] = []
        var values: [Float] = []
        indices.reserveCapacity(scratch.indices.count)
        values.reserveCapacity(scratch.indices.count)
        var position = 0
        var wordSquares: Float = 0
        var charSquares: Float = 0
        let wordCount = Int32(wordFeatureCount)
        while position < scratch.indices.count {
            let index = scratch.indices[position]
            var count = 1
            while position + count < scratch.indices.count && scratch.indices[position + count] == index { count += 1 }
            position += count
            let value = (1 + log(Float(count))) * inverseDocumentFrequency[Int(index)]
            indices.append(index)
            values.append(value)
            if index < wordCount { wordSquares += value * value } else { charSquares += value * value }
        }
        let wordScale: Float = wordSquares > 0 ? 1 / wordSquares.squareRoot() : 0
        let charScale: Float = charSquares > 0 ? charBlockWeight / charSquares.squareRoot() : 0
        for slot in values.indices {
            values[slot] *= indices[slot] < wordCount ? wordScale : charScale
        }
        return SparseVector(indices: indices, values: values)
    }
}
