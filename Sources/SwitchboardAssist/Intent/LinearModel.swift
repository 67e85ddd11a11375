internal import Foundation

/// A linear multi-class model over sparse features: one weight per (feature, class) stored
/// feature-major, so that scoring a sparse vector reads one contiguous row per feature.
struct LinearModel: Sendable, Equatable {
    let classCount: Int
    let featureCount: Int
    var weights: [Float]
    var bias: [Float]

    /// Writes the class scores of `vector` into `scores` (resized to the class count).
    func scores(of vector: SparseVector, into scores: inout [Float]) {
        if scores.count != classCount { scores = Array(repeating: 0, count: classCount) }
        let classes = classCount
        scores.withUnsafeMutableBufferPointer { output in
            bias.withUnsafeBufferPointer { biasBuffer in
                for klass in 0..<classes { output[klass] = biasBuffer[klass] }
            }
            weights.withUnsafeBufferPointer { weightBuffer in
                vector.indices.withUnsafeBufferPointer { indices in
                    vector.values.withUnsafeBufferPointer { values in
                        for slot in 0..<indices.count {
                            let value = values[slot]
                            let row = Int(indices[slot]) * classes
                            for klass in 0..<classes { output[klass] += value * weightBuffer[row + klass] }
                        }
                    }
                }
            }
        }
    }

    /// Turns scores into probabilities in place (softmax, shifted by the maximum for stability).
    static func softmax(_ scores: inout [Float]) {
        guard let highest = scores.max() else { return }
        var total: Float = 0
        for index in scores.indices {
            let value = exp(scores[index] - highest)
            scores[index] = value
            total += value
        }
        for index in scores.indices { scores[index] /= total }
    }
}
