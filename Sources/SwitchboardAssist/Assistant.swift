internal import Foundation

/// The assistance library's entry point: a trained intent model, the intent catalogue and the
/// knowledge base, immutable and shareable across tasks. The router calls ``detectIntent(_:)``
/// on a conversation's opening text; the summariser feeds each message to a
/// ``ConversationAssist`` with this assistant.
public struct Assistant: Sendable {
    public let classifier: IntentClassifier
    public let catalog: IntentCatalog
    public let knowledgeBase: KnowledgeBase
    /// The language of this assistant's model, catalogue and articles (BCP 47 primary tag).
    public let language: String
    /// Tells the customer's language; nil when only one language is loaded.
    public let languageDetector: LanguageDetector?
    /// The assistants of the other languages, by tag (see ``assistant(for:)``).
    public let localised: [String: Assistant]

    public init(
        classifier: IntentClassifier, catalog: IntentCatalog, knowledgeBase: KnowledgeBase,
        language: String = AssistLanguages.english, languageDetector: LanguageDetector? = nil,
        localised: [String: Assistant] = [:]
    ) {
        self.classifier = classifier
        self.catalog = catalog
        self.knowledgeBase = knowledgeBase
        self.language = language
        self.languageDetector = languageDetector
        self.localised = localised
    }

    /// What ``load(_:)`` produced and how.
    public struct Loaded: Sendable {
        public var assistant: Assistant
        /// Whether the model was loaded from the cache or trained now (and why).
        public var modelOrigin: IntentModelStore.Origin
        /// The training set's path, and its size when it was parsed (not when the model was loaded).
        public var trainingDataPath: String
        public var trainingRows: Int?
        /// Whether each other language's model and the language detector were loaded from the
        /// cache or trained now (and why), one line each.
        public var languageOrigins: [String] = []
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
        // The other languages' models and the detector are cached beside the main model.
        let cacheFolder = configuration.modelCachePath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        let languages = try AssistLanguagePacks.load(from: resources, cacheFolder: cacheFolder)
        return Loaded(
            assistant: Assistant(
                classifier: classifier, catalog: catalog, knowledgeBase: knowledgeBase,
                languageDetector: languages.detector, localised: languages.assistants),
            modelOrigin: origin, trainingDataPath: trainingPath, trainingRows: rows,
            languageOrigins: languages.origins)
    }

    /// The languages answered in: this assistant's, then the localised ones.
    public var languages: [String] { [language] + localised.keys.sorted() }

    /// The assistant answering in `language`: this one, a localised one, or this one when the
    /// language has no resources.
    public func assistant(for language: String) -> Assistant {
        language == self.language ? self : localised[language] ?? self
    }

    /// The language `text` is written in; `hint` (the queue's language) decides when the text is
    /// too short or ambiguous. Without a detector: the hint if answered in, else this assistant's.
    public func detectLanguage(_ text: String, hint: String? = nil) -> LanguageDetector.Detection {
        if let languageDetector { return languageDetector.detect(text, hint: hint) }
        let answered = hint.flatMap { languages.contains($0) ? $0 : nil }
        return LanguageDetector.Detection(language: answered ?? language, margin: 0, fromHint: answered != nil)
    }

    /// The intent of `text` read by the model of the language it is written in (this assistant's
    /// language decides when the text is too short or ambiguous, unless `hint` names another).
    /// What the router asks of an opening text: a Spanish opening is read by the Spanish model.
    public func detectIntentInCustomerLanguage(
        _ text: String, hint: String? = nil, alternatives: Int = 5
    ) -> IntentPrediction {
        let language = detectLanguage(text, hint: hint ?? self.language).language
        return assistant(for: language).detectIntent(text, alternatives: alternatives)
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
