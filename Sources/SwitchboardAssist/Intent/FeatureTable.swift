/// A read-only map from a term hash to its feature index: open addressing with linear probing
/// over a power-of-two table, about twice as fast as `Dictionary` for this one job on the
/// classification path, and laid out as two flat arrays so that it saves and loads as bytes.
struct FeatureTable: Sendable, Equatable {
    /// Slot keys; 0 marks an empty slot (``TextFeaturizer`` never produces 0).
    private(set) var keys: [UInt64]
    /// The feature index of each slot.
    private(set) var values: [Int32]
    private let mask: Int

    /// A table of `terms`, where `terms[i]` gets feature index `i`. Terms must be distinct and non-zero.
    init(terms: [UInt64]) {
        var capacity = 16
        while capacity < terms.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        keys = Array(repeating: 0, count: capacity)
        values = Array(repeating: -1, count: capacity)
        for (index, term) in terms.enumerated() {
            var slot = Int(truncatingIfNeeded: term) & mask
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = term
            values[slot] = Int32(index)
        }
    }

    /// The feature index of `term`, or nil when the term was not in the training vocabulary.
    @inline(__always) func index(of term: UInt64) -> Int32? {
        keys.withUnsafeBufferPointer { keyBuffer in
            var slot = Int(truncatingIfNeeded: term) & mask
            while true {
                let key = keyBuffer[slot]
                if key == term { return values[slot] }
                if key == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}
