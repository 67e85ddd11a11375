public import SwitchboardBus
public import SwitchboardRouting

/// The monitor's item `monitor.sources` (docs/PROTOCOL.md §6.5): how it hears each service it
/// follows, so the view says when what it shows of one may be out of date.
public struct MonitorSourcesItem: Sendable, Hashable {
    public struct Source: Sendable, Hashable {
        public enum Status: String, Sendable, Hashable, CaseIterable {
            case notHeard = "not-heard"
            case live
            case resyncing
            case silent
            case failed
        }

        public var service: String
        public var status: Status
        public var since: RoutingInstant
        public var epoch: Int64?
        /// A sentence a supervisor reads.
        public var detail: String
        /// What it shows of the service may be out of date.
        public var down: Bool

        public init(
            service: String, status: Status, since: RoutingInstant, epoch: Int64?, detail: String, down: Bool
        ) {
            self.service = service
            self.status = status
            self.since = since
            self.epoch = epoch
            self.detail = detail
            self.down = down
        }

        public var json: JSON {
            [
                "service": .string(service), "status": .string(status.rawValue),
                "since": .int(since.millisecondsSinceEpoch), "epoch": epoch.map(JSON.int) ?? .null,
                "detail": .string(detail), "down": .bool(down),
            ]
        }
    }

    /// The contact centre's name.
    public var centre: String
    public var sources: [Source]

    public init(centre: String, sources: [Source]) {
        self.centre = centre
        self.sources = sources
    }

    public static let key = "monitor.sources"

    public var json: JSON { ["centre": .string(centre), "sources": .array(sources.map(\.json))] }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: "monitor.sources item")
        self.init(
            centre: try fields.string("centre"),
            sources: try fields.elements("sources") { value, path throws(WireError) in
                let source = try WireFields(value, item: fields.item, path: path)
                return Source(
                    service: try source.string("service"), status: try source.oneOf("status"),
                    since: try source.instant("since"), epoch: try source.optionalInt64("epoch"),
                    detail: try source.string("detail"), down: try source.bool("down"))
            })
    }
}
