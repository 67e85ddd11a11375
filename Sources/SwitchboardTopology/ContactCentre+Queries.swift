public import SwitchboardRouting
public import SwitchboardWorkspace

extension ContactCentre {
    /// The agent with this id, if the file lists them.
    public func agent(_ id: AgentID) -> AgentProfile? {
        agents.first { $0.id == id }
    }

    /// The queue with this id.
    public func queue(_ id: QueueID) -> QueueConfiguration? {
        routing.queues.first { $0.id == id }
    }

    /// The agent's role as supervision and personalisation name it (the same id as routing's).
    public func roleName(of agent: AgentID) -> RoleName? {
        self.agent(agent).map { RoleName($0.role.rawValue) }
    }

    /// The workspace preferences in force for an agent of the file: their own settings over
    /// their role's defaults over the system's. Nil when the file does not list the agent.
    public func preferences(for agent: AgentID) -> ResolvedPreferences? {
        guard let role = roleName(of: agent) else { return nil }
        return rolePreferences.resolve(role: role, agent: agentPreferences[agent] ?? PreferenceOverrides())
    }

    /// The requirement to add to a conversation of `queue` whose opening text implies the
    /// product skill `skill` (as the intent detector names it). Nil when the queue does not
    /// use the intent's skill, or when the catalog has no product skill of that name (an
    /// intent outside the bank's product lines routes on the queue's skills alone).
    public func intentRequirement(skill: String, queue: QueueID) -> SkillRequirement? {
        guard let level = intentSkillLevels[queue] else { return nil }
        let id = SkillID(skill)
        guard routing.skills.contains(where: { $0.id == id && $0.kind == .product }) else { return nil }
        return SkillRequirement(id, minimumLevel: level)
    }

    /// The queues an agent serves: their role's, their capacity profile's and their own extra
    /// ones, in the order of the file's queues.
    public func servedQueues(of agent: AgentProfile) -> [QueueID] {
        var served = Set(agent.additionalQueues)
        if let role = routing.roles.first(where: { $0.id == agent.role }) { served.formUnion(role.queues) }
        if let profile = routing.capacityProfiles.first(where: { $0.id == agent.capacityProfile }) {
            served.formUnion(profile.queues)
        }
        return routing.queues.map(\.id).filter { served.contains($0) }
    }

    /// How many conversations of `channel` the agent may hold at once (profile, then override).
    public func capacity(of agent: AgentProfile, on channel: Channel) -> Int {
        if let override = agent.capacityOverrides[channel] { return override }
        let profile = routing.capacityProfiles.first { $0.id == agent.capacityProfile }
        return profile?.capacity[channel] ?? 0
    }

    /// The agents who could take a conversation of `queue` when Available and idle: they
    /// serve the queue, take work on its channel, and meet its full requirement (the first
    /// step of the ladder) plus `extraSkills`. Empty means the queue only ever gets work
    /// through its fallback ladder, or never.
    public func agents(ableToServe queue: QueueID, extraSkills: [SkillRequirement] = []) -> [AgentProfile] {
        guard let configuration = self.queue(queue) else { return [] }
        let requirements = configuration.requiredSkills + extraSkills
        return agents.filter { agent in
            capacity(of: agent, on: configuration.channel) > 0 && servedQueues(of: agent).contains(queue)
                && requirements.allSatisfy { (agent.skills[$0.skill] ?? 0) >= $0.minimumLevel }
        }
    }
}
