import SwitchboardBus
import SwitchboardStore
import Testing

@Suite("What the store counts of the bytes it commits")
struct WrittenBytesTests {
    @Test("events, replies and own rows counted by table; a rolled-back savepoint not")
    func countedByTable() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        #expect(store.writtenBytes.isEmpty)
        let reply = try await store.commit { transaction in
            try transaction.emit(topic: "item.a.changed", type: "item.changed", encodedData: Array("{\"n\":1}".utf8))
            transaction.noteWritten(100, table: "items")
            try? transaction.savepoint { () throws -> Void in
                transaction.noteWritten(50, table: "items")
                try transaction.emit(topic: "item.b.changed", type: "item.changed", encodedData: Array("{}".utf8))
                throw CancellationError()
            }
            return try transaction.saveReply(id: "cmd-1", outcome: .ok([:]))
        }
        let written = store.writtenBytes
        #expect(written["items"] == 100, "the savepoint's 50 bytes rolled back with it")
        #expect(written["command_replies"] == "cmd-1".utf8.count + reply.count + 8)
        // One event: seq (8), three lengths (12), topic, type and data, and the row's numbers (40).
        let event = 8 + 12 + "item.a.changed".utf8.count + "item.changed".utf8.count + 7
        #expect(written["outbox"] == event + 40)

        try await store.commit { transaction in transaction.noteWritten(1, table: "items") }
        #expect(store.writtenBytes["items"] == 101, "a running total")
        await store.close()
    }
}
