import Foundation
import GRDB
import SwitchboardRouter
import SwitchboardRouting
import SwitchboardStore
import SwitchboardTopology
import Testing

@Suite("The router's journal retention")
struct JournalRetentionTests {
    @Test("checkpoints prune the journal older than the retention, keep the rest, and recovery reads only after them")
    func retentionPrunesAndRecoveryStillRebuilds() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-retention-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("router.sqlite").path
        let store = try await AuthorityStore.open(
            StoreConfiguration(path: path, source: "router"), logger: RecordedDay.logger,
            migrations: RouterJournal.migrate)
        let settings = RecordedDay.syntheticSettings()
        let start = RoutingInstant(millisecondsSinceEpoch: 1_800_000_000_000)
        var live = try RouterState(settings: settings, now: start)
        let writer = RouterCheckpointWriter()
        let retention = RouterJournal.Retention(journalSeconds: 2 * 3_600, historyEverySeconds: 3_600)
        var position: Int64 = 0
        // Ten hours, a conversation every ten minutes, a checkpoint every half hour.
        for minute in stride(from: 0, to: 600, by: 10) {
            let at = start.adding(seconds: Double(minute) * 60)
            let id = ConversationID("c-\(minute)")
            let inputs: [RouterInput] = [
                .open(ConversationRequest(id: id, customer: "cust", queue: "chat-en"), text: nil, intent: nil),
                .close(id),
            ]
            for input in inputs { _ = live.apply(input, at: at) }
            let entries = inputs.map { ($0, at) }
            position = try await store.commit { try RouterJournal.append(entries, in: $0.db) } ?? position
            if minute % 30 == 10 {
                try await RouterJournal.writeCheckpoint(
                    live, through: position, writer: writer, store: store, retention: retention)
            }
        }
        // Entries after the last checkpoint (minute 590).
        let end = start.adding(seconds: 590 * 60)
        let (oldest, newest, history, historyOldest) = try await store.read { db in
            (
                try Int64.fetchOne(db, sql: "SELECT MIN(at) FROM router_journal") ?? 0,
                try Int64.fetchOne(db, sql: "SELECT MAX(at) FROM router_journal") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM router_checkpoint_history") ?? 0,
                try Int64.fetchOne(db, sql: "SELECT MIN(at) FROM router_checkpoint_history") ?? 0
            )
        }
        let cutoff = end.millisecondsSinceEpoch - 2 * 3_600_000
        // Older than the retention plus one history interval is gone; the retained window is there.
        #expect(oldest > cutoff - 3_600_000 - 1)
        #expect(oldest <= cutoff)
        #expect(newest == end.millisecondsSinceEpoch)
        #expect(historyOldest <= oldest)
        #expect(history >= 2 && history <= 4)

        let recovered = try await RouterJournal.recover(
            store: store, settings: settings, logger: RecordedDay.logger)
        #expect(recovered.replayed == 2, "only the journal after the last checkpoint is replayed")
        #expect(recovered.state.snapshotItems(prefix: nil) == live.snapshotItems(prefix: nil))
        await store.close()
    }

    @Test("journalRetention: takes 0 or a duration, and is the router's only")
    func topologyKey() throws {
        func parse(_ value: String) throws -> Double {
            let document = try YAMLValue.parse("journalRetention: \(value)\n", file: "topology.yaml")
            return try Topology.parseRetention(
                try #require(document.mapping(allowed: ["journalRetention"])["journalRetention"]))
        }
        #expect(try parse("48h") == 172_800)
        #expect(try parse("2d") == 172_800)
        #expect(try parse("0") == 0)
        #expect(throws: TopologyError.self) { try parse("two days") }
        do {
            _ = try parse("2w")
        } catch let error as TopologyError {
            #expect(error.key.hasSuffix("journalRetention"))
            #expect(error.problem.contains("48h"))
        }
    }
}
