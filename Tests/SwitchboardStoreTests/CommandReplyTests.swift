import Foundation
import GRDB
import SwitchboardBus
import SwitchboardStore
import Synchronization
import Testing
import ZeroMQ

@Suite("Command replies kept in the authority's database")
struct CommandReplyTests {
    @Test("a reply saved in the command's transaction is found by id, also after a reopen")
    func savedWithTheEffect() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        let reply = try await store.commit { transaction in
            _ = try setItem("a", 1, in: transaction)
            return try transaction.saveReply(id: "cmd-1", outcome: .ok(["item": "a"]))
        }
        let replies = DurableCommandReplyStore(store: store, logger: testLogger)
        #expect(await replies.storedReplies(for: ["cmd-1", "cmd-2"]) == ["cmd-1": reply])
        await store.close()

        let reopened = try await openStore(directory)
        let again = DurableCommandReplyStore(store: reopened, logger: testLogger)
        #expect(await again.storedReplies(for: ["cmd-1"]) == ["cmd-1": reply])
        await reopened.close()
    }

    @Test("when the lookup fails, every id is answered unavailable: none reaches the handler unchecked")
    func lookupFailureIsRetryable() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        let replies = DurableCommandReplyStore(store: store, logger: testLogger)
        await store.close()  // reads now fail, as they do when cancelled at shutdown
        let answered = await replies.storedReplies(for: ["cmd-1", "cmd-2"])
        #expect(Set(answered.keys) == ["cmd-1", "cmd-2"])
        for (id, bytes) in answered {
            let reply = try JSON(parsing: bytes)
            #expect(reply["id"]?.stringValue == id)
            #expect(reply["ok"] == false)
            #expect(reply["error"]?["code"] == "unavailable", "\(reply.text)")
        }
    }

    @Test("a transaction that rolls back leaves no reply, and an id applied twice is refused")
    func replyOnlyWithItsEffect() async throws {
        struct Refused: Error {}
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        let replies = DurableCommandReplyStore(store: store, logger: testLogger)
        await #expect(throws: Refused.self) {
            try await store.commit { transaction in
                try transaction.saveReply(id: "cmd-1", outcome: .ok([:]))
                throw Refused()
            }
        }
        #expect(await replies.storedReplies(for: ["cmd-1"]).isEmpty)

        try await store.commit { transaction in
            _ = try setItem("a", 1, in: transaction)
            try transaction.saveReply(id: "cmd-2", outcome: .ok([:]))
        }
        await #expect(throws: StoreTransactionError.self) {
            try await store.commit { transaction in
                _ = try setItem("a", 2, in: transaction)
                try transaction.saveReply(id: "cmd-2", outcome: .ok([:]))
            }
        }
        let value = try await store.read { db in try Int.fetchOne(db, sql: "SELECT value FROM items WHERE key = 'a'") }
        #expect(value == 1, "the second application was rolled back")
        await store.close()
    }

    @Test("replies older than the retention period are pruned, younger ones kept")
    func pruneAfterRetention() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let store = try await openStore(directory) { configuration in
            configuration.now = clock.now
            configuration.replyRetentionSeconds = 3_600
        }
        try await store.commit { try $0.saveReply(id: "old", outcome: .ok([:])) }
        clock.advance(by: 3_000)
        try await store.commit { try $0.saveReply(id: "young", outcome: .ok([:])) }
        clock.advance(by: 601)
        let report = try await store.maintain(force: true)
        #expect(report.repliesDeleted == 1)
        let replies = DurableCommandReplyStore(store: store, logger: testLogger)
        #expect(Set(await replies.storedReplies(for: ["old", "young"]).keys) == ["young"])
        await store.close()
    }

    @Test("save stores refusals that never reached a transaction, but not those that ask for a retry")
    func saveStoresOnlyFinalRefusals() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        let replies = DurableCommandReplyStore(store: store, logger: testLogger)
        let unknown = CommandReply(
            id: "cmd-unknown", outcome: .failed(CommandFailure(code: .unknownCommand, message: "no such command"))
        ).bytes
        let busy = CommandReply(
            id: "cmd-busy", outcome: .failed(CommandFailure(code: .unavailable, message: "retry later"))
        ).bytes
        await replies.save([("cmd-unknown", unknown), ("cmd-busy", busy)])
        #expect(await replies.storedReplies(for: ["cmd-unknown", "cmd-busy"]) == ["cmd-unknown": unknown])
        await store.close()
    }

    @Test("a repeated command id gets byte-identical reply bytes over tcp, before and after a restart, applied once")
    func repeatedIdOverTCP() async throws {
        let directory = try TemporaryDirectory()
        let applied = Mutex(0)
        let handler = { (store: AuthorityStore) in
            ClosureCommandHandler { request in
                do {
                    return try await store.commit { transaction in
                        applied.withLock { $0 += 1 }
                        let event = try setItem("n", Int(request.data["n"]?.intValue ?? 0), in: transaction)
                        let outcome = CommandOutcome.ok(["seq": .number(event.seq), "at": .number(transaction.now)])
                        try transaction.saveReply(id: request.id, outcome: outcome)
                        return outcome
                    }
                } catch {
                    return .failed(CommandFailure(code: .unavailable, message: "\(error)"))
                }
            }
        }
        let command = CommandRequest(id: "cmd-repeat", type: "item.set", data: ["n": 7])

        var first: [UInt8] = []
        for run in 0..<2 {
            let store = try await openStore(directory)
            let loop = try SocketLoop(name: "sb-replies-\(run)", logger: testLogger)
            let server = try await CommandServer(
                loop: loop, bind: "tcp://127.0.0.1:*", handler: handler(store),
                store: DurableCommandReplyStore(store: store, logger: testLogger), logger: testLogger)
            let serving = Task { await server.run() }
            let dealer = try await loop.open(SocketSpec(type: .dealer, connect: [server.endpoint]))
            var inbound = dealer.inbound.makeAsyncIterator()
            for _ in 0..<2 {
                loop.send(Message(frames: [command.bytes]), on: dealer.id)
                let reply = try #require(await inbound.next()?.messages.first?.frames.first)
                if first.isEmpty { first = reply }
                #expect(reply == first)
            }
            serving.cancel()
            await loop.shutdown()
            await store.close()
        }
        #expect(applied.withLock { $0 } == 1)
        #expect(String(decoding: first, as: UTF8.self).contains("\"ok\":true"))
    }
}
