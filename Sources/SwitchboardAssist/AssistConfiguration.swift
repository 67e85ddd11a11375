/// Which files the assistance library learns from and answers with. Every path is optional:
/// nil means the file shipped with the library (see ``AssistResources``).
public struct AssistConfiguration: Sendable, Hashable, Codable {
    /// A CSV of `text,intent` to train the intent model on (BANKING77's `train.csv`, for instance).
    public var trainingDataPath: String?
    /// The knowledge base (JSON).
    public var knowledgeBasePath: String?
    /// The intent catalogue: skills, needs, next actions and reply templates (JSON).
    public var intentCatalogPath: String?
    /// The folder of the shipped files, when it is not found by itself.
    public var resourcesFolder: String?
    /// Where to keep the trained model, so that a restart loads it instead of training; nil: never saved.
    public var modelCachePath: String?
    /// Model parameters; part of the cache fingerprint.
    public var parameters: IntentModelParameters

    public init(
        trainingDataPath: String? = nil, knowledgeBasePath: String? = nil, intentCatalogPath: String? = nil,
        resourcesFolder: String? = nil, modelCachePath: String? = nil,
        parameters: IntentModelParameters = IntentModelParameters()
    ) {
        self.trainingDataPath = trainingDataPath
        self.knowledgeBasePath = knowledgeBasePath
        self.intentCatalogPath = intentCatalogPath
        self.resourcesFolder = resourcesFolder
        self.modelCachePath = modelCachePath
        self.parameters = parameters
    }
}
