public import SwitchboardBus
public import SwitchboardTopology

/// How the monitor hears one service it follows: the view says when what it shows of a
/// service may be out of date.
public struct SourceFigures: Sendable, Equatable {
    public var service: ServiceName
    public var status: SourceStatus
    public var sinceMillis: Int64
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

    public var json: JSON {
        [
            "service": .string(service.rawValue), "status": .string(status.name), "since": .int(sinceMillis),
            "epoch": epoch.map { .number($0) } ?? .null, "detail": .string(detail), "down": .bool(status.isDown),
        ]
    }
}
