internal import Foundation

/// The assistance library's entry point: a trained intent model, the intent catalogue and the
/// knowledge base, immutable and shareable across tasks. The router calls ``detectIntent(_:)``
/// on a conversation's opening text; the summariser feeds each message to a
/// ``ConversationAssist`` with this assistant.
public struct Assistant: Sendable {
    public let classifier: IntentClassifier
    public let catalog: IntentCatalog
    public let knowledgeBase: KnowledgeBase

    public init(classifier: IntentClassifier, catalog: IntentCatalog, knowledgeBase: KnowledgeBase) {
        self.classifier = classifier
        self.catalog = catalog
        self.knowledgeBase = knowledgeBase
    }

    /// What ``load(_:)`` produced and how.
    public struct Loaded: Sendable {
        public var assistant: Assistant
        /// Whether the model was loaded from the cache or trained now (and why).
        public var modelOrigin: IntentModelStore.Origin
        /// The training set's path, and its size when it was parsed (not when the model was loaded).
        public var trainingDataPath: String
        public var trainingRows: Int?
    }

    /// Reads the files `configuration` names (the shipped ones by default) and loads or trains the
    /// intent model. The only I/O of the library; call it once at process start.
    public static func load(_ configuration: AssistConfiguration = AssistConfiguration()) throws(AssistError)
        -> Loaded
    {
        let resources = try AssistResources.locate(folder: configuration.resourcesFolder)
        let catalogPath = configuration.intentCatalogPath ?? resources.path(of: AssistResources.intentCatalogFileName)
        let catalog = try IntentCatalog.load(path: catalogPath)
        let knowledgePath = configuration.knowledgeBasePath ?? resources.path(of: AssistResources.knowledgeBaseFileName)
        let knowledgeBase = try KnowledgeBase.load(path: knowledgePath)
        let trainingPath = configuration.trainingDataPath ?? resources.path(of: AssistResources.examplesFileName)
        let (classifier, origin, rows) = try IntentModelStore.loadOrTrain(
            trainingDataPath: trainingPath, parameters: configuration.parameters,
            cachePath: configuration.modelCachePath)
        return Loaded(
            assistant: Assistant(classifier: classifier, catalog: catalog, knowledgeBase: knowledgeBase),
            modelOrigin: origin, trainingDataPath: trainingPath, trainingRows: rows)
    }

    /// The intent of `text`, its confidence, the skill it implies and the runners-up.
    public func detectIntent(_ text: String, alternatives: Int = 5) -> IntentPrediction {
        let ranked = classifier.rank(text, limit: max(1, alternatives))
        let best = ranked.first ?? IntentScore(intent: classifier.intents[0], probability: 0)
        return IntentPrediction(
            intent: best.intent, confidence: best.probability, skill: catalog.skill(for: best.intent), ranked: ranked)
    }

    /// Up to `limit` articles for `text` given its predicted intents (see
    /// ``KnowledgeBase/surface(text:intents:limit:)``).
    public func surfaceArticles(text: String, prediction: IntentPrediction, limit: Int = 3) -> [SurfacedArticle] {
        knowledgeBase.surface(text: text, intents: prediction.ranked, limit: limit)
    }
}
