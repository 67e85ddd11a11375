internal import Foundation

/// Loads the assistance of the languages other than English and the language detector.
///
/// Each language has a folder `Resources/<tag>/` with its own `examples.csv` (customers' phrasings,
/// BANKING77 intent names), `intents.json` (needs, next steps and reply templates written in the
/// language) and `knowledge-base.json`; its intent model is trained from its examples (a few hundred
/// rows). The detector learns each language from `Resources/languages/<tag>.txt` and that language's
/// examples (English's are the whole BANKING77 set). With a cache folder, both are saved there
/// once trained and loaded at the next start instead of trained again, each only when the digest of
/// the files it was trained from still matches (see ``LanguageDetectorStore`` and ``IntentModelStore``).
public enum AssistLanguagePacks {
    /// The folder of the language samples inside the resources folder.
    public static let samplesFolderName = "languages"
    /// The detector's cache file inside the cache folder.
    public static let detectorCacheFileName = "language-detector.bin"

    /// What ``load(from:parameters:cacheFolder:)`` found.
    public struct Loaded: Sendable {
        /// Nil when fewer than two languages have a sample text.
        public var detector: LanguageDetector?
        /// The assistants of the languages other than English that have a folder, by tag.
        public var assistants: [String: Assistant]
        /// What was loaded from the cache and what was trained now (and why), one line each.
        public var origins: [String] = []
    }

    /// The intent model's cache file of `language` inside the cache folder.
    public static func modelCacheFileName(_ language: String) -> String { "intent-model-\(language).bin" }

    /// Every supported language the resources folder holds; a language whose folder is absent is
    /// skipped (English then answers it), a folder with a bad file is an error naming the file.
    /// `cacheFolder` (an existing directory) keeps the trained models and detector between starts.
    public static func load(
        from resources: AssistResources, parameters: IntentModelParameters = IntentModelParameters(),
        cacheFolder: String? = nil
    ) throws(AssistError) -> Loaded {
        var assistants: [String: Assistant] = [:]
        var origins: [String] = []
        let fileManager = FileManager.default
        // The files each language's detector profile is trained from, by tag.
        var sources: [(language: String, sample: Data, examplesPath: String, examples: Data)] = []
        for language in AssistLanguages.supported {
            let folder = language == AssistLanguages.english ? "" : language + "/"
            let examplesPath = resources.path(of: folder + AssistResources.examplesFileName)
            guard fileManager.fileExists(atPath: examplesPath) else { continue }
            let samplePath = resources.path(of: "\(samplesFolderName)/\(language).txt")
            if fileManager.fileExists(atPath: samplePath) {
                sources.append((language, try readFile(samplePath), examplesPath, try readFile(examplesPath)))
            }
            guard language != AssistLanguages.english else { continue }
            let catalog = try IntentCatalog.load(
                path: resources.path(of: folder + AssistResources.intentCatalogFileName))
            let knowledgeBase = try KnowledgeBase.load(
                path: resources.path(of: folder + AssistResources.knowledgeBaseFileName))
            let (classifier, origin, _) = try IntentModelStore.loadOrTrain(
                trainingDataPath: examplesPath, parameters: parameters,
                cachePath: cacheFolder.map { "\($0)/\(modelCacheFileName(language))" })
            origins.append("\(language) intent model: \(origin)")
            assistants[language] = Assistant(
                classifier: classifier, catalog: catalog, knowledgeBase: knowledgeBase, language: language)
        }
        guard sources.count >= 2 else { return Loaded(detector: nil, assistants: assistants, origins: origins) }
        let fingerprint = LanguageDetectorStore.fingerprint(
            of: sources.map { ($0.language, $0.sample, $0.examples) },
            functionWords: LanguageDetector.defaultFunctionWords)
        let cachePath = cacheFolder.map { "\($0)/\(detectorCacheFileName)" }
        var reason = "no cache folder configured"
        if let cachePath {
            switch LanguageDetectorStore.load(path: cachePath, fingerprint: fingerprint) {
            case .success(let detector):
                origins.append("language detector: loaded")
                return Loaded(detector: detector, assistants: assistants, origins: origins)
            case .failure(let error): reason = error.description
            }
        }
        var samples: [String: String] = [:]
        for source in sources {
            let examples = try LabelledDataset.parse(csv: source.examples, source: source.examplesPath)
            let sample = String(decoding: source.sample, as: UTF8.self)
            samples[source.language] = ([sample] + examples.examples.map(\.text)).joined(separator: "\n")
        }
        let detector = try LanguageDetector.train(samples: samples)
        var saved = ""
        if let cachePath {
            do {
                try LanguageDetectorStore.save(detector, fingerprint: fingerprint, path: cachePath)
            } catch {
                saved = "; not saved: \(error)"
            }
        }
        origins.append("language detector: trained (\(reason))\(saved)")
        return Loaded(detector: detector, assistants: assistants, origins: origins)
    }
}
