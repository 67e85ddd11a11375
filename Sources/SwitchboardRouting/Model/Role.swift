/// A role such as "first-line chat" or "escalation specialist": the queues its agents serve.
public struct Role: Sendable, Hashable, Codable {
    public var id: RoleID
    public var name: String
    public var queues: [QueueID]

    public init(id: RoleID, name: String? = nil, queues: [QueueID]) {
        self.id = id
        self.name = name ?? id.rawValue
        self.queues = queues
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(RoleID.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? id.rawValue
        queues = try container.decodeIfPresent([QueueID].self, forKey: .queues) ?? []
    }
}
