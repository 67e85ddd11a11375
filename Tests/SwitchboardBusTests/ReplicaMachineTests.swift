import Testing
import ZeroMQ

@testable import SwitchboardBus

@Suite("The Clone client procedure, as a pure state machine")
struct ReplicaMachineTests {
    func event(_ topic: String, seq: UInt64, epoch: UInt64 = 1) -> EventEnvelope {
        let message = EnvelopeCodec.encode(
            topic: topic, source: "router", epoch: epoch, seq: seq, timestampMicroseconds: 0, type: "test",
            data: (["n": .number(seq)] as JSON).bytes)
        return try! EnvelopeCodec.decode(message)
    }

    func heartbeat(_ seqs: [String: UInt64], epoch: UInt64 = 1) -> EventEnvelope {
        var object = JSONObject()
        for (family, seq) in seqs { object[family] = .number(seq) }
        let message = EnvelopeCodec.encode(
            topic: "sys.router.hugz", source: "router", epoch: epoch, seq: 0, timestampMicroseconds: 0,
            type: EventEnvelope.heartbeatType, data: (["seqs": .object(object)] as JSON).bytes)
        return try! EnvelopeCodec.decode(message)
    }

    func item(_ key: String) -> [UInt8] { (["key": .string(key), "value": ["x": 1]] as JSON).bytes }

    func end(seq: UInt64, count: Int, epoch: UInt64 = 1, family: String = "conv") -> [UInt8] {
        SnapshotEnd(source: "router", epoch: epoch, seq: seq, sequences: [family: seq], count: count).json.bytes
    }

    func delivered(_ actions: [ReplicaMachine.Action]) -> [UInt64] {
        actions.compactMap { if case .deliver(.event(let event)) = $0 { event.seq } else { nil } }
    }

    func requests(_ actions: [ReplicaMachine.Action]) -> Int {
        actions.filter { if case .requestSnapshot = $0 { true } else { false } }.count
    }

    func snapshots(_ actions: [ReplicaMachine.Action]) -> [ReplicaSnapshot] {
        actions.compactMap { if case .deliver(.snapshot(let snapshot)) = $0 { snapshot } else { nil } }
    }

    @Test("the first message makes the subscription live and asks for a snapshot")
    func firstMessageAsksForSnapshot() {
        var machine = ReplicaMachine(prefixes: ["conv."])
        #expect(machine.subscriptions == ["conv.", "sys."])
        let actions = machine.receive(heartbeat([:]), now: 0)
        #expect(requests(actions) == 1)
    }

    @Test("events at or below the snapshot's seq are dropped; later ones follow it in order")
    func snapshotThenBufferedEvents() {
        var machine = ReplicaMachine(prefixes: ["conv."])
        _ = machine.receive(event("conv.c-1.a", seq: 5), now: 0)
        _ = machine.receive(event("conv.c-1.a", seq: 6), now: 0)
        _ = machine.receive(event("conv.c-1.a", seq: 7), now: 0)
        _ = machine.receiveSnapshot(kind: Array("item".utf8), body: item("conv.c-1"), now: 0)
        let actions = machine.receiveSnapshot(kind: Array("end".utf8), body: end(seq: 6, count: 1), now: 0)
        #expect(snapshots(actions).first?.items.map(\.key) == ["conv.c-1"])
        #expect(delivered(actions) == [7])
        #expect(machine.isLive)
        #expect(delivered(machine.receive(event("conv.c-2.a", seq: 8), now: 0)) == [8])
        #expect(
            delivered(machine.receive(event("conv.c-2.a", seq: 8), now: 0)) == [], "a duplicate is not applied twice")
    }

    @Test("a gap in a family's sequence starts a new snapshot")
    func gapResnapshots() {
        var machine = live(at: 3)
        let actions = machine.receive(event("conv.c-1.a", seq: 5), now: 1)
        #expect(requests(actions) == 1)
        #expect(delivered(actions).isEmpty)
        #expect(!machine.isLive)
    }

    @Test("a heartbeat showing events never seen starts a new snapshot (a gap at the tail)")
    func tailGap() {
        var machine = live(at: 3)
        #expect(requests(machine.receive(heartbeat(["conv": 3]), now: 1)) == 0)
        #expect(requests(machine.receive(heartbeat(["conv": 4]), now: 2)) == 1)
    }

    @Test("a new epoch (the publisher restarted) starts a new snapshot; an old epoch is ignored")
    func epochChange() {
        var machine = live(at: 3, epoch: 2)
        #expect(delivered(machine.receive(event("conv.c-1.a", seq: 4, epoch: 1), now: 1)).isEmpty)
        #expect(machine.isLive)
        let actions = machine.receive(event("conv.c-1.a", seq: 1, epoch: 3), now: 1)
        #expect(requests(actions) == 1)
        let done = machine.receiveSnapshot(kind: Array("end".utf8), body: end(seq: 0, count: 0, epoch: 3), now: 1)
        #expect(delivered(done) == [1], "the event that revealed the new epoch is applied after its snapshot")
    }

    @Test("a snapshot with fewer items than its end announces is asked for again")
    func countMismatch() {
        var machine = ReplicaMachine(prefixes: ["conv."])
        _ = machine.receive(heartbeat([:]), now: 0)
        _ = machine.receiveSnapshot(kind: Array("item".utf8), body: item("conv.c-1"), now: 0)
        let actions = machine.receiveSnapshot(kind: Array("end".utf8), body: end(seq: 1, count: 2), now: 0)
        #expect(requests(actions) == 1)
        #expect(snapshots(actions).isEmpty)
    }

    @Test("a snapshot that gets no reply is asked for again after the timeout")
    func snapshotTimeout() {
        var machine = ReplicaMachine(prefixes: ["conv."])
        _ = machine.receive(heartbeat([:]), now: 0)
        #expect(requests(machine.tick(now: 2.9)) == 0)
        #expect(requests(machine.tick(now: 3.1)) == 1)
    }

    @Test("a finer prefix subscribes to its whole family and filters after the seq check")
    func finerPrefix() {
        var machine = ReplicaMachine(prefixes: ["conv.c-1."])
        #expect(machine.subscriptions == ["conv.", "sys."])
        _ = machine.receive(heartbeat([:]), now: 0)
        _ = machine.receiveSnapshot(kind: Array("end".utf8), body: end(seq: 0, count: 0), now: 0)
        #expect(delivered(machine.receive(event("conv.c-2.a", seq: 1), now: 0)).isEmpty)
        #expect(delivered(machine.receive(event("conv.c-1.a", seq: 2), now: 0)) == [2])
        #expect(machine.isLive, "other conversations' events kept the sequence whole")
    }

    @Test("overlapping prefixes are reduced to the widest")
    func normalizePrefixes() {
        #expect(ReplicaMachine.normalize(["conv.c-1.", "conv.", "agent.a-1."]) == ["agent.a-1.", "conv."])
        #expect(ReplicaMachine.normalize(["conv.", ""]) == [])
    }

    @Test("without a state endpoint gaps are reported, not repaired")
    func eventsOnly() {
        var settings = ReplicaMachine.Settings()
        settings.snapshotsEnabled = false
        var machine = ReplicaMachine(prefixes: ["assist."], settings: settings)
        #expect(delivered(machine.receive(event("assist.c-1.summary", seq: 10), now: 0)) == [10])
        let actions = machine.receive(event("assist.c-1.summary", seq: 12), now: 0)
        #expect(delivered(actions) == [12])
        #expect(actions.contains { if case .deliver(.status(.gap)) = $0 { true } else { false } })
    }

    @Test("a refused snapshot request stops the replica with the endpoint's reason")
    func refusal() {
        var machine = ReplicaMachine(prefixes: ["conv."])
        _ = machine.receive(heartbeat([:]), now: 0)
        let body = (["code": "bad_prefix", "message": "the prefix must start with a family"] as JSON).bytes
        let actions = machine.receiveSnapshot(kind: Array("error".utf8), body: body, now: 0)
        #expect(
            actions.contains {
                if case .deliver(.status(.failed(let reason))) = $0 { reason.contains("family") } else { false }
            })
    }

    private func live(at seq: UInt64, epoch: UInt64 = 1) -> ReplicaMachine {
        var machine = ReplicaMachine(prefixes: ["conv."])
        _ = machine.receive(heartbeat(["conv": seq], epoch: epoch), now: 0)
        _ = machine.receiveSnapshot(kind: Array("end".utf8), body: end(seq: seq, count: 0, epoch: epoch), now: 0)
        return machine
    }
}
