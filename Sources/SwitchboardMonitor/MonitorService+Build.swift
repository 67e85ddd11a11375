public import Logging
public import SwitchboardTopology

extension MonitorService {
    /// The monitor as `switchboard monitor` runs it. A bad contact-centre file is refused here,
    /// before anything is bound; the router's reloads make it read the file again.
    public static func build(topology: Topology, logger: Logger) throws -> MonitorService {
        _ = try topology.loadContactCentre()
        return MonitorService(topology: topology, logger: logger, loadCentre: { try topology.loadContactCentre() })
    }
}
