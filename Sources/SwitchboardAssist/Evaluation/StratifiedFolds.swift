internal import SwitchboardRouting

/// Splits example indices into k folds that keep each intent's share (stratified), seeded.
///
/// Each intent's examples are shuffled with the seed and dealt round-robin across the folds,
/// starting where the previous intent stopped, so fold sizes differ by at most one.
public struct StratifiedFolds: Sendable, Equatable {
    /// `folds[i]` holds the indices of the examples held out in fold `i`.
    public let folds: [[Int]]

    public init(labels: [String], foldCount: Int, seed: UInt64) {
        let count = max(1, foldCount)
        var byLabel: [String: [Int]] = [:]
        for (index, label) in labels.enumerated() { byLabel[label, default: []].append(index) }
        var generator = SplitMix64(seed: seed)
        var folds = Array(repeating: [Int](), count: count)
        var next = 0
        for label in byLabel.keys.sorted() {
            var members = byLabel[label] ?? []
            generator.shuffle(&members)
            for member in members {
                folds[next].append(member)
                next = (next + 1) % count
            }
        }
        self.folds = folds.map { $0.sorted() }
    }
}
