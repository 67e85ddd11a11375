import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardTopology

/// Every event seen from every service, in arrival order per service, plus each service's
/// latest state built from its snapshots and state-carrying events (`key`/`item`).
final class EventRecorder: Sendable {
    struct Recorded: Sendable {
        let service: ServiceName
        let topic: String
        let type: String
        let epoch: UInt64
        let seq: UInt64
        let data: JSON
    }

    private let events = Locked<[Recorded]>([])
    private let state = Locked<[ServiceName: [String: JSON]]>([:])
    private let live = Locked<Set<ServiceName>>([])
    private let heartbeats = Locked<[ServiceName: (epoch: UInt64, seqs: [String: UInt64])]>([:])
    private let snapshotEpochs = Locked<[ServiceName: UInt64]>([:])

    func record(_ update: ReplicaUpdate, from service: ServiceName) {
        switch update {
        case .snapshot(let snapshot):
            var items: [String: JSON] = [:]
            for item in snapshot.items { items[item.key] = try? item.value() }
            state.withLock { $0[service] = items }
            snapshotEpochs.withLock { $0[service] = snapshot.epoch }
        case .event(let event):
            guard let data = try? event.data() else { return }
            if event.isHeartbeat {
                var seqs: [String: UInt64] = [:]
                for member in data["seqs"]?.objectValue ?? JSONObject() {
                    seqs[member.key] = member.value.intValue.map { UInt64(max(0, $0)) } ?? 0
                }
                heartbeats.withLock { $0[service] = (event.epoch, seqs) }
                return
            }
            events.withLock {
                $0.append(
                    Recorded(
                        service: service, topic: event.topic, type: event.type, epoch: event.epoch, seq: event.seq,
                        data: data))
            }
            if let key = data["key"]?.stringValue {
                state.withLock { state in
                    if let item = data["item"], !item.isNull {
                        state[service, default: [:]][key] = item
                    } else {
                        state[service]?[key] = nil
                    }
                }
            }
        case .status(.live):
            live.withLock { _ = $0.insert(service) }
        case .status:
            break
        }
    }

    func isLive(_ service: ServiceName) -> Bool { live.value.contains(service) }

    /// The last heartbeat of `service`: its epoch and every family's last published seq.
    func heartbeat(of service: ServiceName) -> (epoch: UInt64, seqs: [String: UInt64])? { heartbeats.value[service] }

    /// The epoch of the last snapshot taken of `service`: after a restart, events of the new
    /// run are recorded once this is the new epoch (earlier ones may be inside the snapshot).
    func snapshotEpoch(of service: ServiceName) -> UInt64? { snapshotEpochs.value[service] }

    var all: [Recorded] { events.value }

    func events(ofType type: String) -> [Recorded] { events.value.filter { $0.type == type } }

    /// The latest state of `service` (snapshot + state-carrying events).
    func state(of service: ServiceName) -> [String: JSON] { state.value[service] ?? [:] }
}
