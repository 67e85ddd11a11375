public import Foundation

/// What the library knows about one intent beyond its name: the product skill it needs, how to
/// say what the customer wants, the usual next step, and reply templates for the agent.
public struct IntentProfile: Sendable, Hashable, Codable {
    /// The intent's name (`card_arrival`).
    public var intent: String
    /// The product skill an agent needs for it (`cards`, `transfers`, `top-ups`, ...).
    public var skill: String
    /// What the customer wants, as a phrase that follows "wants" ("to know when their new card will arrive").
    public var need: String
    /// The usual next step for the agent, as an imperative phrase ("confirm the delivery address").
    public var nextAction: String
    /// Reply templates; `{customer}` is replaced by the customer's first name when known.
    public var replies: [String]

    public init(intent: String, skill: String, need: String, nextAction: String, replies: [String]) {
        self.intent = intent
        self.skill = skill
        self.need = need
        self.nextAction = nextAction
        self.replies = replies
    }
}

/// The intent catalogue: every intent's ``IntentProfile`` and the set of product skills.
public struct IntentCatalog: Sendable {
    /// The skill given to intents the catalogue does not list (a custom training set's).
    public static let generalSkill = "general"

    /// Profiles in file order.
    public let profiles: [IntentProfile]
    private let byIntent: [String: IntentProfile]

    public init(profiles: [IntentProfile]) {
        self.profiles = profiles
        self.byIntent = Dictionary(profiles.map { ($0.intent, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Parses the catalogue's JSON form: `{"intents": [{intent, skill, need, nextAction, replies}]}`.
    public static func parse(json: Data, source: String) throws(AssistError) -> IntentCatalog {
        struct File: Decodable { var intents: [IntentProfile] }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: json)
        } catch {
            throw .malformedFile(path: source, reason: "not an intent catalogue: \(error)")
        }
        var seen = Set<String>()
        for profile in file.intents {
            guard seen.insert(profile.intent).inserted else {
                throw .malformedFile(path: source, reason: "intent \(profile.intent) appears twice")
            }
            guard !profile.skill.isEmpty, !profile.need.isEmpty, !profile.nextAction.isEmpty else {
                throw .malformedFile(
                    path: source, reason: "intent \(profile.intent) lacks a skill, need or next action")
            }
        }
        return IntentCatalog(profiles: file.intents)
    }

    /// The intents listed, in file order.
    public var intents: [String] { profiles.map(\.intent) }

    /// The distinct product skills, sorted.
    public var skills: [String] { Array(Set(profiles.map(\.skill))).sorted() }

    /// The profile of `intent`, if the catalogue lists it.
    public func profile(for intent: String) -> IntentProfile? { byIntent[intent] }

    /// The product skill `intent` implies (``generalSkill`` when the catalogue does not list it).
    public func skill(for intent: String) -> String { byIntent[intent]?.skill ?? Self.generalSkill }

    /// What the customer wants, for summaries; falls back to the intent's name in words.
    public func need(for intent: String) -> String {
        byIntent[intent]?.need ?? "help with \(intent.replacingOccurrences(of: "_", with: " "))"
    }
}
