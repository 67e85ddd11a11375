import GRDB
import Glibc
import SwitchboardStore
import Synchronization
import Testing

@Suite("Group commit")
struct GroupCommitterTests {
    @Test("commits requested while a transaction runs share the next transaction")
    func coalesces() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        let committer = GroupCommitter(store: store)
        let followers = 31
        // The first body holds its transaction until every follower has queued (bounded wait
        // on the writer queue, which is not the cooperative pool).
        let firstRunning = Mutex(false)
        let first = Task {
            try await committer.commit { transaction -> UInt64 in
                firstRunning.withLock { $0 = true }
                let deadline = ContinuousClock.now + .seconds(10)
                while committer.queuedCount < followers && ContinuousClock.now < deadline {
                    usleep(1_000)
                }
                return try setItem("first", 0, in: transaction).seq
            }
        }
        #expect(await eventually { firstRunning.withLock { $0 } })
        let seqs = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for index in 0..<followers {
                group.addTask { try await committer.commit { try setItem("f\(index)", index, in: $0).seq } }
            }
            return try await group.reduce(into: [UInt64]()) { $0.append($1) }
        }
        #expect(try await first.value == 1)
        #expect(seqs.sorted() == Array(2...UInt64(followers + 1)))
        #expect(committer.counts.transactions == 2)
        #expect(committer.counts.bodies == followers + 1)
        let rows = try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM items") }
        #expect(rows == followers + 1)
        await store.close()
    }

    @Test("a body that throws fails only its caller; the others in its transaction commit")
    func failureIsPerBody() async throws {
        struct Refused: Error {}
        let directory = try TemporaryDirectory()
        let store = try await openStore(directory)
        let committer = GroupCommitter(store: store)
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<20 {
                group.addTask {
                    do {
                        _ = try await committer.commit { transaction -> UInt64 in
                            let event = try setItem("k\(index)", index, in: transaction)
                            if index % 5 == 0 { throw Refused() }
                            return event.seq
                        }
                        return (index, true)
                    } catch {
                        return (index, false)
                    }
                }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.filter { !$0.value }.keys.sorted() == [0, 5, 10, 15])
        let keys = try await store.read { db in try String.fetchAll(db, sql: "SELECT key FROM items") }
        #expect(Set(keys) == Set((0..<20).filter { $0 % 5 != 0 }.map { "k\($0)" }))
        // Failed bodies consumed no seq: the 16 committed events hold seqs 1…16.
        #expect(store.committedSequences()["kv"] == 16)
        await store.close()
    }
}
