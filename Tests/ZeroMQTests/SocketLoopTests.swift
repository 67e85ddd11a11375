import Foundation
import Logging
import Testing
import ZeroMQ

@Suite("The socket loop: one I/O thread owns every socket")
struct SocketLoopTests {
    let logger = Logger(label: "test")

    @Test("a PUB bound to a kernel-chosen port reaches a SUB over tcp loopback")
    func publishToSubscriber() async throws {
        let loop = try SocketLoop(name: "sb-test-pubsub", logger: logger)
        let publisher = try await loop.open(SocketSpec(type: .publisher, bind: ["tcp://127.0.0.1:*"]))
        let endpoint = try #require(publisher.boundEndpoints.first)
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:") && !endpoint.hasSuffix(":*"))
        var options = SocketOptions()
        options.subscriptions = ["keep."]
        let subscriber = try await loop.open(SocketSpec(type: .subscriber, options: options, connect: [endpoint]))

        // PUB drops while the subscription travels; keep sending until one arrives (bounded).
        let reader = Task { () -> Message? in
            for await batch in subscriber.inbound {
                if let first = batch.messages.first { return first }
            }
            return nil
        }
        for attempt in 0..<500 where subscriber.counters.received == 0 {
            loop.send(Message(Array("skip.\(attempt)".utf8), [1]), on: publisher.id)
            loop.send(Message(Array("keep.\(attempt)".utf8), [2, 3]), on: publisher.id)
            try await Task.sleep(for: .milliseconds(10))
        }
        let received = await reader.value
        let message = try #require(received)
        #expect(String(decoding: message.frames[0], as: UTF8.self).hasPrefix("keep."))
        #expect(message.frames[1] == [2, 3])
        await loop.shutdown()
    }

    @Test("a DEALER and a ROUTER exchange frames, the ROUTER seeing the peer's identity first")
    func dealerRouterRoundTrip() async throws {
        let loop = try SocketLoop(name: "sb-test-dr", logger: logger)
        let router = try await loop.open(SocketSpec(type: .router, bind: ["tcp://127.0.0.1:*"]))
        let dealer = try await loop.open(SocketSpec(type: .dealer, connect: [router.boundEndpoints[0]]))
        loop.send(Message(Array("ping".utf8)), on: dealer.id)
        var routerInput = router.inbound.makeAsyncIterator()
        let request = try #require(await routerInput.next()?.messages.first)
        #expect(request.frames.count == 2)
        #expect(request.frames[1] == Array("ping".utf8))
        loop.send(Message(request.frames[0], Array("pong".utf8)), on: router.id)
        var dealerInput = dealer.inbound.makeAsyncIterator()
        let reply = try #require(await dealerInput.next()?.messages.first)
        #expect(reply.frames == [Array("pong".utf8)])
        await loop.shutdown()
    }

    @Test("a consumer that was busy takes every message that arrived meanwhile in one batch, in arrival order")
    func busyConsumerTakesOneBatch() async throws {
        let loop = try SocketLoop(name: "sb-test-batch", logger: logger)
        let router = try await loop.open(SocketSpec(type: .router, bind: ["tcp://127.0.0.1:*"]))
        let dealer = try await loop.open(SocketSpec(type: .dealer, connect: [router.boundEndpoints[0]]))
        for index in 0..<200 { loop.send(Message(Array("m\(index)".utf8)), on: dealer.id) }
        // Nobody reads yet: wait (bounded) until the I/O thread has handed all 200 over.
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while router.counters.received < 200 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(router.counters.received == 200)
        var input = router.inbound.makeAsyncIterator()
        let batch = try #require(await input.next())
        #expect(batch.messages.map { String(decoding: $0.frames[1], as: UTF8.self) } == (0..<200).map { "m\($0)" })
        await loop.shutdown()
    }

    @Test("a consumer whose task is cancelled ends its stream; later messages are counted as dropped")
    func cancelledConsumerEndsTheStream() async throws {
        let loop = try SocketLoop(name: "sb-test-cancel", logger: logger)
        let router = try await loop.open(SocketSpec(type: .router, bind: ["tcp://127.0.0.1:*"]))
        let dealer = try await loop.open(SocketSpec(type: .dealer, connect: [router.boundEndpoints[0]]))
        let inbound = router.inbound
        let reader = Task { () -> Int in
            var batches = 0
            for await _ in inbound { batches += 1 }
            return batches
        }
        try await Task.sleep(for: .milliseconds(20))
        reader.cancel()
        #expect(await reader.value == 0, "the cancelled wait ended the loop with no batch")
        loop.send(Message(Array("late".utf8)), on: dealer.id)
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while router.counters.droppedInbound == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(router.counters.droppedInbound == 1)
        await loop.shutdown()
    }

    @Test("a ROUTER with ROUTER_MANDATORY counts a reply to an unknown peer instead of losing it silently")
    func unroutableReplyIsCounted() async throws {
        let loop = try SocketLoop(name: "sb-test-mand", logger: logger)
        let router = try await loop.open(SocketSpec(type: .router, bind: ["tcp://127.0.0.1:*"]))
        loop.send(Message([0, 1, 2, 3, 4], Array("lost".utf8)), on: router.id)
        // The failure is counted by the I/O thread; poll for it with a deadline.
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while router.counters.sendFailures == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(router.counters.sendFailures == 1)
        #expect(router.counters.sent == 0)
        await loop.shutdown()
    }

    @Test("binding a port already in use fails with libzmq's reason and the endpoint")
    func bindConflictIsAClearError() async throws {
        let loop = try SocketLoop(name: "sb-test-bind", logger: logger)
        let first = try await loop.open(SocketSpec(type: .publisher, bind: ["tcp://127.0.0.1:*"]))
        let endpoint = first.boundEndpoints[0]
        do {
            _ = try await loop.open(SocketSpec(type: .publisher, bind: [endpoint]))
            Issue.record("a second bind of \(endpoint) succeeded")
        } catch {
            #expect(error.description.contains(endpoint))
            #expect(error.description.contains("in use"))
        }
        await loop.shutdown()
    }

    /// libzmq 4.3 aborts the process when a ZMTP heartbeat time-out ends a connection whose
    /// receiving side stopped reading on a full queue: this stall outlasts such a time-out.
    @Test("a subscriber that stops reading for seconds while its publisher floods it reads on afterwards")
    func stalledSubscriberSurvives() async throws {
        let publishing = try SocketLoop(name: "sb-test-flood", logger: logger)
        let publisher = try await publishing.open(SocketSpec(type: .publisher, bind: ["tcp://127.0.0.1:*"]))
        let receiving = try SocketLoop(name: "sb-test-stall", logger: logger)
        var options = SocketOptions()
        options.subscriptions = [""]
        options.receiveHighWaterMark = 10
        let subscriber = try await receiving.open(
            SocketSpec(
                type: .subscriber, options: options, connect: [publisher.boundEndpoints[0]], inboundMessagesMax: 10))
        let payload = [UInt8](repeating: 7, count: 1_000)
        let flood = Task {
            var round = 0
            while !Task.isCancelled, round < 20_000 {
                let marker: [UInt8] = Array("round \(round)".utf8)
                for _ in 0..<100 { publishing.send(Message(marker, payload), on: publisher.id) }
                round += 1
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        // Nobody reads for 6 s: the socket's queue fills and libzmq stops reading the connection.
        try await Task.sleep(for: .seconds(6))
        let stalledAt = subscriber.counters.received
        var roundsSeen = Set<String>()
        var input = subscriber.inbound.makeAsyncIterator()
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while roundsSeen.count < 50, ContinuousClock.now < deadline, let batch = await input.next() {
            for message in batch.messages { roundsSeen.insert(String(decoding: message.frames[0], as: UTF8.self)) }
        }
        flood.cancel()
        #expect(roundsSeen.count >= 50, "after the stall only \(roundsSeen.count) rounds arrived")
        #expect(subscriber.counters.received > stalledAt)
        await receiving.shutdown()
        await publishing.shutdown()
    }

    @Test("shutdown closes every socket, finishes every stream and leaves no I/O thread behind")
    func shutdownLeavesNothingBehind() async throws {
        let name = "sb-test-\(UInt32.random(in: 0..<100_000))"
        let loop = try SocketLoop(name: name, logger: logger)
        let router = try await loop.open(SocketSpec(type: .router, bind: ["tcp://127.0.0.1:*"]))
        _ = try await loop.open(SocketSpec(type: .dealer, connect: [router.boundEndpoints[0]]))
        #expect(threadNames().contains(name))
        await loop.shutdown()
        var iterator = router.inbound.makeAsyncIterator()
        #expect(await iterator.next() == nil)
        #expect(!threadNames().contains(name))
        #expect(loop.send(Message([1]), on: router.id) == .closed)
        await loop.shutdown()
    }
}

/// The names of this process's threads, from /proc.
func threadNames() -> Set<String> {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return Set(
        tasks.compactMap { task in
            (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        })
}
