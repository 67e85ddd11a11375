import Logging
import SwitchboardBus
import Testing
import ZeroMQ

/// The Clone pattern over real tcp loopback sockets: late joiners, gaps and restarts.
@Suite("Snapshots and sequences over tcp loopback")
struct CloneOverTCPTests {
    struct Authority {
        let loop: SocketLoop
        let counters: CounterAuthority
        let publisher: EventPublisher
        let server: SnapshotServer
        let tasks: [Task<Void, Never>]

        func stop() async {
            for task in tasks { task.cancel() }
            await loop.shutdown()
        }
    }

    func startAuthority(
        epoch: UInt64 = 1, publish: String = "tcp://127.0.0.1:*", state: String = "tcp://127.0.0.1:*",
        heartbeatMilliseconds: Int = 100, publisherOptions: SocketOptions = SocketOptions()
    ) async throws -> Authority {
        let loop = try SocketLoop(name: "sb-auth-\(epoch)", logger: testLogger)
        let publisher = try await EventPublisher(
            loop: loop, bind: publish, source: "counters", epoch: epoch, logger: testLogger, options: publisherOptions)
        let counters = CounterAuthority(publisher: publisher)
        let server = try await SnapshotServer(
            loop: loop, bind: state, sourceName: "counters", source: counters, logger: testLogger)
        let tasks = [
            Task { await server.run() },
            Task { await publisher.runHeartbeats(interval: .milliseconds(heartbeatMilliseconds)) },
        ]
        return Authority(loop: loop, counters: counters, publisher: publisher, server: server, tasks: tasks)
    }

    func startReplica(
        of authority: Authority, loop: SocketLoop, view: CounterView, options: Replica.Options = Replica.Options(),
        handlerDelay: Duration? = nil
    ) -> (Replica, Task<Void, Never>) {
        let replica = Replica(
            loop: loop, publish: authority.publisher.endpoint, state: authority.server.endpoint, prefixes: ["kv."],
            logger: testLogger, options: options)
        let task = Task { () -> Void in
            try? await replica.run { update in
                if let handlerDelay, case .event = update { try? await Task.sleep(for: handlerDelay) }
                await view.apply(update)
            }
        }
        return (replica, task)
    }

    @Test("a late subscriber joining while the publisher sends at full speed ends with exactly its state")
    func lateJoinerConverges() async throws {
        let authority = try await startAuthority()
        let seed = UInt64.random(in: 0..<UInt64.max)
        // Publish a first half before anyone listens: only the snapshot can bring it.
        await authority.counters.run(count: 20_000, keys: 500, seed: seed)
        let consumerLoop = try SocketLoop(name: "sb-consumer", logger: testLogger)
        let view = CounterView()
        let (replica, task) = startReplica(of: authority, loop: consumerLoop, view: view)
        // Full speed until the joiner has its snapshot, and on for a while after (bounded).
        var round: UInt64 = 1
        while round < 200, await view.snapshots == 0 || round < 10 {
            await authority.counters.run(count: 10_000, keys: 500, seed: seed &+ round)
            round += 1
        }
        let expected = await authority.counters.counters
        let converged = await eventually(within: 20) { await view.counters == expected }
        #expect(converged, "seed \(seed): the late joiner's view differs from the publisher's state")
        #expect(await view.snapshots >= 1)
        // On a loaded machine the full-speed phase may end in more snapshots while the joiner
        // drains what its socket had queued; then, at a pace any consumer keeps up with, updates
        // must arrive as events on top of the last one (paced for at most 30 s).
        let deliveredBefore = replica.counts.eventsDelivered
        let tailEnd = ContinuousClock.now.advanced(by: .seconds(30))
        var tail: UInt64 = 0
        while replica.counts.eventsDelivered <= deliveredBefore || tail < 20, ContinuousClock.now < tailEnd {
            await authority.counters.run(count: 5, keys: 500, seed: seed &+ 1_000 &+ tail)
            tail += 1
            try await Task.sleep(for: .milliseconds(20))
        }
        let final = await authority.counters.counters
        #expect(
            await eventually(within: 20) { await view.counters == final },
            "seed \(seed): the view differs from the publisher's state after the paced tail")
        #expect(
            replica.counts.eventsDelivered > deliveredBefore,
            "events after the snapshot were applied, not only snapshots")
        let inconsistencies = await view.inconsistencies
        #expect(inconsistencies.isEmpty, "seed \(seed): \(inconsistencies.prefix(3))")
        task.cancel()
        await consumerLoop.shutdown()
        await authority.stop()
    }

    @Test("a gap forced by overflowing the subscriber's high-water mark is detected and repaired by a new snapshot")
    func overflowGapIsRepaired() async throws {
        // Small queues on both sides, so a slow consumer overflows them within a few thousand events.
        var publisherOptions = SocketOptions()
        publisherOptions.sendHighWaterMark = 100
        let authority = try await startAuthority(publisherOptions: publisherOptions)
        let consumerLoop = try SocketLoop(name: "sb-slow", logger: testLogger)
        let view = CounterView()
        var options = Replica.Options()
        options.subscriberOptions.receiveHighWaterMark = 50
        options.inboundMessagesMax = 20
        await authority.counters.increment("first")
        let (replica, task) = startReplica(
            of: authority, loop: consumerLoop, view: view, options: options, handlerDelay: .microseconds(200))
        #expect(await eventually { await view.snapshots >= 1 })
        await authority.counters.run(count: 50_000, keys: 50, seed: 7)
        let expected = await authority.counters.counters
        let converged = await eventually(within: 30) { await view.counters == expected }
        #expect(converged, "the slow consumer never converged")
        let reasons = await view.resyncReasons
        #expect(reasons.contains { $0.contains("gap") || $0.contains("missed") }, "no gap was detected: \(reasons)")
        #expect(replica.counts.snapshotsApplied >= 2)
        #expect(await view.inconsistencies.isEmpty)
        task.cancel()
        await consumerLoop.shutdown()
        await authority.stop()
    }

    @Test("a publisher restart on the same endpoints is seen as a new epoch and the view follows the new state")
    func restartIsANewEpoch() async throws {
        let first = try await startAuthority(epoch: 1)
        let publish = first.publisher.endpoint
        let state = first.server.endpoint
        await first.counters.run(count: 1_000, keys: 10, seed: 1)
        let consumerLoop = try SocketLoop(name: "sb-restart", logger: testLogger)
        let view = CounterView()
        let (_, task) = startReplica(of: first, loop: consumerLoop, view: view)
        let before = await first.counters.counters
        #expect(await eventually { await view.counters == before })
        await first.stop()

        let second = try await startAuthority(epoch: 2, publish: publish, state: state)
        await second.counters.run(count: 300, keys: 3, seed: 2)
        let after = await second.counters.counters
        #expect(
            await eventually(within: 20) {
                let epoch = await view.lastEpoch
                return await view.counters == after && epoch == 2
            })
        #expect(await view.resyncReasons.contains { $0.contains("restarted") || $0.contains("epoch") })
        task.cancel()
        await consumerLoop.shutdown()
        await second.stop()
    }
}
