import Foundation
import GRDB
import SwitchboardBus
import SwitchboardRouting
import SwitchboardStore
import Testing
import ZeroMQ

@Suite("Epochs, seqs and consistent reads")
struct EpochAndSequenceTests {
    @Test("the epoch rises by one at each open of the same file")
    func epochRises() async throws {
        let directory = try TemporaryDirectory()
        var epochs: [UInt64] = []
        for _ in 0..<3 {
            let store = try await openStore(directory)
            epochs.append(store.epoch)
            await store.close()
        }
        #expect(epochs == [1, 2, 3])
    }

    @Test("seqs start at 1 per family in each epoch and rise by one")
    func sequencesPerFamily() async throws {
        let directory = try TemporaryDirectory()
        let first = try await openStore(directory)
        let emitted = try await first.commit { transaction in
            [
                try setItem("a", 1, in: transaction),
                try transaction.emit(topic: "conv.c-1.queued", type: "conversation.queued", data: ["n": 1]),
                try setItem("b", 2, in: transaction),
                try transaction.emit(topic: "conv.c-2.queued", type: "conversation.queued", data: ["n": 2]),
            ]
        }
        let more = try await first.commit { transaction in try setItem("a", 3, in: transaction) }
        #expect(emitted.map(\.family) == ["kv", "conv", "kv", "conv"])
        #expect(emitted.map(\.seq) == [1, 1, 2, 2])
        #expect(more.seq == 3)
        #expect(emitted.allSatisfy { $0.epoch == 1 })
        #expect(first.committedSequences() == ["kv": 3, "conv": 2])
        await first.close()

        let second = try await openStore(directory)
        // The first run published nothing (no relay), so its five events come back first,
        // re-stamped: the new epoch's seqs continue after them.
        #expect(second.replayedEventCount == 5)
        let after = try await second.commit { transaction in try setItem("c", 4, in: transaction) }
        #expect(after.epoch == 2)
        #expect(after.seq == 4)
        await second.close()
    }

    @Test("seqs restart at 1 in a new epoch once everything was published")
    func sequencesRestart() async throws {
        let directory = try TemporaryDirectory()
        let first = try await openStore(directory)
        _ = try await first.commit { transaction in try setItem("a", 1, in: transaction) }
        await first.close()
        // The second run publishes the first run's event; its clean close records that.
        let replayed = try await openStore(directory)
        #expect(replayed.replayedEventCount == 1)
        let loop = try SocketLoop(name: "sb-restart", logger: testLogger)
        let publisher = try await EventPublisher(
            loop: loop, bind: "tcp://127.0.0.1:*", source: "test", epoch: replayed.epoch, logger: testLogger)
        let relay = try OutboxRelay(store: replayed, publisher: publisher, logger: testLogger)
        let relaying = Task { await relay.run() }
        #expect(await eventually { replayed.unpublishedCount == 0 })
        relaying.cancel()
        await relaying.value
        await loop.shutdown()
        await replayed.close()

        let third = try await openStore(directory)
        #expect(third.epoch == 3)
        #expect(third.replayedEventCount == 0)
        #expect(third.committedSequences().isEmpty)
        let event = try await third.commit { transaction in try setItem("b", 2, in: transaction) }
        #expect(event.seq == 1)
        #expect(event.epoch == 3)
        await third.close()
    }

    @Test("a body that throws leaves no state, no event and no seq behind")
    func rollbackConsumesNothing() async throws {
        struct Refused: Error {}
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        await #expect(throws: Refused.self) {
            try await store.commit { transaction in
                _ = try setItem("a", 1, in: transaction)
                throw Refused()
            }
        }
        let event = try await store.commit { transaction in try setItem("b", 2, in: transaction) }
        #expect(event.seq == 1)
        #expect(event.position == 1)
        let keys = try await store.read { db in try String.fetchAll(db, sql: "SELECT key FROM items") }
        #expect(keys == ["b"])
        await store.close()
    }

    @Test("a savepoint that fails undoes its writes, events and seqs, and the rest commits")
    func savepointUndoesOnlyItsPart() async throws {
        struct Refused: Error {}
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        let seqs = try await store.commit { transaction -> [UInt64] in
            let first = try setItem("a", 1, in: transaction)
            _ = try? transaction.savepoint {
                _ = try setItem("b", 2, in: transaction)
                throw Refused()
            }
            let third = try setItem("c", 3, in: transaction)
            return [first.seq, third.seq]
        }
        #expect(seqs == [1, 2])
        let keys = try await store.read { db in try String.fetchAll(db, sql: "SELECT key FROM items ORDER BY key") }
        #expect(keys == ["a", "c"])
        let outbox = try await store.read { db in try Int.fetchOne(db, sql: "SELECT SUM(event_count) FROM outbox") }
        #expect(outbox == 2)
        await store.close()
    }

    @Test("an event with a topic the bus refuses rolls the transaction back")
    func badTopicRollsBack() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        await #expect(throws: StoreTransactionError.self) {
            try await store.commit { transaction in
                _ = try setItem("a", 1, in: transaction)
                try transaction.emit(topic: "nofamily", type: "x", data: [:])
            }
        }
        #expect(try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM items") } == 0)
        await store.close()
    }

    @Test("a read transaction sees the state and the seqs of the same commits while writes go on")
    func readsAreConsistent() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        let commits = 400
        let writer = Task {
            for index in 1...commits {
                // Each commit adds one item and one `kv` event: item count == kv seq, always.
                _ = try await store.commit { transaction in try setItem("k\(index)", index, in: transaction) }
            }
        }
        var mismatches: [String] = []
        var reads = 0
        while reads < 2_000 {
            let view = try await store.readConsistent { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM items") ?? -1
            }
            let seq = view.sequences["kv"] ?? 0
            if UInt64(view.value) != seq { mismatches.append("\(view.value) items at kv seq \(seq)") }
            reads += 1
            if seq == UInt64(commits) { break }
        }
        try await writer.value
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")

        let snapshot = try await store.snapshot(prefix: "kv.") { db, _ in
            try Row.fetchAll(db, sql: "SELECT key, value FROM items ORDER BY key").map { row in
                SnapshotItem(key: "kv.\(row["key"] as String)", value: ["value": .number(row["value"] as Int)])
            }
        }
        #expect(snapshot.items.count == commits)
        #expect(snapshot.sequences["kv"] == UInt64(commits))
        #expect(snapshot.epoch == store.epoch)
        await store.close()
    }

    @Test("a second process cannot open a database that is open, and a bad path is named in the error")
    func openErrors() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        do {
            _ = try await openStore(directory)
            Issue.record("a second open of the same file succeeded")
        } catch let error as StoreError {
            #expect(error.kind == .alreadyOpen)
            #expect(error.description.contains(directory.file("authority.sqlite")))
        }
        await store.close()
        // Closed: the lock is free again.
        let again = try await openStore(directory)
        #expect(again.epoch == 2)
        await again.close()

        try Array("not a database, just text that SQLite cannot read".utf8).withUnsafeBufferPointer { buffer in
            try Data(buffer: buffer).write(to: URL(fileURLWithPath: directory.file("garbage.sqlite")))
        }
        do {
            _ = try await openStore(directory, name: "garbage.sqlite")
            Issue.record("a file that is not SQLite opened")
        } catch let error as StoreError {
            #expect(error.kind == .cannotOpen)
            #expect(error.path == directory.file("garbage.sqlite"))
        }
    }

    @Test("commits after close fail with an error that says the store is closed")
    func commitAfterClose() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        await store.close()
        do {
            _ = try await store.commit { transaction in try setItem("a", 1, in: transaction) }
            Issue.record("a commit after close succeeded")
        } catch let error as StoreError {
            #expect(error.kind == .closed)
        }
    }
}

@Suite("Outbox rows")
struct OutboxRowTests {
    @Test("emit accepts exactly the topics the bus accepts (seeded random topics)")
    func topicRulesAgree() async throws {
        let seed = UInt64.random(in: 0..<UInt64.max)
        var generator = SplitMix64(seed: seed)
        let alphabet: [Character] = ["a", "b", ".", ".", " ", "-", "\u{7F}", "\t", "é", "1"]
        var topics = [
            "conv.c-1.queued", "conv.", ".conv", "conv", "", "a..b", "a.b", String(repeating: "a.", count: 200),
        ]
        for _ in 0..<500 {
            let length = Int.random(in: 0...8, using: &generator)
            topics.append(String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "a" }))
        }
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        let candidates = topics
        let disagreements = try await store.commit { transaction -> [String] in
            var disagreements: [String] = []
            for topic in candidates {
                let accepted =
                    (try? transaction.savepoint { try transaction.emit(topic: topic, type: "t", data: [:]) }) != nil
                if accepted != (Topic.problem(with: topic) == nil) { disagreements.append(topic) }
            }
            return disagreements
        }
        #expect(disagreements.isEmpty, "seed \(seed): \(disagreements.prefix(5))")
        await store.close()
    }

    @Test("a damaged outbox row is refused at open with the file named")
    func damagedRow() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        try await store.commit { transaction in
            _ = try setItem("a", 1, in: transaction)
            _ = try setItem("b", 2, in: transaction)
        }
        try await store.commit { transaction in
            // Cut the packed events in the middle of the second one.
            try transaction.db.execute(sql: "UPDATE outbox SET events = substr(events, 1, 40)")
            #expect(transaction.db.changesCount == 1)
        }
        await store.close()
        do {
            _ = try await openStore(directory)
            Issue.record("a damaged outbox opened")
        } catch let error as StoreError {
            #expect(error.kind == .incompatible)
            #expect(error.path == directory.file("authority.sqlite"))
            #expect(error.reason.contains("damaged"))
        }
    }
}
