internal import Foundation
internal import SwitchboardRouting

/// A network with one hidden layer of rectified linear units over the sparse TF-IDF features:
/// it can learn combinations of terms ("card" with "arrive" but not with "declined") that a
/// linear model cannot. Input weights are stored feature-major, so a sparse input reads only
/// the rows of its features.
struct HiddenLayerModel: Sendable, Equatable {
    let classCount: Int
    let featureCount: Int
    let hiddenCount: Int
    /// featureCount × hiddenCount.
    var inputWeights: [Float]
    var hiddenBias: [Float]
    /// hiddenCount × classCount.
    var outputWeights: [Float]
    var outputBias: [Float]

    /// Writes the class scores of `vector` into `scores`; `hidden` is scratch space.
    func scores(of vector: SparseVector, into scores: inout [Float], hidden: inout [Float]) {
        if scores.count != classCount { scores = Array(repeating: 0, count: classCount) }
        if hidden.count != hiddenCount { hidden = Array(repeating: 0, count: hiddenCount) }
        let units = hiddenCount
        let classes = classCount
        hidden.withUnsafeMutableBufferPointer { hiddenBuffer in
            for unit in 0..<units { hiddenBuffer[unit] = hiddenBias[unit] }
            inputWeights.withUnsafeBufferPointer { weights in
                for (slot, index) in vector.indices.enumerated() {
                    let value = vector.values[slot]
                    let row = Int(index) * units
                    for unit in 0..<units { hiddenBuffer[unit] += value * weights[row + unit] }
                }
            }
            for unit in 0..<units where hiddenBuffer[unit] < 0 { hiddenBuffer[unit] = 0 }
            scores.withUnsafeMutableBufferPointer { output in
                for klass in 0..<classes { output[klass] = outputBias[klass] }
                outputWeights.withUnsafeBufferPointer { weights in
                    for unit in 0..<units where hiddenBuffer[unit] > 0 {
                        let activation = hiddenBuffer[unit]
                        let row = unit * classes
                        for klass in 0..<classes { output[klass] += activation * weights[row + klass] }
                    }
                }
            }
        }
    }
}

/// Trains a ``HiddenLayerModel`` by stochastic gradient descent on the softmax loss, with a
/// decaying learning rate, L2 on the output layer and a seeded initialisation and shuffle.
struct HiddenLayerTrainer: Sendable {
    var hiddenCount: Int
    var epochs: Int
    var learningRate: Float
    var l2: Float
    var seed: UInt64

    func train(vectors: [SparseVector], labels: [Int], classCount: Int, featureCount: Int) -> HiddenLayerModel {
        let units = hiddenCount
        let classes = classCount
        var generator = SplitMix64(seed: seed)
        func uniform(_ bound: Float) -> Float {
            (Float(generator.next() >> 40) / Float(1 << 24) * 2 - 1) * bound
        }
        // Small input weights: a rare feature is updated only a few times, so whatever it starts
        // with stays as noise at prediction time (the scale fastText uses for its input vectors).
        let inputBound = 1 / Float(units)
        var inputWeights = (0..<(featureCount * units)).map { _ in uniform(inputBound) }
        var hiddenBias = [Float](repeating: 0, count: units)
        let outputBound = (6 / Float(units + classes)).squareRoot()
        var outputWeights = (0..<(units * classes)).map { _ in uniform(outputBound) }
        var outputBias = [Float](repeating: 0, count: classes)
        // Raw buffers in the loops, as in ``SoftmaxTrainer``: bounds checks there cost more than the work.
        let hidden = UnsafeMutableBufferPointer<Float>.allocate(capacity: units)
        let back = UnsafeMutableBufferPointer<Float>.allocate(capacity: units)
        let scores = UnsafeMutableBufferPointer<Float>.allocate(capacity: classes)
        defer {
            hidden.deallocate()
            back.deallocate()
            scores.deallocate()
        }
        var order = Array(vectors.indices)
        var step: Float = 0
        let decay = learningRate * 10 / Float(max(1, vectors.count * epochs))
        inputWeights.withUnsafeMutableBufferPointer { input in
            outputWeights.withUnsafeMutableBufferPointer { output in
                hiddenBias.withUnsafeMutableBufferPointer { hiddenBias in
                    outputBias.withUnsafeMutableBufferPointer { outputBias in
                        for _ in 0..<epochs {
                            generator.shuffle(&order)
                            for example in order {
                                let rate = learningRate / (1 + decay * step)
                                step += 1
                                let vector = vectors[example]
                                vector.indices.withUnsafeBufferPointer { indices in
                                    vector.values.withUnsafeBufferPointer { values in
                                        for unit in 0..<units { hidden[unit] = hiddenBias[unit] }
                                        for slot in 0..<indices.count {
                                            let value = values[slot]
                                            let row = Int(indices[slot]) * units
                                            for unit in 0..<units { hidden[unit] += value * input[row + unit] }
                                        }
                                        for unit in 0..<units where hidden[unit] < 0 { hidden[unit] = 0 }
                                        for klass in 0..<classes { scores[klass] = outputBias[klass] }
                                        for unit in 0..<units where hidden[unit] > 0 {
                                            let activation = hidden[unit]
                                            let row = unit * classes
                                            for klass in 0..<classes {
                                                scores[klass] += activation * output[row + klass]
                                            }
                                        }
                                        var highest = -Float.infinity
                                        for klass in 0..<classes { highest = max(highest, scores[klass]) }
                                        var total: Float = 0
                                        for klass in 0..<classes {
                                            scores[klass] = exp(scores[klass] - highest)
                                            total += scores[klass]
                                        }
                                        for klass in 0..<classes { scores[klass] /= total }
                                        scores[labels[example]] -= 1
                                        // Back through the output layer, then update it.
                                        let shrink = 1 - rate * l2
                                        for unit in 0..<units {
                                            let activation = hidden[unit]
                                            guard activation > 0 else {
                                                back[unit] = 0
                                                continue
                                            }
                                            let row = unit * classes
                                            var sum: Float = 0
                                            for klass in 0..<classes { sum += output[row + klass] * scores[klass] }
                                            back[unit] = sum
                                            for klass in 0..<classes {
                                                output[row + klass] =
                                                    output[row + klass] * shrink - rate * activation * scores[klass]
                                            }
                                        }
                                        for klass in 0..<classes { outputBias[klass] -= rate * scores[klass] }
                                        for slot in 0..<indices.count {
                                            let coefficient = rate * values[slot]
                                            let row = Int(indices[slot]) * units
                                            for unit in 0..<units { input[row + unit] -= coefficient * back[unit] }
                                        }
                                        for unit in 0..<units { hiddenBias[unit] -= rate * back[unit] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return HiddenLayerModel(
            classCount: classes, featureCount: featureCount, hiddenCount: units, inputWeights: inputWeights,
            hiddenBias: hiddenBias, outputWeights: outputWeights, outputBias: outputBias)
    }
}

/// The trained part of an intent classifier: a linear model or a one-hidden-layer network.
enum IntentScorer: Sendable, Equatable {
    case linear(LinearModel)
    case hiddenLayer(HiddenLayerModel)

    var classCount: Int {
        switch self {
        case .linear(let model): model.classCount
        case .hiddenLayer(let model): model.classCount
        }
    }

    func scores(of vector: SparseVector, into scores: inout [Float]) {
        switch self {
        case .linear(let model): model.scores(of: vector, into: &scores)
        case .hiddenLayer(let model):
            var hidden: [Float] = []
            model.scores(of: vector, into: &scores, hidden: &hidden)
        }
    }
}
