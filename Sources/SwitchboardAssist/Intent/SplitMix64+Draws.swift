import SwitchboardRouting

/// The draws training, shuffles and folds make from the codebase's one seeded generator, so
/// that they are the same on every run with the same seed.
extension SplitMix64 {
    /// A uniform integer in `0..<bound` (bound > 0); the tiny modulo bias is irrelevant here.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Shuffles `array` in place (Fisher-Yates), written out so that the order does not depend
    /// on the standard library's choice of algorithm.
    mutating func shuffle<Element>(_ array: inout [Element]) {
        guard array.count > 1 else { return }
        for index in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(index, below(index + 1))
        }
    }
}
