/// Who an agent is for routing: role, skills, capacity profile and per-agent overrides.
/// Presence and load are runtime state (`AgentRecord`).
public struct AgentProfile: Sendable, Hashable, Codable {
    public var id: AgentID
    /// How a supervisor reads the agent in a reason sentence ("Priya").
    public var name: String
    public var role: RoleID
    public var capacityProfile: CapacityProfileID
    /// Skill levels, 1 to 5.
    public var skills: [SkillID: Int]
    /// Caps that replace the profile's for this agent only (a trainee takes 1 chat).
    public var capacityOverrides: [Channel: Int]
    /// Queues this agent serves beyond those of their role and profile.
    public var additionalQueues: [QueueID]

    public init(
        id: AgentID, name: String? = nil, role: RoleID, capacityProfile: CapacityProfileID,
        skills: [SkillID: Int] = [:], capacityOverrides: [Channel: Int] = [:], additionalQueues: [QueueID] = []
    ) {
        self.id = id
        self.name = name ?? id.rawValue
        self.role = role
        self.capacityProfile = capacityProfile
        self.skills = skills
        self.capacityOverrides = capacityOverrides
        self.additionalQueues = additionalQueues
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(AgentID.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? id.rawValue
        role = try container.decode(RoleID.self, forKey: .role)
        capacityProfile = try container.decode(CapacityProfileID.self, forKey: .capacityProfile)
        skills = try container.decodeIfPresent([SkillID: Int].self, forKey: .skills) ?? [:]
        capacityOverrides = try container.decodeIfPresent([Channel: Int].self, forKey: .capacityOverrides) ?? [:]
        additionalQueues = try container.decodeIfPresent([QueueID].self, forKey: .additionalQueues) ?? []
    }
}
