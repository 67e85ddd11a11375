import Foundation
import GRDB
import SwitchboardBus
import SwitchboardStore
import Synchronization
import Testing
import ZeroMQ

@Suite("The outbox relay over tcp loopback")
struct OutboxRelayTests {
    /// A store's publishing side: a socket loop, a publisher of the store's epoch, a relay.
    struct Relaying {
        let loop: SocketLoop
        let publisher: EventPublisher
        let relay: OutboxRelay
        let task: Task<Void, Never>

        static func start(
            _ store: AuthorityStore, name: String, bind: String = "tcp://127.0.0.1:*"
        ) async throws -> (Relaying, EventRecorder) {
            let loop = try SocketLoop(name: name, logger: testLogger)
            let publisher = try await EventPublisher(
                loop: loop, bind: bind, source: "test", epoch: store.epoch, logger: testLogger)
            // Subscribe before the relay starts, so the recorder sees everything it publishes.
            let recorder = try await EventRecorder.attach(to: publisher, name: name + "-sub")
            let relay = try OutboxRelay(store: store, publisher: publisher, logger: testLogger)
            let task = Task { await relay.run() }
            return (Relaying(loop: loop, publisher: publisher, relay: relay, task: task), recorder)
        }

        func stop() async {
            task.cancel()
            await task.value
            await loop.shutdown()
        }
    }

    @Test("events from many concurrent committers arrive gap-free per family, with the data of their seq")
    func concurrentCommitsArriveInOrder() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        let (relaying, recorder) = try await Relaying.start(store, name: "sb-relay-order")
        let tasks = 16
        let commitsPerTask = 150
        // Each commit emits one `kv` event and, every third commit, one `conv` event too.
        let assigned = try await withThrowingTaskGroup(of: [String: String].self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var seen: [String: String] = [:]
                    for index in 0..<commitsPerTask {
                        let events = try await store.commit { transaction -> [EmittedEvent] in
                            var events = [try setItem("t\(task)-\(index)", index, in: transaction)]
                            if index % 3 == 0 {
                                events.append(
                                    try transaction.emit(
                                        topic: "conv.t\(task).note", type: "note",
                                        data: ["task": .number(task), "index": .number(index)]))
                            }
                            return events
                        }
                        for event in events { seen["\(event.family)#\(event.seq)"] = "t\(task)-\(index)" }
                    }
                    return seen
                }
            }
            return try await group.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
        }
        let expected = tasks * commitsPerTask + tasks * ((commitsPerTask + 2) / 3)
        #expect(assigned.count == expected, "two commits were given the same (family, seq)")
        let arrived = await eventually(within: 20) { recorder.count >= expected }
        #expect(arrived, "only \(recorder.count) of \(expected) events arrived")
        let events = recorder.received
        for (family, seqs) in sequencesByFamily(events) {
            #expect(seqs == Array(1...UInt64(seqs.count)), "family \(family) arrived out of order or with a gap")
        }
        // The event published with a seq is the one the commit that got that seq emitted.
        var wrong = 0
        for event in events {
            let data = try event.data()
            let owner =
                event.family == "kv"
                ? data["key"]?.stringValue
                : "t\(data["task"]?.intValue ?? -1)-\(data["index"]?.intValue ?? -1)"
            if assigned["\(event.family)#\(event.seq)"] != owner { wrong += 1 }
        }
        #expect(wrong == 0)
        #expect(events.allSatisfy { $0.epoch == store.epoch })
        #expect(relaying.relay.counts.dropped == 0)
        await recorder.stop()
        await relaying.stop()
        await store.close()
    }

    @Test(
        "after a stop without publishing, the next run publishes the left events first in its epoch, and nothing twice")
    func unpublishedEventsAreReplayedFirst() async throws {
        let directory = try TemporaryDirectory()
        let first = try await openStore(directory)
        let (relaying, firstRecorder) = try await Relaying.start(first, name: "sb-replay-1")
        for index in 1...3 { _ = try await first.commit { try setItem("a\(index)", index, in: $0) } }
        #expect(await eventually { firstRecorder.count == 3 })
        await relaying.stop()
        // The relay is gone: these commit but are never published in this run.
        for index in 1...4 { _ = try await first.commit { try setItem("b\(index)", index, in: $0) } }
        #expect(first.unpublishedCount == 4)
        await first.close()
        await firstRecorder.stop()

        let second = try await openStore(directory)
        #expect(second.epoch == 2)
        #expect(second.replayedEventCount == 4)
        let (secondRelaying, recorder) = try await Relaying.start(second, name: "sb-replay-2")
        for index in 1...2 { _ = try await second.commit { try setItem("c\(index)", index, in: $0) } }
        #expect(await eventually { recorder.count == 6 })
        // Give a wrongly republished `a` event every chance to show up before looking.
        try await Task.sleep(for: .milliseconds(100))
        let events = recorder.received
        let keys = try events.map { try $0.data()["key"]?.stringValue ?? "?" }
        #expect(keys == ["b1", "b2", "b3", "b4", "c1", "c2"])
        #expect(events.map(\.seq) == [1, 2, 3, 4, 5, 6])
        #expect(events.allSatisfy { $0.epoch == 2 })
        await recorder.stop()
        await secondRelaying.stop()
        await second.close()
    }

    @Test("a crash before the watermark was recorded publishes those events again in the next epoch")
    func crashRepublishesUnrecorded() async throws {
        let directory = try TemporaryDirectory()
        // A lag far beyond the test: nothing published ever becomes recordable.
        let store = try await openStore(directory) { $0.watermarkLagSeconds = 3_600 }
        let (relaying, recorder) = try await Relaying.start(store, name: "sb-crash-1")
        for index in 1...3 { _ = try await store.commit { try setItem("a\(index)", index, in: $0) } }
        #expect(await eventually { recorder.count == 3 })
        _ = try await store.commit { try setItem("a4", 4, in: $0) }
        #expect(await eventually { store.unpublishedCount == 0 })
        try copyAsCrashed(directory.file("authority.sqlite"), to: directory.file("crashed.sqlite"))

        let restarted = try await openStore(directory, name: "crashed.sqlite")
        // Seen by the first subscribers already, but never recorded as published: at least
        // once, so again.
        #expect(restarted.replayedEventCount == 4)
        #expect(restarted.committedSequences() == ["kv": 4])
        await restarted.close()
        await recorder.stop()
        await relaying.stop()
        await store.close()
    }

    @Test("a crash after the watermark was recorded publishes nothing again")
    func crashAfterRecordedWatermark() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory) { $0.watermarkLagSeconds = 0 }
        let (relaying, recorder) = try await Relaying.start(store, name: "sb-crash-2")
        for index in 1...3 { _ = try await store.commit { try setItem("a\(index)", index, in: $0) } }
        #expect(await eventually { recorder.count == 3 })
        // The relay records the watermark on its tick (or on the next commit) once published.
        let recorded = await eventually {
            let watermark = try? await store.read { db in
                try Int.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'published_position'")
            }
            return watermark == 3
        }
        #expect(recorded)
        try copyAsCrashed(directory.file("authority.sqlite"), to: directory.file("crashed.sqlite"))
        let restarted = try await openStore(directory, name: "crashed.sqlite")
        #expect(restarted.replayedEventCount == 0)
        let outbox = try await restarted.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") }
        #expect(outbox == 0, "published rows are deleted at open")
        await restarted.close()
        await recorder.stop()
        await relaying.stop()
        await store.close()
    }

    @Test("events beyond the relay's memory are read back from the outbox, still in order")
    func spilledEventsComeFromTheTable() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory) { configuration in
            configuration.relayMemoryEventsMax = 8
            configuration.relayBatchMax = 5
        }
        // No relay yet: the first 8 wait in memory, the rest only in the table.
        for index in 1...40 { _ = try await store.commit { try setItem("k\(index)", index, in: $0) } }
        let (relaying, recorder) = try await Relaying.start(store, name: "sb-spill")
        for index in 41...60 { _ = try await store.commit { try setItem("k\(index)", index, in: $0) } }
        #expect(await eventually { recorder.count == 60 })
        let events = recorder.received
        #expect(events.map(\.seq) == Array(1...60))
        let keys = try events.map { try $0.data()["key"]?.stringValue ?? "?" }
        #expect(keys == (1...60).map { "k\($0)" })
        #expect(relaying.relay.counts.readFromDatabase > 0)
        await recorder.stop()
        await relaying.stop()
        await store.close()
    }

    @Test("published outbox rows are deleted by maintenance, unpublished ones never")
    func maintenancePrunesPublishedRows() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory) { $0.watermarkLagSeconds = 0 }
        for index in 1...10 { _ = try await store.commit { try setItem("k\(index)", index, in: $0) } }
        let (relaying, recorder) = try await Relaying.start(store, name: "sb-prune")
        #expect(await eventually { recorder.count == 10 })
        await relaying.stop()
        for index in 11...13 { _ = try await store.commit { try setItem("k\(index)", index, in: $0) } }
        try await store.maintain(force: true)
        let remaining = try await store.read { db in
            try Int.fetchAll(db, sql: "SELECT last_position FROM outbox ORDER BY last_position")
        }
        #expect(remaining == [11, 12, 13])
        await recorder.stop()
        await store.close()
    }

    @Test("a relay refuses a publisher of another epoch, and a second relay on the same store")
    func relayMisuse() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        let loop = try SocketLoop(name: "sb-misuse", logger: testLogger)
        let stale = try await EventPublisher(
            loop: loop, bind: "tcp://127.0.0.1:*", source: "test", epoch: store.epoch + 1, logger: testLogger)
        #expect(throws: StoreError.self) { try OutboxRelay(store: store, publisher: stale, logger: testLogger) }
        let right = try await EventPublisher(
            loop: loop, bind: "tcp://127.0.0.1:*", source: "test", epoch: store.epoch, logger: testLogger)
        _ = try OutboxRelay(store: store, publisher: right, logger: testLogger)
        #expect(throws: StoreError.self) { try OutboxRelay(store: store, publisher: right, logger: testLogger) }
        await loop.shutdown()
        await store.close()
    }
}
