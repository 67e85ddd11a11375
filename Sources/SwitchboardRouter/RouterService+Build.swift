public import Logging
public import SwitchboardTopology

extension RouterSettings {
    /// The router's settings from the contact-centre file and the deployment's retention.
    public init(_ contactCentre: ContactCentre, topology: Topology) {
        self.init(
            routing: contactCentre.routing, agents: contactCentre.agents,
            intentSkillLevels: contactCentre.intentSkillLevels,
            closedRetentionSeconds: topology.retention.closedConversationsSeconds)
    }
}

extension RouterService {
    /// The router as `switchboard router` runs it: the contact-centre file and the intent model
    /// the topology names. A bad contact-centre file is refused here, before anything is bound.
    public static func build(topology: Topology, logger: Logger) throws -> RouterService {
        _ = try topology.loadContactCentre()
        return RouterService(
            topology: topology, logger: logger, classifier: try AssistantClassifier.load(for: topology, logger: logger),
            loadSettings: { RouterSettings(try topology.loadContactCentre(), topology: topology) })
    }
}
