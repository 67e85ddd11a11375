public import SwitchboardAssist
import SwitchboardRouting
public import SwitchboardTopology

/// The language each queue serves, read from the contact centre: a queue's language skill
/// (`requiredSkills: {spanish: 3}`) names it. The summariser gives it to a conversation's
/// assistance as a hint: the customer's own words decide when there are enough of them.
public enum QueueLanguages {
    /// Queue id → BCP 47 primary tag, for the queues that require a language skill the assistance
    /// answers in.
    public static func of(_ centre: ContactCentre) -> [String: String] {
        let languageSkills = Dictionary(
            centre.routing.skills.filter { $0.kind == .language }.map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first })
        var languages: [String: String] = [:]
        for queue in centre.routing.queues {
            for requirement in queue.requiredSkills {
                guard let skill = languageSkills[requirement.skill] else { continue }
                if let tag = AssistLanguages.tag(forSkill: skill.id.rawValue)
                    ?? AssistLanguages.tag(forSkill: skill.name)
                {
                    languages[queue.id.rawValue] = tag
                    break
                }
            }
        }
        return languages
    }
}
