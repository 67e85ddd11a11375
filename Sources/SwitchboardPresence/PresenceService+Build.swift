public import Logging
import SwitchboardRouting
public import SwitchboardTopology

extension PresenceService {
    /// The presence tracker as `switchboard presence` runs it: for the agents of the
    /// contact-centre file the topology names.
    public static func build(topology: Topology, logger: Logger) throws -> PresenceService {
        let contactCentre = try topology.loadContactCentre()
        return PresenceService(topology: topology, knownAgents: contactCentre.agents.map(\.id), logger: logger)
    }
}
