/// The Clone pattern's client procedure as a pure state machine (no sockets, injected time):
/// subscribe first; once the subscription is live (first message or heartbeat) ask for a
/// snapshot of each prefix; buffer events meanwhile; apply the snapshot; drop buffered events
/// at or below its seq; then apply events in seq order, and start over on a gap, on an epoch
/// change, or when a heartbeat shows events we never saw. `Replica` carries out its actions.
struct ReplicaMachine {
    enum Action: Sendable {
        case requestSnapshot(prefix: String?)
        case deliver(ReplicaUpdate)
    }

    struct Settings {
        /// Without a state endpoint the machine only checks sequences and reports gaps.
        var snapshotsEnabled = true
        /// A snapshot with no reply message for this long is asked for again.
        var snapshotTimeoutSeconds = 3.0
        /// A publisher silent this long (no event, no heartbeat) is reported silent.
        var silenceSeconds = 3.5
        /// Events held while a snapshot is taken; beyond it the snapshot is taken again.
        var bufferMax = 200_000
        var deliverHeartbeats = false
    }

    private enum Phase {
        case waitingForLive
        case snapshotting(Progress)
        case live
        case failed
    }

    private struct Progress {
        var requestIndex = 0
        var items: [SnapshotItem] = []
        var itemsBeforeRequest = 0
        var ends: [SnapshotEnd] = []
        var lastProgressAt: Double
        var attempt: Int
    }

    /// The snapshot requests: non-overlapping prefixes, or one nil for everything.
    let requests: [String?]
    /// The families whose sequences are tracked (nil: every family seen).
    let families: Set<String>?
    let settings: Settings

    private var phase: Phase = .waitingForLive
    private var buffer: [EventEnvelope] = []
    private var bufferOverflowed = false
    private var source: String?
    private var epoch: UInt64?
    /// The last seq applied per family.
    private var lastSeq: [String: UInt64] = [:]
    /// Per request, the sequences its snapshot reflected.
    private var snapshotSeqs: [[String: UInt64]] = []
    private var lastHeardAt: Double?
    private var silentReported = false
    private var attempts = 0

    /// - Parameter prefixes: topic prefixes wanted; empty means everything.
    init(prefixes: [String], settings: Settings = Settings()) {
        let normalized = Self.normalize(prefixes)
        self.requests = normalized.isEmpty ? [nil] : normalized.map { Optional($0) }
        self.families = normalized.isEmpty ? nil : Set(normalized.map { String(Topic.family(of: $0)) })
        self.settings = settings
    }

    /// The ZeroMQ subscriptions that give gap-free sequences: whole families (a finer prefix
    /// is filtered here, after the seq check) plus `sys.` for heartbeats.
    var subscriptions: [String] {
        guard let families else { return [""] }
        return (families.sorted().map { $0 + "." }) + (families.contains("sys") ? [] : ["sys."])
    }

    /// Drops empty prefixes and prefixes covered by a shorter one ("conv." covers "conv.c-1.").
    static func normalize(_ prefixes: [String]) -> [String] {
        if prefixes.contains(where: \.isEmpty) { return [] }
        let sorted = Set(prefixes).sorted { $0.count < $1.count }
        var kept: [String] = []
        for prefix in sorted where !kept.contains(where: { prefix.hasPrefix($0) }) {
            kept.append(prefix)
        }
        return kept.sorted()
    }

    // MARK: Inputs

    mutating func receive(_ event: EventEnvelope, now: Double) -> [Action] {
        var actions = heard(now: now)
        if let families, !event.isHeartbeat, !families.contains(String(event.family)) { return actions }
        switch phase {
        case .failed:
            return actions
        case .waitingForLive:
            guard settings.snapshotsEnabled else {
                phase = .live
                actions += processWithoutSnapshots(event)
                return actions
            }
            hold(event)
            actions += startSnapshot(now: now, reason: nil)
        case .snapshotting:
            hold(event)
        case .live:
            actions += settings.snapshotsEnabled ? process(event, now: now) : processWithoutSnapshots(event)
        }
        return actions
    }

    /// One message of a snapshot reply: `item`, `end` or `error` with its JSON body.
    mutating func receiveSnapshot(kind: [UInt8], body: [UInt8], now: Double) -> [Action] {
        guard case .snapshotting(var progress) = phase else { return [] }
        progress.lastProgressAt = now
        switch String(decoding: kind, as: UTF8.self) {
        case "item":
            guard let item = Self.parseItem(body) else {
                phase = .snapshotting(progress)
                return restartSnapshot(now: now, reason: "a snapshot item was malformed; asking again")
            }
            // The phase still holds the same items: without letting go of it first, every append
            // copied all the items before it, and a snapshot of n items cost n squared.
            phase = .failed
            progress.items.append(item)
            phase = .snapshotting(progress)
            return []
        case "end":
            let end: SnapshotEnd
            do {
                end = try SnapshotEnd(json: try JSONParser.parse(body))
            } catch {
                return restartSnapshot(now: now, reason: "the snapshot's end message was malformed; asking again")
            }
            let received = progress.items.count - progress.itemsBeforeRequest
            guard received == end.count else {
                return restartSnapshot(
                    now: now, reason: "the snapshot announced \(end.count) items but \(received) arrived; asking again")
            }
            if let first = progress.ends.first, first.epoch != end.epoch {
                return restartSnapshot(now: now, reason: "the publisher restarted during the snapshot; asking again")
            }
            progress.ends.append(end)
            progress.requestIndex += 1
            if progress.requestIndex < requests.count {
                progress.itemsBeforeRequest = progress.items.count
                phase = .snapshotting(progress)
                return [.requestSnapshot(prefix: requests[progress.requestIndex])]
            }
            return complete(progress, now: now)
        case "error":
            let json = try? JSONParser.parse(body)
            let message = json?["message"]?.stringValue ?? "the state endpoint refused the snapshot request"
            if json?["code"] == "unavailable" {
                // A passing fault of the authority: ask again after a second.
                progress.lastProgressAt = now - settings.snapshotTimeoutSeconds + 1
                phase = .snapshotting(progress)
                return [.deliver(.status(.resyncing(message)))]
            }
            phase = .failed
            return [.deliver(.status(.failed(message)))]
        default:
            phase = .snapshotting(progress)
            return []
        }
    }

    /// Time passing: snapshot timeouts and publisher silence.
    mutating func tick(now: Double) -> [Action] {
        switch phase {
        case .snapshotting(let progress) where now - progress.lastProgressAt > settings.snapshotTimeoutSeconds:
            return restartSnapshot(
                now: now,
                reason: "no snapshot reply for \(Int(settings.snapshotTimeoutSeconds)) s; asking again")
        case .live, .snapshotting, .waitingForLive:
            if let lastHeardAt, !silentReported, now - lastHeardAt > settings.silenceSeconds {
                silentReported = true
                return [.deliver(.status(.silent(source: source ?? "publisher", seconds: now - lastHeardAt)))]
            }
            return []
        case .failed:
            return []
        }
    }

    /// The consumer fell behind (events were dropped before reaching the machine).
    mutating func resynchronize(reason: String, now: Double) -> [Action] {
        guard case .live = phase, settings.snapshotsEnabled else { return [] }
        return startSnapshot(now: now, reason: reason)
    }

    var isLive: Bool { if case .live = phase { true } else { false } }

    // MARK: Live processing

    private mutating func process(_ event: EventEnvelope, now: Double) -> [Action] {
        guard let epoch else { return startSnapshotHolding(event, now: now, reason: "no epoch yet") }
        if event.epoch < epoch { return [] }
        if event.epoch > epoch {
            return startSnapshotHolding(
                event, now: now,
                reason: "\(event.source) restarted (epoch \(epoch) → \(event.epoch)); taking a new snapshot")
        }
        if event.isHeartbeat {
            if let reason = tailGap(in: event) { return startSnapshot(now: now, reason: reason) }
            return settings.deliverHeartbeats ? [.deliver(.event(event))] : []
        }
        let family = String(event.family)
        let last = lastSeq[family] ?? 0
        if event.seq <= last { return [] }
        if event.seq > last + 1 {
            return startSnapshotHolding(
                event, now: now,
                reason:
                    "gap in \(family) events of \(event.source): expected seq \(last + 1), got \(event.seq); taking a "
                        + "new snapshot"
            )
        }
        lastSeq[family] = event.seq
        return wanted(event) ? [.deliver(.event(event))] : []
    }

    /// True when a requested prefix covers the event and its snapshot did not already.
    private func wanted(_ event: EventEnvelope) -> Bool {
        let family = String(event.family)
        for (index, prefix) in requests.enumerated() where prefix.map({ event.topic.hasPrefix($0) }) ?? true {
            let covered = index < snapshotSeqs.count ? snapshotSeqs[index][family] ?? 0 : 0
            if event.seq > covered { return true }
        }
        return false
    }

    private func tailGap(in heartbeat: EventEnvelope) -> String? {
        guard let seqs = (try? heartbeat.data())?["seqs"]?.objectValue else { return nil }
        for member in seqs {
            guard families?.contains(member.key) ?? true, let published = member.value.intValue else { continue }
            let applied = lastSeq[member.key] ?? 0
            if UInt64(max(0, published)) > applied {
                return
                    "missed \(member.key) events \(applied + 1)...\(published) of \(heartbeat.source) (seen in its "
                        + "heartbeat); taking a new snapshot"
            }
            if UInt64(max(0, published)) < applied {
                return "\(heartbeat.source)'s \(member.key) sequence went back to \(published); taking a new snapshot"
            }
        }
        return nil
    }

    /// Without snapshots: apply what arrives, report gaps and restarts (nothing to repair from).
    private mutating func processWithoutSnapshots(_ event: EventEnvelope) -> [Action] {
        var actions: [Action] = []
        if epoch != event.epoch {
            if epoch != nil {
                actions.append(.deliver(.status(.resyncing("\(event.source) restarted (epoch \(event.epoch))"))))
            }
            epoch = event.epoch
            source = event.source
            lastSeq.removeAll()
        }
        if event.isHeartbeat {
            return actions + (settings.deliverHeartbeats ? [.deliver(.event(event))] : [])
        }
        let family = String(event.family)
        if let last = lastSeq[family] {
            if event.seq <= last { return actions }
            if event.seq > last + 1 {
                actions.append(
                    .deliver(.status(.gap("missed \(family) events \(last + 1)...\(event.seq - 1) of \(event.source)")))
                )
            }
        }
        lastSeq[family] = event.seq
        if requests.contains(where: { prefix in prefix.map { event.topic.hasPrefix($0) } ?? true }) {
            actions.append(.deliver(.event(event)))
        }
        return actions
    }

    // MARK: Snapshots

    private mutating func startSnapshotHolding(_ event: EventEnvelope, now: Double, reason: String) -> [Action] {
        let actions = startSnapshot(now: now, reason: reason)
        hold(event)
        return actions
    }

    private mutating func startSnapshot(now: Double, reason: String?) -> [Action] {
        attempts += 1
        buffer.removeAll(keepingCapacity: true)
        bufferOverflowed = false
        phase = .snapshotting(Progress(lastProgressAt: now, attempt: attempts))
        var actions: [Action] = []
        if let reason { actions.append(.deliver(.status(.resyncing(reason)))) }
        actions.append(.requestSnapshot(prefix: requests[0]))
        return actions
    }

    private mutating func restartSnapshot(now: Double, reason: String) -> [Action] {
        // Keep the events buffered so far: they are still newer than the next snapshot's start
        // or are dropped by seq when it arrives.
        let held = buffer
        let overflowed = bufferOverflowed
        let actions = startSnapshot(now: now, reason: reason)
        buffer = held
        bufferOverflowed = overflowed
        return actions
    }

    private mutating func complete(_ progress: Progress, now: Double) -> [Action] {
        guard let first = progress.ends.first else { return [] }
        epoch = first.epoch
        source = first.source
        snapshotSeqs = progress.ends.map(\.sequences)
        lastSeq.removeAll()
        let tracked = families ?? Set(progress.ends.flatMap(\.sequences.keys))
        for family in tracked {
            lastSeq[family] = snapshotSeqs.map { $0[family] ?? 0 }.min() ?? 0
        }
        phase = .live
        var actions: [Action] = [
            .deliver(
                .snapshot(
                    ReplicaSnapshot(
                        source: first.source, epoch: first.epoch, items: progress.items, ends: progress.ends))),
            .deliver(.status(.live(source: first.source, epoch: first.epoch))),
        ]
        if bufferOverflowed {
            return actions
                + startSnapshot(
                    now: now,
                    reason: "more than \(settings.bufferMax) events arrived during the snapshot; taking another")
        }
        let held = buffer
        buffer.removeAll(keepingCapacity: true)
        for (index, event) in held.enumerated() {
            actions += process(event, now: now)
            if case .snapshotting = phase {
                // A gap or restart in the held events: keep the rest for the next snapshot.
                for later in held[(index + 1)...] { hold(later) }
                break
            }
        }
        return actions
    }

    private mutating func hold(_ event: EventEnvelope) {
        if event.isHeartbeat { return }
        if buffer.count >= settings.bufferMax {
            bufferOverflowed = true
            return
        }
        buffer.append(event)
    }

    private mutating func heard(now: Double) -> [Action] {
        lastHeardAt = now
        guard silentReported else { return [] }
        silentReported = false
        if case .live = phase, let source, let epoch { return [.deliver(.status(.live(source: source, epoch: epoch)))] }
        return []
    }

    static func parseItem(_ body: [UInt8]) -> SnapshotItem? {
        body.withUnsafeBufferPointer { buffer -> SnapshotItem? in
            var parser = JSONParser(buffer)
            var key: String?
            var valueRange: Range<Int>?
            do {
                try ObjectScanner.scan(&parser) { (name, parser) throws(JSONParseError) in
                    switch name {
                    case "key": key = try parser.parseValue(depth: 1).stringValue
                    case "value":
                        let start = try parser.skipValue(depth: 1)
                        valueRange = start..<parser.position
                    default: _ = try parser.skipValue(depth: 1)
                    }
                }
            } catch {
                return nil
            }
            guard let key, let valueRange else { return nil }
            return SnapshotItem(key: key, valueBytes: Array(buffer[valueRange]))
        }
    }
}

/// What a `Replica` hands its consumer, in order.
public enum ReplicaUpdate: Sendable {
    /// Replace your state under the requested prefixes with these items.
    case snapshot(ReplicaSnapshot)
    /// Apply this event (it follows the snapshot without gap).
    case event(EventEnvelope)
    /// The replica's link to its publisher changed.
    case status(ReplicaStatus)
}

public struct ReplicaSnapshot: Sendable {
    public let source: String
    public let epoch: UInt64
    public let items: [SnapshotItem]
    /// One end message per requested prefix.
    public let ends: [SnapshotEnd]
}

public enum ReplicaStatus: Sendable, Equatable {
    /// Snapshot applied; events follow in order.
    case live(source: String, epoch: UInt64)
    /// A gap, restart or timeout: a new snapshot is on its way (the reason says which).
    case resyncing(String)
    /// Events were missed and cannot be repaired (the publisher has no state endpoint).
    case gap(String)
    /// Nothing heard from the publisher for a while.
    case silent(source: String, seconds: Double)
    /// The state endpoint refused our request; the replica stopped.
    case failed(String)
}
