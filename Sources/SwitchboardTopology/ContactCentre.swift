public import SwitchboardRouting
public import SwitchboardWorkspace

/// A contact centre as its file (`Topology/contact-centre.yaml`) describes it: the routing
/// configuration (skills, capacity profiles, roles, queues), the agents, what each role may
/// do as a supervisor, the workspace defaults supervisors set per role, and which queues add
/// the product skill of the detected intent to a conversation's requirements.
///
/// The router, the desk and the monitor load the same file, so they agree on every name.
/// `load(file:)` refuses a bad file whole, with the file, the line, the key and what to write.
public struct ContactCentre: Sendable, Equatable, Codable {
    /// The file it was read from (empty when built in code).
    public var file: String
    /// How people call the contact centre ("Northwind Bank").
    public var name: String
    /// Skills, capacity profiles, roles and queues, as the routing engine takes them.
    public var routing: RoutingConfiguration
    /// The agents, in the file's order. Role, skills, profile, capacity overrides and extra queues.
    public var agents: [AgentProfile]
    /// What each role may do as a supervisor (observe, whisper, barge, listen). Every role of
    /// `routing.roles` has an entry, empty when it grants nothing.
    public var supervision: SupervisionPolicy
    /// Workspace defaults that supervisors set per role (tabs remembered, pane tools, notifications).
    public var rolePreferences: RolePreferences
    /// Workspace settings the file sets for single agents, over their role's defaults.
    public var agentPreferences: [AgentID: PreferenceOverrides]
    /// Queues that add the product skill implied by the detected intent of the opening text to
    /// a conversation's requirements, with the minimum level they ask of it.
    public var intentSkillLevels: [QueueID: Int]
    /// How supervisors read each capacity profile ("Blended: voice and digital").
    public var capacityProfileNames: [CapacityProfileID: String]

    /// The default place of the contact-centre file (a deployment topology names its own).
    public static let defaultFile = "Topology/contact-centre.yaml"

    public init(
        file: String = "", name: String, routing: RoutingConfiguration, agents: [AgentProfile] = [],
        supervision: SupervisionPolicy = SupervisionPolicy(permissionsByRole: [:]),
        rolePreferences: RolePreferences = RolePreferences(), agentPreferences: [AgentID: PreferenceOverrides] = [:],
        intentSkillLevels: [QueueID: Int] = [:], capacityProfileNames: [CapacityProfileID: String] = [:]
    ) {
        self.file = file
        self.name = name
        self.routing = routing
        self.agents = agents
        self.supervision = supervision
        self.rolePreferences = rolePreferences
        self.agentPreferences = agentPreferences
        self.intentSkillLevels = intentSkillLevels
        self.capacityProfileNames = capacityProfileNames
    }

    /// The queues with `intentSkill` switched on.
    public var queuesUsingIntentSkill: Set<QueueID> { Set(intentSkillLevels.keys) }

    /// The product-line skills of the catalog (`cards`, `transfers`, ...): the skills an intent may imply.
    public var productSkills: [SkillID] { routing.skills.filter { $0.kind == .product }.map(\.id) }
}
