import ArgumentParser
import SwitchboardAssist

/// Model parameters as options, for tuning from the command line; the defaults are the library's.
struct AssistModelOptions: ParsableArguments {
    @Option(name: .long, help: "Passes over the training set.")
    var epochs: Int?

    @Option(name: .long, help: "Initial learning rate of the gradient descent.")
    var learningRate: Float?

    @Option(name: .long, help: "Learning-rate decay: the rate falls to lr / (1 + decay) by the end.")
    var decay: Float?

    @Option(name: .long, help: "L2 regularisation per example.")
    var l2: Float?

    @Option(name: .long, help: "Weight of the character n-gram block against the word block.")
    var charWeight: Float?

    @Option(name: .long, help: "Shortest character n-gram.")
    var charMin: Int?

    @Option(name: .long, help: "Longest character n-gram.")
    var charMax: Int?

    @Option(name: .long, help: "Longest word n-gram.")
    var wordMax: Int?

    @Option(name: .long, help: "Drop terms seen in fewer training texts than this.")
    var minDf: Int?

    @Option(name: .long, help: "Units of a hidden layer (0: a linear model).")
    var hidden: Int?

    @Option(name: .long, help: "Training loss: logistic or hinge.")
    var loss: String?

    @Option(name: .long, help: "Units of a second, hidden-layer model averaged with the first (0: none).")
    var companionHidden: Int?

    @Option(name: .long, help: "Passes over the training set of the second model.")
    var companionEpochs: Int?

    @Option(name: .long, help: "Initial learning rate of the second model.")
    var companionLearningRate: Float?

    @Option(name: .long, help: "Softmax temperature: above 1 the confidences are less extreme.")
    var temperature: Float?

    var parameters: IntentModelParameters {
        var parameters = IntentModelParameters()
        if let loss, let chosen = IntentModelParameters.Loss(rawValue: loss) { parameters.loss = chosen }
        if let epochs { parameters.epochs = epochs }
        if let hidden { parameters.hiddenUnits = hidden }
        if let decay { parameters.learningRateDecay = decay }
        if let learningRate { parameters.learningRate = learningRate }
        if let l2 { parameters.l2 = l2 }
        if let charWeight { parameters.charBlockWeight = charWeight }
        if let charMin { parameters.charNgramMin = charMin }
        if let charMax { parameters.charNgramMax = charMax }
        if let wordMax { parameters.wordNgramMax = wordMax }
        if let minDf { parameters.minimumDocumentFrequency = minDf }
        if let companionHidden { parameters.companionHiddenUnits = companionHidden }
        if let companionEpochs { parameters.companionEpochs = companionEpochs }
        if let companionLearningRate { parameters.companionLearningRate = companionLearningRate }
        if let temperature { parameters.temperature = temperature }
        return parameters
    }
}
