import SwitchboardRouting
import SwitchboardWorkspace

extension ContactCentreParser {
    mutating func parseAgents(_ value: YAMLValue) throws(TopologyError) {
        let roleIDs = roles.map(\.id.rawValue)
        let profileIDs = capacityProfiles.map(\.id.rawValue)
        let skillIDs = Set(skillKinds.keys.map(\.rawValue))
        for (id, agentValue) in try value.namedMapping() {
            try Self.identifier(id, agentValue, what: "an agent")
            let agentID = AgentID(id)
            let fields = try agentValue.mapping(allowed: [
                "name", "role", "profile", "skills", "capacity", "queues", "workspace",
            ])
            guard let roleValue = fields["role"] else {
                throw agentValue.error("missing 'role:' (one of \(roleIDs.joined(separator: ", ")))")
            }
            guard let profileValue = fields["profile"] else {
                throw agentValue.error("missing 'profile:' (one of \(profileIDs.joined(separator: ", ")))")
            }
            var agent = AgentProfile(
                id: agentID, name: try fields["name"]?.nonEmptyString(),
                role: RoleID(try Self.reference(roleValue, among: roleIDs, what: "role", in: "roles")),
                capacityProfile: CapacityProfileID(
                    try Self.reference(
                        profileValue, among: profileIDs, what: "capacity profile", in: "capacityProfiles")
                ))
            if let skillsValue = fields["skills"] {
                for (skill, levelValue) in try skillsValue.namedMapping() {
                    guard skillIDs.contains(skill) else {
                        throw levelValue.error(
                            "no skill '\(skill)' in the catalog (skills:)"
                                + YAMLValue.suggestion(for: skill, among: skillIDs))
                    }
                    agent.skills[SkillID(skill)] = try Self.skillLevel(levelValue)
                }
            }
            if let capacityValue = fields["capacity"] {
                agent.capacityOverrides = try Self.channelCounts(capacityValue)
            }
            if let queuesValue = fields["queues"] { agent.additionalQueues = try queueReferences(queuesValue) }
            if let workspace = fields["workspace"] {
                let (overrides, settings) = try Self.preferences(workspace)
                if let problem = overrides.validate(scope: "agent \(id)").first {
                    throw (settings[problem.key] ?? workspace).error("\(problem.value) \(problem.problem)")
                }
                agentPreferences[agentID] = overrides
            }
            agents.append(agent)
        }
    }

    /// `workspace: {tabsRemembered: 6, paneTools: [summary, knowledge], notifications: {newSession: toast}}`.
    /// Values are read here; whether they are acceptable is the workspace model's call
    /// (`PreferenceOverrides.validate`), so the file and the desk's own settings agree.
    static func preferences(
        _ value: YAMLValue
    ) throws(TopologyError) -> (PreferenceOverrides, [PreferenceKey: YAMLValue]) {
        let fields = try value.mapping(allowed: ["tabsRemembered", "paneTools", "notifications"])
        var overrides = PreferenceOverrides()
        var nodes: [PreferenceKey: YAMLValue] = [:]
        if let tabsValue = fields["tabsRemembered"] {
            overrides.tabsRemembered = try tabsValue.int()
            nodes[.tabsRemembered] = tabsValue
        }
        if let toolsValue = fields["paneTools"] {
            var tools: [PaneTool] = []
            for element in try toolsValue.sequence() { tools.append(try element.enumeration(PaneTool.self)) }
            overrides.paneTools = tools
            nodes[.paneTools] = toolsValue
        }
        if let notificationsValue = fields["notifications"] {
            let styles = try notificationsValue.mapping(allowed: [
                "newSession", "idleSessionMessage", "supervisorMessage",
            ])
            if let style = styles["newSession"] {
                overrides.notifications.newSession = try style.enumeration(NotificationStyle.self)
                nodes[.notifyNewSession] = style
            }
            if let style = styles["idleSessionMessage"] {
                overrides.notifications.idleSessionMessage = try style.enumeration(NotificationStyle.self)
                nodes[.notifyIdleSessionMessage] = style
            }
            if let style = styles["supervisorMessage"] {
                overrides.notifications.supervisorMessage = try style.enumeration(NotificationStyle.self)
                nodes[.notifySupervisorMessage] = style
            }
        }
        return (overrides, nodes)
    }
}
