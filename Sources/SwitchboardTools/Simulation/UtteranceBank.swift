import Foundation
public import SwitchboardAssist

/// What customers say when they open a conversation: real customer utterances by intent
/// (BANKING77's training split when it is present beside the repository, read in place and
/// never copied; the assistance library's shipped examples otherwise), each intent with the
/// product skill the intent catalogue gives it. Languages and product lines the data set does
/// not cover open with `ScriptedLines`.
public struct UtteranceBank: Sendable {
    /// Where the utterances came from.
    public enum Origin: String, Sendable, Equatable {
        /// BANKING77's training split (real customer queries).
        case banking77
        /// The assistance library's shipped example set.
        case examples
        /// A CSV named on the command line.
        case file
    }

    /// One opening message.
    public struct Opening: Sendable, Equatable {
        public var text: String
        /// The intent of the data set it came from; nil for a scripted line.
        public var intent: String?
        /// The product line it is about (a product skill such as `cards`), used as the topic.
        public var skill: String
        /// True when it is one of our scripted lines rather than a data-set utterance.
        public var scripted: Bool
    }

    public let origin: Origin
    public let path: String
    public let catalogue: IntentCatalog
    private let utterances: [String: [String]]
    /// Intents by product skill, each list sorted, so picks do not depend on hashing order.
    private let intentsBySkill: [String: [String]]
    private let intents: [String]

    /// BANKING77's place beside a repository: `../shared/data/banking77/train.csv`.
    public static let banking77RelativePath = "../shared/data/banking77/train.csv"

    public init(examples: [LabelledExample], origin: Origin, path: String, catalogue: IntentCatalog) {
        var utterances: [String: [String]] = [:]
        for example in examples { utterances[example.intent, default: []].append(example.text) }
        var bySkill: [String: [String]] = [:]
        for intent in utterances.keys { bySkill[catalogue.skill(for: intent), default: []].append(intent) }
        self.utterances = utterances
        self.intentsBySkill = bySkill.mapValues { $0.sorted() }
        self.intents = utterances.keys.sorted()
        self.origin = origin
        self.path = path
        self.catalogue = catalogue
    }

    /// The number of utterances.
    public var count: Int { utterances.values.reduce(0) { $0 + $1.count } }

    /// Loads the utterances: `explicitPath` when given; else BANKING77 beside the first of
    /// `repositories` that has it; else the shipped examples.
    public static func load(explicitPath: String?, repositories: [String]) throws(AssistError) -> UtteranceBank {
        let resources = try AssistResources.locate()
        let catalogue = try IntentCatalog.parse(
            json: try resources.data(of: AssistResources.intentCatalogFileName),
            source: resources.path(of: AssistResources.intentCatalogFileName))
        let (path, origin) = locate(explicitPath: explicitPath, repositories: repositories, resources: resources)
        let dataset = try LabelledDataset.load(path: path)
        return UtteranceBank(examples: dataset.examples, origin: origin, path: path, catalogue: catalogue)
    }

    /// Which file `load` reads, and what it is.
    static func locate(explicitPath: String?, repositories: [String], resources: AssistResources) -> (String, Origin) {
        if let explicitPath { return (explicitPath, .file) }
        for repository in repositories {
            let candidate = URL(fileURLWithPath: repository).appendingPathComponent(banking77RelativePath)
                .standardizedFileURL.path
            if FileManager.default.isReadableFile(atPath: candidate) { return (candidate, .banking77) }
        }
        return (resources.path(of: AssistResources.examplesFileName), .examples)
    }

    /// An opening for a customer of a queue in `language` (a language skill such as
    /// `spanish`; nil or `english` for English) that requires `productSkills`.
    /// `preferredSkill` keeps a returning customer on their earlier product line.
    public func opening(
        language: String?, productSkills: [String], preferredSkill: String?, random: inout SimulationRandom
    ) -> Opening {
        let language = language ?? "english"
        let wanted = productSkills.isEmpty ? preferredSkill.map { [$0] } : productSkills
        if language == "english" {
            let candidates =
                wanted.map { skills in skills.flatMap { intentsBySkill[$0] ?? [] }.sorted() } ?? intents
            if let intent = random.pick(candidates), let text = random.pick(utterances[intent] ?? []) {
                return Opening(text: text, intent: intent, skill: catalogue.skill(for: intent), scripted: false)
            }
        }
        return scripted(language: language, skill: wanted?.first, random: &random)
    }

    /// A scripted opening in `language` about `skill` (any of the language's product lines when nil).
    private func scripted(language: String, skill: String?, random: inout SimulationRandom) -> Opening {
        let lines = ScriptedLines.openings[language] ?? ScriptedLines.openings["english"] ?? [:]
        let products = lines.keys.filter { $0 != "general" }.sorted()
        let chosen = skill ?? random.pick(products) ?? "general"
        let texts = lines[chosen] ?? lines["general"] ?? ["Hello, I need some help please."]
        let text = random.pick(texts) ?? "Hello, I need some help please."
        return Opening(text: text, intent: nil, skill: chosen, scripted: true)
    }

    /// The reply templates of `intent` (English), for the agent's turns.
    public func replies(for intent: String?) -> [String] {
        intent.flatMap { catalogue.profile(for: $0)?.replies } ?? []
    }
}
