/// Turns a text into hashed terms: word n-grams and character n-grams within word boundaries.
///
/// Terms are 64-bit hashes so that extraction allocates no strings and a trained vocabulary is a
/// table of integers. Character terms carry the top bit, so the two blocks (words, characters)
/// can be weighted and normalised apart. Hashing is a fixed function (FNV-1a then a SplitMix
/// finaliser), never Swift's per-process seeded `Hasher`, because saved models must read back
/// the same in every process.
struct TextFeaturizer: Sendable, Hashable, Codable {
    /// Longest word n-gram (1 = words only, 2 = words and adjacent pairs).
    var wordNgramMax: Int
    /// Shortest and longest character n-gram, counted over a word padded with one space each side.
    var charNgramMin: Int
    var charNgramMax: Int

    static let charBlockBit: UInt64 = 1 << 63
    private static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3
    private static let wordSeed: UInt64 = 0x5157_4f52_4431
    private static let pairSeed: UInt64 = 0x5041_4952_5332
    private static let charSeed: UInt64 = 0x4348_4152_5333
    private static let space: UInt32 = 0x20

    /// Whether `term` belongs to the character block.
    static func isCharTerm(_ term: UInt64) -> Bool { term & charBlockBit != 0 }

    /// Appends the terms of `text` (with repeats) to `terms`; `scalars` and `wordEnds` are scratch space.
    func appendTerms(
        of text: String, to terms: inout [UInt64], scalars: inout [UInt32], wordEnds: inout [Int]
    ) {
        scalars.removeAll(keepingCapacity: true)
        wordEnds.removeAll(keepingCapacity: true)
        Self.splitWords(text, scalars: &scalars, wordEnds: &wordEnds)
        guard !wordEnds.isEmpty else { return }
        scalars.withUnsafeBufferPointer { letters in
            var previousWordHash: UInt64 = 0
            var start = 0
            for (position, end) in wordEnds.enumerated() {
                var wordHash = Self.fnvOffset ^ Self.wordSeed
                for index in start..<end {
                    wordHash = (wordHash ^ UInt64(letters[index])) &* Self.fnvPrime
                }
                terms.append(Self.finalise(wordHash) & ~Self.charBlockBit)
                if wordNgramMax >= 2 && position > 0 {
                    let pair = (previousWordHash &* 0x9e37_79b9_7f4a_7c15) ^ wordHash ^ Self.pairSeed
                    terms.append(Self.finalise(pair) & ~Self.charBlockBit)
                }
                previousWordHash = wordHash
                appendCharTerms(letters: letters, start: start, end: end, to: &terms)
                start = end
            }
        }
    }

    /// Character n-grams of one word padded as " word " (the scheme known as `char_wb`); a padded
    /// word shorter than the shortest n-gram gives itself as its one term.
    private func appendCharTerms(
        letters: UnsafeBufferPointer<UInt32>, start: Int, end: Int, to terms: inout [UInt64]
    ) {
        let paddedLength = end - start + 2
        @inline(__always) func letter(_ offset: Int) -> UInt32 {
            offset == 0 || offset == paddedLength - 1 ? Self.space : letters[start + offset - 1]
        }
        if paddedLength < charNgramMin {
            var hash = Self.fnvOffset ^ Self.charSeed
            for offset in 0..<paddedLength { hash = (hash ^ UInt64(letter(offset))) &* Self.fnvPrime }
            terms.append(Self.finalise(hash) | Self.charBlockBit)
            return
        }
        for first in 0..<paddedLength {
            var hash = Self.fnvOffset ^ Self.charSeed
            let longest = min(charNgramMax, paddedLength - first)
            if longest < charNgramMin { break }
            for length in 1...longest {
                hash = (hash ^ UInt64(letter(first + length - 1))) &* Self.fnvPrime
                if length >= charNgramMin { terms.append(Self.finalise(hash) | Self.charBlockBit) }
            }
        }
    }

    /// Lower-cases `text` and splits it into words of letters and digits; apostrophes inside a
    /// word are dropped ("can't" is "cant"), everything else separates words.
    static func splitWords(_ text: String, scalars: inout [UInt32], wordEnds: inout [Int]) {
        var inWord = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                switch value {
                case 0x61...0x7a, 0x30...0x39:
                    scalars.append(value)
                    inWord = true
                case 0x41...0x5a:
                    scalars.append(value + 0x20)
                    inWord = true
                case 0x27:
                    continue
                default:
                    if inWord { wordEnds.append(scalars.count) }
                    inWord = false
                }
            } else if value == 0x2019 {
                continue
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if scalar.properties.changesWhenLowercased {
                    scalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars.map(\.value))
                } else {
                    scalars.append(value)
                }
                inWord = true
            } else {
                if inWord { wordEnds.append(scalars.count) }
                inWord = false
            }
        }
        if inWord { wordEnds.append(scalars.count) }
    }

    /// SplitMix64's finaliser: spreads FNV's weak low bits over the whole word. Never zero, since
    /// zero marks an empty slot in ``FeatureTable``.
    @inline(__always) static func finalise(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        mixed ^= mixed >> 31
        return mixed & ~charBlockBit == 0 ? mixed | 1 : mixed
    }
}
