internal import Foundation
internal import SwitchboardRouting

/// Multinomial logistic regression trained by stochastic gradient descent with L2
/// regularisation, a decaying learning rate (lr / (1 + lr·λ·t + decay·t/T) at step t of T) and a
/// seeded shuffle per epoch.
///
/// The L2 shrinkage of every weight at every step is kept exact yet cheap by storing the
/// weights as `scale · v`: shrinking multiplies `scale`, and a sparse update touches only the
/// rows of the example's features.
struct SoftmaxTrainer: Sendable {
    var epochs: Int
    var learningRate: Float
    var l2: Float
    var seed: UInt64
    var hinge: Bool = false
    /// The learning rate falls to lr / (1 + decay) by the last step.
    var decay: Float = 0

    func train(vectors: [SparseVector], labels: [Int], classCount: Int, featureCount: Int) -> LinearModel {
        let classes = classCount
        // Raw buffers for the whole training: the inner loops run a few hundred million times, and
        // array bounds and exclusivity checks there would double the training time.
        let weights = UnsafeMutableBufferPointer<Float>.allocate(capacity: featureCount * classes)
        weights.initialize(repeating: 0)
        let bias = UnsafeMutableBufferPointer<Float>.allocate(capacity: classes)
        bias.initialize(repeating: 0)
        let scores = UnsafeMutableBufferPointer<Float>.allocate(capacity: classes)
        scores.initialize(repeating: 0)
        defer {
            weights.deallocate()
            bias.deallocate()
            scores.deallocate()
        }
        guard let weightBase = weights.baseAddress, featureCount > 0 else {
            return LinearModel(
                classCount: classes, featureCount: featureCount, weights: [],
                bias: [Float](repeating: 0, count: classes))
        }
        var scale: Double = 1
        var order = Array(vectors.indices)
        var generator = SplitMix64(seed: seed)
        var step: Double = 0
        let totalSteps = Double(max(1, vectors.count * epochs))
        for _ in 0..<epochs {
            generator.shuffle(&order)
            for example in order {
                let vector = vectors[example]
                let label = labels[example]
                vector.indices.withUnsafeBufferPointer { indices in
                    vector.values.withUnsafeBufferPointer { values in
                        for klass in 0..<classes { scores[klass] = 0 }
                        for slot in 0..<indices.count {
                            let value = values[slot]
                            let row = weightBase + Int(indices[slot]) * classes
                            for klass in 0..<classes { scores[klass] += value * row[klass] }
                        }
                        let currentScale = Float(scale)
                        var highest = -Float.infinity
                        for klass in 0..<classes {
                            scores[klass] = scores[klass] * currentScale + bias[klass]
                            highest = max(highest, scores[klass])
                        }
                        if hinge {
                            // Crammer-Singer: push the true class above the best wrong one by a margin of 1.
                            var rival = label == 0 ? 1 : 0
                            for klass in 0..<classes where klass != label && scores[klass] > scores[rival] {
                                rival = klass
                            }
                            let violated = scores[label] - scores[rival] < 1
                            for klass in 0..<classes { scores[klass] = 0 }
                            if violated {
                                scores[label] = -1
                                scores[rival] = 1
                            }
                        } else {
                            var total: Float = 0
                            for klass in 0..<classes {
                                scores[klass] = exp(scores[klass] - highest)
                                total += scores[klass]
                            }
                            // The gradient of the loss for each class score: probability minus target.
                            for klass in 0..<classes { scores[klass] /= total }
                            scores[label] -= 1
                        }

                        let rate =
                            Double(learningRate)
                            / (1 + Double(learningRate) * Double(l2) * step + Double(decay) * step / totalSteps)
                        scale *= 1 - rate * Double(l2)
                        let factor = Float(rate / scale)
                        for slot in 0..<indices.count {
                            let coefficient = factor * values[slot]
                            let row = weightBase + Int(indices[slot]) * classes
                            for klass in 0..<classes { row[klass] -= coefficient * scores[klass] }
                        }
                        for klass in 0..<classes { bias[klass] -= Float(rate) * scores[klass] }
                    }
                }
                step += 1
                if scale < 1e-6 {
                    let factor = Float(scale)
                    for index in weights.indices { weights[index] *= factor }
                    scale = 1
                }
            }
        }
        let factor = Float(scale)
        let finalWeights = weights.map { $0 * factor }
        let finalBias = Array(bias)
        return LinearModel(classCount: classes, featureCount: featureCount, weights: finalWeights, bias: finalBias)
    }
}
