public import SwitchboardBus
import SwitchboardRouting
public import SwitchboardTopology
public import SwitchboardWire

/// How the monitor hears one service it follows: the view says when what it shows of a
/// service may be out of date.
public struct SourceFigures: Sendable, Equatable {
    public var service: ServiceName
    public var status: SourceStatus
    public var sinceMilliseconds: Int64
    public var epoch: UInt64?

    /// A sentence a supervisor reads.
    public var detail: String {
        switch status {
        case .notHeard: "not heard from yet (not running, or not reachable)"
        case .live(let epoch): "live (epoch \(epoch))"
        case .resyncing(let reason): "catching up: \(reason)"
        case .silent(let seconds): "silent for \(Int(seconds)) s or more (down?)"
        case .failed(let reason): "refused: \(reason)"
        }
    }

    /// The wire's form of this source, an element of `monitor.sources`.
    public var wire: MonitorSourcesItem.Source {
        let status: MonitorSourcesItem.Source.Status =
            switch self.status {
            case .notHeard: .notHeard
            case .live: .live
            case .resyncing: .resyncing
            case .silent: .silent
            case .failed: .failed
            }
        return MonitorSourcesItem.Source(
            service: service.rawValue, status: status, since: RoutingInstant(millisecondsSinceEpoch: sinceMilliseconds),
            epoch: epoch.map { Int64(clamping: $0) }, detail: detail, down: self.status.isDown)
    }

    public var json: JSON { wire.json }
}
