/// Everything that decides what the intent model learns; part of a saved model's fingerprint,
/// so changing any of these retrains instead of loading a stale model.
public struct IntentModelParameters: Sendable, Hashable, Codable {
    /// Longest word n-gram: 1 (words) or 2 (words and adjacent word pairs).
    public var wordNgramMax: Int
    /// Shortest character n-gram, within word boundaries.
    public var charNgramMin: Int
    /// Longest character n-gram, within word boundaries.
    public var charNgramMax: Int
    /// Weight of the character block against the word block (each is unit length before it).
    public var charBlockWeight: Float
    /// Terms seen in fewer training texts than this are dropped.
    public var minimumDocumentFrequency: Int
    /// Passes over the training set.
    public var epochs: Int
    /// Initial learning rate of stochastic gradient descent.
    public var learningRate: Float
    /// How far the learning rate falls over training: to lr / (1 + decay) at the last step.
    public var learningRateDecay: Float
    /// L2 regularisation strength per example.
    public var l2: Float
    /// Seed of the shuffles, so that training is deterministic.
    public var seed: UInt64
    /// The training loss.
    public var loss: Loss
    /// Units of the hidden layer; 0 for a linear model.
    public var hiddenUnits: Int
    /// Units of a second model, with a hidden layer, trained beside the first on the same features;
    /// the two models' probabilities are averaged. 0 for no second model.
    public var companionHiddenUnits: Int
    /// Passes over the training set of the second model.
    public var companionEpochs: Int
    /// Initial learning rate of the second model.
    public var companionLearningRate: Float
    /// The scores are divided by this before the softmax: above 1 the probabilities are less
    /// extreme, below 1 more. It changes the confidence, never which intent ranks first.
    public var temperature: Float

    /// The loss the model is trained to minimise.
    public enum Loss: String, Sendable, Hashable, Codable, CaseIterable {
        /// Multinomial logistic regression: calibrated probabilities directly.
        case logistic
        /// Multi-class hinge (Crammer-Singer linear SVM); probabilities by a softmax of the scores.
        case hinge
    }

    /// The defaults, tuned by 5-fold cross-validation on BANKING77's training split (figures in
    /// the repository's README, under the router's intent model).
    public init(
        wordNgramMax: Int = 2, charNgramMin: Int = 2, charNgramMax: Int = 5, charBlockWeight: Float = 1,
        minimumDocumentFrequency: Int = 1, epochs: Int = 12, learningRate: Float = 1, learningRateDecay: Float = 0,
        l2: Float = 1e-6,
        seed: UInt64 = 0x5357_4254_4f41_5244, loss: Loss = .logistic, hiddenUnits: Int = 0,
        companionHiddenUnits: Int = 64, companionEpochs: Int = 10, companionLearningRate: Float = 0.1,
        temperature: Float = 0.85
    ) {
        self.companionHiddenUnits = companionHiddenUnits
        self.companionEpochs = companionEpochs
        self.companionLearningRate = companionLearningRate
        self.temperature = temperature
        self.hiddenUnits = hiddenUnits
        self.learningRateDecay = learningRateDecay
        self.loss = loss
        self.wordNgramMax = wordNgramMax
        self.charNgramMin = charNgramMin
        self.charNgramMax = charNgramMax
        self.charBlockWeight = charBlockWeight
        self.minimumDocumentFrequency = minimumDocumentFrequency
        self.epochs = epochs
        self.learningRate = learningRate
        self.l2 = l2
        self.seed = seed
    }
}
