internal import Foundation

/// Loads the assistance of the languages other than English and the language detector.
///
/// Each language has a folder `Resources/<tag>/` with its own `examples.csv` (customers' phrasings,
/// BANKING77 intent names), `intents.json` (needs, next steps and reply templates written in the
/// language) and `knowledge-base.json`; its intent model is trained from its examples at load (a
/// few hundred rows: milliseconds). The detector learns each language from
/// `Resources/languages/<tag>.txt` and that language's examples.
public enum AssistLanguagePacks {
    /// The folder of the language samples inside the resources folder.
    public static let samplesFolderName = "languages"

    /// What ``load(from:)`` found.
    public struct Loaded: Sendable {
        /// Nil when fewer than two languages have a sample text.
        public var detector: LanguageDetector?
        /// The assistants of the languages other than English that have a folder, by tag.
        public var assistants: [String: Assistant]
    }

    /// Every supported language the resources folder holds; a language whose folder is absent is
    /// skipped (English then answers it), a folder with a bad file is an error naming the file.
    public static func load(
        from resources: AssistResources, parameters: IntentModelParameters = IntentModelParameters()
    ) throws(AssistError) -> Loaded {
        var assistants: [String: Assistant] = [:]
        var samples: [String: String] = [:]
        let fileManager = FileManager.default
        for language in AssistLanguages.supported {
            let folder = language == AssistLanguages.english ? "" : language + "/"
            let examplesPath = resources.path(of: folder + AssistResources.examplesFileName)
            guard fileManager.fileExists(atPath: examplesPath) else { continue }
            let examples = try LabelledDataset.load(path: examplesPath)
            let samplePath = resources.path(of: "\(samplesFolderName)/\(language).txt")
            if fileManager.fileExists(atPath: samplePath) {
                let sample = String(decoding: try readFile(samplePath), as: UTF8.self)
                samples[language] = ([sample] + examples.examples.map(\.text)).joined(separator: "\n")
            }
            guard language != AssistLanguages.english else { continue }
            let catalog = try IntentCatalog.load(
                path: resources.path(of: folder + AssistResources.intentCatalogFileName))
            let knowledgeBase = try KnowledgeBase.load(
                path: resources.path(of: folder + AssistResources.knowledgeBaseFileName))
            let classifier = try IntentClassifier.train(on: examples.examples, parameters: parameters)
            assistants[language] = Assistant(
                classifier: classifier, catalog: catalog, knowledgeBase: knowledgeBase, language: language)
        }
        let detector = samples.count >= 2 ? try LanguageDetector.train(samples: samples) : nil
        return Loaded(detector: detector, assistants: assistants)
    }
}
