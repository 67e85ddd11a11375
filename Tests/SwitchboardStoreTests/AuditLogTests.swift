import SwitchboardBus
import SwitchboardStore
import Testing

@Suite("The audit log in the authority's database")
struct AuditLogTests {
    func record(_ id: String, _ outcome: AuditRecord.Outcome = .accepted, at seconds: Double = 0) -> AuditRecord {
        AuditRecord(
            atSeconds: seconds, principal: "gateway", actingFor: "ava", commandType: "desk.accept", commandID: id,
            outcome: outcome, permission: outcome == .forbidden ? "agentDesk" : nil)
    }

    @Test("an accepted command's row is written with its reply's transaction, once, and not by a rolled-back one")
    func rowWithTheEffect() async throws {
        struct Refused: Error {}
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        store.expectAudit([record("cmd-1"), record("cmd-2")])
        try await store.commit { try $0.saveReply(id: "cmd-1", outcome: .ok([:])) }
        #expect(try await store.auditRecords().map(\.commandID) == ["cmd-1"], "written in the command's transaction")
        await #expect(throws: Refused.self) {
            try await store.commit { transaction in
                try transaction.saveReply(id: "cmd-2", outcome: .ok([:]))
                throw Refused()
            }
        }
        #expect(try await store.auditRecords().map(\.commandID) == ["cmd-1"], "undone with its transaction")
        try await store.settleAudit(commandIDs: ["cmd-1", "cmd-2"], refused: [record("cmd-3", .forbidden)])
        let rows = try await store.auditRecords()
        #expect(rows.map(\.commandID).sorted() == ["cmd-1", "cmd-2", "cmd-3"], "each row once: \(rows)")
        #expect(rows.first { $0.commandID == "cmd-3" } == record("cmd-3", .forbidden))
        let fromFile = try AuthorityStore.auditRecords(path: store.path, commandID: "cmd-3")
        #expect(fromFile == [record("cmd-3", .forbidden)], "read from the file while the store is open")
        await store.close()
    }

    @Test("rows older than the reply retention are pruned with the replies")
    func pruneAfterRetention() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let store = try await openStore(directory) { configuration in
            configuration.now = clock.now
            configuration.replyRetentionSeconds = 3_600
        }
        try await store.settleAudit(commandIDs: [], refused: [record("old", .forbidden, at: clock.now())])
        clock.advance(by: 3_000)
        try await store.settleAudit(commandIDs: [], refused: [record("young", .forbidden, at: clock.now())])
        clock.advance(by: 601)
        try await store.maintain(force: true)
        #expect(try await store.auditRecords().map(\.commandID) == ["young"])
        await store.close()
    }
}
