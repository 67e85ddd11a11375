import SwitchboardRouting
import SwitchboardWorkspace

/// Reads a contact-centre document section by section, in the order the sections refer to
/// each other (skills, queues, capacity profiles, roles, agents), then checks the whole with
/// the routing and workspace models' own validation. The first problem refuses the file.
///
/// Every entity keeps its YAML node, so that a problem found late (by
/// `RoutingConfiguration.problems()` or `RolePreferences.validate()`) still names the key and line.
struct ContactCentreParser {
    let root: YAMLValue

    var skills: [SkillDefinition] = []
    var skillKinds: [SkillID: SkillKind] = [:]
    var queues: [QueueConfiguration] = []
    var intentSkillLevels: [QueueID: Int] = [:]
    var capacityProfiles: [CapacityProfile] = []
    var capacityProfileNames: [CapacityProfileID: String] = [:]
    var roles: [Role] = []
    var permissionsByRole: [RoleName: Set<Permission>] = [:]
    var roleDefaults: [RoleName: PreferenceOverrides] = [:]
    var agents: [AgentProfile] = []
    var agentPreferences: [AgentID: PreferenceOverrides] = [:]

    /// "queue chat-en" → its node, for the entity names of `RoutingConfigurationProblem`.
    var entityNodes: [String: YAMLValue] = [:]
    /// Per role, the node of its `workspace:` and of each setting in it.
    var roleWorkspaceNodes: [RoleName: PreferenceNodes] = [:]

    /// Where each personalisation setting was written, to place `PreferenceError`s.
    struct PreferenceNodes {
        var workspace: YAMLValue
        var settings: [PreferenceKey: YAMLValue]
    }

    /// The permissions a role may grant: one per supervision intervention.
    static let supervisionPermissions: [Permission] = [.observe, .whisper, .barge, .listen]

    init(root: YAMLValue) {
        self.root = root
    }

    mutating func parse() throws(TopologyError) -> ContactCentre {
        let top = try root.mapping(allowed: [
            "version", "name", "offlineGraceSeconds", "skills", "queues", "capacityProfiles", "roles", "agents",
        ])
        if let version = top["version"] {
            guard try version.int() == 1 else { throw version.error("this build reads contact-centre version 1") }
        }
        let name = try top["name"]?.nonEmptyString() ?? "Contact centre"
        let offlineGraceSeconds = try top["offlineGraceSeconds"]?.double(in: 0...86_400) ?? 60

        try parseSkills(try section(top, "skills", "the skill catalog: language, product and tier skills"))
        try parseQueues(try section(top, "queues", "each queue's channel, skills and policies"))
        try parseCapacityProfiles(
            try section(top, "capacityProfiles", "how much work of each channel an agent may hold"))
        try parseRoles(try section(top, "roles", "the queues and permissions of agent, supervisor..."))
        if let agentsValue = top["agents"] { try parseAgents(agentsValue) }

        let routing = RoutingConfiguration(
            skills: skills, capacityProfiles: capacityProfiles, roles: roles, queues: queues,
            offlineGraceSeconds: offlineGraceSeconds)
        // The sections above check what they can where they read it; this is the routing
        // model's own word, so that nothing the engine would refuse gets through.
        if let problem = routing.problems().first {
            let node = entityNodes[problem.entity] ?? top["offlineGraceSeconds"] ?? root
            throw node.error("\(problem.message) (\(problem.entity))")
        }
        let rolePreferences = RolePreferences(defaultsByRole: roleDefaults)
        if let problem = rolePreferences.validate().first {
            // The scope reads "role <id>"; match it rather than parse it.
            let nodes = roleWorkspaceNodes.first { "role \($0.key.rawValue)" == problem.scope }?.value
            let node = nodes?.settings[problem.key] ?? nodes?.workspace ?? root
            throw node.error("\(problem.value) \(problem.problem)")
        }
        return ContactCentre(
            file: root.file, name: name, routing: routing, agents: agents,
            supervision: SupervisionPolicy(permissionsByRole: permissionsByRole), rolePreferences: rolePreferences,
            agentPreferences: agentPreferences, intentSkillLevels: intentSkillLevels,
            capacityProfileNames: capacityProfileNames)
    }

    // MARK: Skills

    /// `skills: {language: {english: English}, product: {...}, tier: {...}}`: grouped by kind,
    /// each skill id with the name supervisors read.
    mutating func parseSkills(_ value: YAMLValue) throws(TopologyError) {
        let kinds = try value.mapping(allowed: Set(SkillKind.allCases.map(\.rawValue)))
        for kind in SkillKind.allCases {
            guard let kindValue = kinds[kind.rawValue] else { continue }
            for (id, skillValue) in try kindValue.namedMapping() {
                try Self.identifier(id, skillValue, what: "a skill")
                if SkillKind(rawValue: id) != nil {
                    throw skillValue.error(
                        "'\(id)' is also a skill kind, which fallback 'drop:' lists name; call the skill e.g. "
                            + "'\(id)-skill'"
                    )
                }
                if let other = skillKinds[SkillID(id)] {
                    throw skillValue.error("'\(id)' is already a \(other.rawValue) skill; a skill has one kind")
                }
                let display = try skillValue.nonEmptyString()
                skills.append(SkillDefinition(id: SkillID(id), kind: kind, name: display))
                skillKinds[SkillID(id)] = kind
                entityNodes["skill \(id)"] = skillValue
            }
        }
        if skills.isEmpty {
            throw value.error("the catalog is empty; list at least one skill, e.g. language: {english: English}")
        }
    }

    // MARK: Capacity profiles

    mutating func parseCapacityProfiles(_ value: YAMLValue) throws(TopologyError) {
        for (id, profileValue) in try value.namedMapping() {
            try Self.identifier(id, profileValue, what: "a capacity profile")
            let fields = try profileValue.mapping(allowed: ["name", "capacity", "exclusions", "queues"])
            guard let capacityValue = fields["capacity"] else {
                throw profileValue.error("missing 'capacity:', e.g. {voice: 1, chat: 3, messaging: 2, case: 5}")
            }
            let capacity = try Self.channelCounts(capacityValue)
            if capacity.values.allSatisfy({ $0 == 0 }) {
                throw capacityValue.error("takes no work on any channel; give at least one channel a cap above 0")
            }
            var exclusions: [ChannelExclusion] = []
            if let exclusionsValue = fields["exclusions"] {
                let byChannel = try exclusionsValue.mapping(allowed: Set(Channel.allCases.map(\.rawValue)))
                for channel in Channel.allCases {
                    guard let blocksValue = byChannel[channel.rawValue] else { continue }
                    var blocks: [Channel] = []
                    for element in try blocksValue.sequence() {
                        let blocked = try element.enumeration(Channel.self)
                        if blocked == channel {
                            throw element.error(
                                "a channel does not block itself (its cap already limits it); list other channels")
                        }
                        if !blocks.contains(blocked) { blocks.append(blocked) }
                    }
                    exclusions.append(ChannelExclusion(channel: channel, blocks: blocks))
                }
            }
            let profileQueues = try fields["queues"].map { list throws(TopologyError) in
                try queueReferences(list)
            }
            capacityProfiles.append(
                CapacityProfile(
                    id: CapacityProfileID(id), capacity: capacity, exclusions: exclusions, queues: profileQueues ?? []))
            capacityProfileNames[CapacityProfileID(id)] = try fields["name"]?.nonEmptyString() ?? id
            entityNodes["capacity profile \(id)"] = profileValue
        }
        if capacityProfiles.isEmpty { throw value.error("no capacity profile; define at least one, e.g. blended") }
    }

    // MARK: Roles

    mutating func parseRoles(_ value: YAMLValue) throws(TopologyError) {
        for (id, roleValue) in try value.namedMapping() {
            try Self.identifier(id, roleValue, what: "a role")
            let fields = try roleValue.mapping(allowed: ["name", "queues", "permissions", "workspace"])
            let roleQueues = try fields["queues"].map { list throws(TopologyError) in try queueReferences(list) }
            var granted: Set<Permission> = []
            if let permissionsValue = fields["permissions"] {
                for element in try permissionsValue.sequence() {
                    let permission = Permission(try element.choice(Self.supervisionPermissions.map(\.rawValue)))
                    guard granted.insert(permission).inserted else {
                        throw element.error("'\(permission)' is listed twice; name each permission once")
                    }
                }
            }
            let roleName = RoleName(id)
            permissionsByRole[roleName] = granted
            if let workspace = fields["workspace"] {
                let (overrides, settings) = try Self.preferences(workspace)
                roleDefaults[roleName] = overrides
                roleWorkspaceNodes[roleName] = PreferenceNodes(workspace: workspace, settings: settings)
            }
            roles.append(
                Role(id: RoleID(id), name: try fields["name"]?.nonEmptyString() ?? id, queues: roleQueues ?? []))
            entityNodes["role \(id)"] = roleValue
        }
        if roles.isEmpty { throw value.error("no role; define at least one, e.g. agent: {queues: [...]}") }
    }

    // MARK: Shared readers

    /// A required top-level section.
    func section(_ top: [String: YAMLValue], _ key: String, _ what: String) throws(TopologyError) -> YAMLValue {
        guard let value = top[key] else { throw root.error("missing '\(key):' (\(what))", key: key) }
        return value
    }

    /// A list of queue ids, each naming a queue of `queues:`.
    func queueReferences(_ list: YAMLValue) throws(TopologyError) -> [QueueID] {
        var result: [QueueID] = []
        for element in try list.sequence() {
            let queue = QueueID(
                try Self.reference(element, among: queues.map(\.id.rawValue), what: "queue", in: "queues"))
            guard !result.contains(queue) else {
                throw element.error("'\(queue)' is listed twice; name each queue once")
            }
            result.append(queue)
        }
        return result
    }

    /// A name that must be one of `known` (defined under `section:`), with a suggestion when not.
    static func reference(
        _ value: YAMLValue, among known: [String], what: String, in section: String
    ) throws(TopologyError) -> String {
        let name = try value.nonEmptyString()
        guard known.contains(name) else {
            throw value.error(
                "no \(what) '\(name)' under \(section):\(YAMLValue.suggestion(for: name, among: Set(known)))")
        }
        return name
    }

    /// Refuses an id that cannot travel in a bus topic, suggesting one that can.
    static func identifier(_ id: String, _ value: YAMLValue, what: String) throws(TopologyError) {
        guard isValidIdentifier(id) else {
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:@")
            let fixed = String(id.map { allowed.contains($0) ? $0 : "-" }.prefix(128))
            throw value.error(
                "'\(id)' cannot be \(what) id: ids are letters, digits, - _ : @ (no dots or spaces: bus topics "
                    + "separate their parts with dots); write e.g. '\(fixed)'")
        }
    }

    /// `{voice: 1, chat: 3}`: a count per channel (a channel left out is 0). Bounded by the
    /// desk's session limit: an agent cannot be given more work than their workspace holds.
    static func channelCounts(_ value: YAMLValue) throws(TopologyError) -> [Channel: Int] {
        var counts: [Channel: Int] = [:]
        for (key, countValue) in try value.mapping(allowed: Set(Channel.allCases.map(\.rawValue))) {
            guard let channel = Channel(rawValue: key) else { continue }
            counts[channel] = try countValue.int(in: 0...WorkspaceLimits.sessionsMax)
        }
        return counts
    }
}

extension YAMLValue {
    /// One case of a closed vocabulary given by its raw value (channel, method, skill kind...).
    func enumeration<Value: RawRepresentable & CaseIterable>(
        _ type: Value.Type
    ) throws(TopologyError) -> Value where Value.RawValue == String {
        let text = try choice(Value.allCases.map(\.rawValue))
        guard let result = Value(rawValue: text) else { throw error("'\(text)' is not a known value") }
        return result
    }
}
