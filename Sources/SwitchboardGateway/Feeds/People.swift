import Foundation
public import SwitchboardBus
import SwitchboardRouting
public import SwitchboardTopology
import SwitchboardWorkspace

/// Who is who, for the pages: display names of agents and supervisors (the contact-centre file's),
/// roles, and whether a role may supervise.
public struct People: Sendable {
    /// A person who may sign in: an agent or supervisor of the contact-centre file.
    public struct Person: Sendable, Equatable {
        public var id: String
        public var name: String
        public var role: String
        /// The role grants at least one supervision permission (observe, listen, whisper, barge).
        public var maySupervise: Bool
        /// The channels of the queues they serve (where a conversation may be transferred to them).
        public var channels: [String]

        public init(id: String, name: String, role: String, maySupervise: Bool, channels: [String] = []) {
            self.id = id
            self.name = name
            self.role = role
            self.maySupervise = maySupervise
            self.channels = channels
        }

        /// `{id, name, role, channels}`, as the desk and the dashboard list people to transfer to.
        public var json: JSON {
            [
                "id": .string(id), "name": .string(name), "role": .string(role),
                "channels": .array(channels.map { .string($0) }),
            ]
        }
    }

    public let centreName: String
    private let byId: [String: Person]

    public init(contactCentre: ContactCentre) {
        centreName = contactCentre.name
        var byId: [String: Person] = [:]
        for agent in contactCentre.agents {
            let role = agent.role.rawValue
            let permissions = contactCentre.supervision.permissionsByRole.first { $0.key.rawValue == role }?.value ?? []
            var channels: [String] = []
            for queue in contactCentre.servedQueues(of: agent) {
                guard let channel = contactCentre.queue(queue)?.channel.rawValue, !channels.contains(channel) else {
                    continue
                }
                channels.append(channel)
            }
            byId[agent.id.rawValue] = Person(
                id: agent.id.rawValue, name: agent.name, role: role, maySupervise: !permissions.isEmpty,
                channels: channels)
        }
        self.byId = byId
    }

    public init(centreName: String, people: [Person]) {
        self.centreName = centreName
        self.byId = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0) })
    }

    public func person(_ id: String) -> Person? { byId[id] }

    /// Everyone who may sign in, by name.
    public var everyone: [Person] {
        byId.values.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    /// The name to show for a transcript line's author: a person's name when the author is an
    /// agent or supervisor id, the centre's name for a system line, the customer's own name (or
    /// "Customer": their id is never shown), else the author as written.
    public func displayName(author: String, role: String, customerName: String? = nil) -> String {
        if role == "customer" { return customerName ?? "Customer" }
        if let person = byId[author] { return person.name }
        if role == "system" { return centreName }
        return author.isEmpty ? role.capitalized : author
    }
}
