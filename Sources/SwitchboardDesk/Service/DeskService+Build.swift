public import Logging
public import SwitchboardTopology

extension DeskService {
    /// The desk as `switchboard desk` runs it. A bad contact-centre file is refused here, before
    /// anything is bound; SIGHUP re-reads it.
    public static func build(topology: Topology, logger: Logger) throws -> DeskService {
        _ = try topology.loadContactCentre()
        return DeskService(topology: topology, logger: logger, loadContactCentre: { try topology.loadContactCentre() })
    }
}
