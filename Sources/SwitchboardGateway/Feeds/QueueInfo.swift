public import SwitchboardBus
import SwitchboardRouting
public import SwitchboardTopology

/// A queue as the chat page shows it: its name, channel and the language of its language skill.
public struct QueueInfo: Sendable, Equatable {
    public var id: String
    public var name: String
    public var channel: String
    /// en, es, fr or de (English when the queue requires no language the pages know).
    public var language: String

    /// The queues of the contact-centre file, by id.
    public static func all(_ contactCentre: ContactCentre) -> [String: QueueInfo] {
        let languages = Set(contactCentre.routing.skills.filter { $0.kind == .language }.map(\.id))
        let codes = ["english": "en", "spanish": "es", "french": "fr", "german": "de"]
        var result: [String: QueueInfo] = [:]
        for queue in contactCentre.routing.queues {
            let skill = queue.requiredSkills.first { languages.contains($0.skill) }?.skill.rawValue
            result[queue.id.rawValue] = QueueInfo(
                id: queue.id.rawValue, name: queue.name, channel: queue.channel.rawValue,
                language: skill.flatMap { codes[$0] } ?? "en")
        }
        return result
    }

    /// The chat page's `queue` meta tag.
    public var json: JSON {
        ["queue": .string(id), "name": .string(name), "language": .string(language), "channel": .string(channel)]
    }

    /// Customers may start a conversation in it from the chat page (chat and messaging queues).
    public var takesCustomers: Bool { channel == "chat" || channel == "messaging" }

    /// A connector may open conversations in it: every channel but voice (an email or case
    /// bridge is a connector too; calls come through telephony, not this API).
    public var takesConnectors: Bool { channel != "voice" }
}
