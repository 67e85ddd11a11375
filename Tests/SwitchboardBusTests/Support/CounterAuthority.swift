import Logging
import SwitchboardBus
import SwitchboardRouting
import ZeroMQ

/// A small authority for tests: named counters, each increment published as an event
/// (`kv.<name>.incremented`, data `{"name","delta","value"}` plus the state-carrying
/// `"key":"kv.<name>","item":{"value":…}` of docs/PROTOCOL.md) and the whole map served as a
/// snapshot (`kv.<name>` → `{"value"}`). A consumer that applies deltas twice, or misses one,
/// ends with a different map: that is what the tests compare.
actor CounterAuthority: SnapshotSource {
    let publisher: EventPublisher
    private(set) var counters: [String: Int64] = [:]

    init(publisher: EventPublisher) {
        self.publisher = publisher
    }

    func increment(_ key: String, by delta: Int64 = 1) {
        let value = (counters[key] ?? 0) + delta
        counters[key] = value
        publisher.publish(
            topic: "kv.\(key).incremented", type: "kv.incremented",
            data: [
                "name": .string(key), "delta": .int(delta), "value": .int(value), "key": .string("kv.\(key)"),
                "item": ["value": .int(value)],
            ])
    }

    /// Increments random keys `count` times (seeded), yielding now and then so snapshots and
    /// other work interleave.
    func run(count: Int, keys: Int, seed: UInt64) async {
        var generator = SplitMix64(seed: seed)
        for index in 0..<count {
            increment("k\(Int.random(in: 0..<keys, using: &generator))")
            if index % 256 == 0 { await Task.yield() }
        }
    }

    nonisolated func snapshot(prefix: String?) async -> Snapshot {
        await takeSnapshot()
    }

    private func takeSnapshot() -> Snapshot {
        // Items and seqs in one isolated step: the snapshot reflects exactly those seqs.
        let items = counters.sorted { $0.key < $1.key }.map {
            SnapshotItem(key: "kv.\($0.key)", value: ["value": .int($0.value)])
        }
        return Snapshot(items: items, epoch: publisher.epoch, sequences: publisher.sequences())
    }
}

/// A consumer's copy of the counters, built only from what a `Replica` hands it.
actor CounterView {
    private(set) var counters: [String: Int64] = [:]
    private(set) var snapshots = 0
    private(set) var resyncReasons: [String] = []
    private(set) var inconsistencies: [String] = []
    private(set) var lastEpoch: UInt64 = 0

    func apply(_ update: ReplicaUpdate) {
        switch update {
        case .snapshot(let snapshot):
            snapshots += 1
            lastEpoch = snapshot.epoch
            counters.removeAll()
            for item in snapshot.items {
                let key = String(item.key.dropFirst("kv.".count))
                counters[key] = (try? item.value())?["value"]?.intValue ?? -1
            }
        case .event(let event):
            guard let data = try? event.data(), let key = data["name"]?.stringValue,
                let delta = data["delta"]?.intValue,
                let value = data["value"]?.intValue
            else { return }
            let applied = (counters[key] ?? 0) + delta
            counters[key] = applied
            if applied != value { inconsistencies.append("\(key): applied \(applied), publisher had \(value)") }
        case .status(.resyncing(let reason)):
            resyncReasons.append(reason)
        case .status:
            break
        }
    }
}

let testLogger: Logger = {
    var logger = Logger(label: "switchboard.test")
    logger.logLevel = .critical
    return logger
}()

/// Polls `condition` until it holds or `seconds` pass; returns whether it held. The default
/// bound is generous: in the parallel test run other suites keep both cores busy.
func eventually(within seconds: Double = 30, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1_000)))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
