import Logging
import SwitchboardBus
import SwitchboardRouting
import Synchronization
import Testing
import ZeroMQ

/// Counts how many times each command id was applied.
final class ApplicationLog: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func handler() -> ClosureCommandHandler {
        ClosureCommandHandler { [self] request in
            guard request.type == "counter.add" else {
                return .failed(CommandFailure(code: .unknownCommand, message: "unknown command \(request.type)"))
            }
            let total = counts.withLock { counts -> Int in
                counts[request.id, default: 0] += 1
                return counts.values.reduce(0, +)
            }
            return .ok(["applied": .number(total)])
        }
    }

    func count(_ id: String) -> Int { counts.withLock { $0[id] ?? 0 } }
    var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}

@Suite("Acknowledged, idempotent commands over tcp loopback")
struct CommandsOverTCPTests {
    @Test("a command sent while its server is down is applied exactly once after the server starts")
    func sentWhileDown() async throws {
        let endpoint = "tcp://127.0.0.1:\(freeLoopbackPort())"
        let clientLoop = try SocketLoop(name: "sb-cmd-client", logger: testLogger)
        let client = try await CommandClient(
            loop: clientLoop, connect: endpoint, serviceName: "counter", logger: testLogger)
        let reply = Task { try await client.send("counter.add", data: ["n": 1], id: "cmd-down-1", deadlineSeconds: 20) }

        // Let the client retry against nothing for a while, then start the server.
        try await Task.sleep(for: .milliseconds(700))
        let serverLoop = try SocketLoop(name: "sb-cmd-server", logger: testLogger)
        let log = ApplicationLog()
        let store = InMemoryCommandReplyStore()
        let server = try await CommandServer(
            loop: serverLoop, bind: endpoint, handler: log.handler(), store: store, logger: testLogger)
        let serving = Task { await server.run() }

        let result = try await reply.value
        #expect(result["applied"] == 1)
        #expect(log.count("cmd-down-1") == 1)

        // The same id again: the stored reply, byte for byte, and no second effect.
        let again = try await client.send(CommandRequest(id: "cmd-down-1", type: "counter.add", data: ["n": 1]))
        #expect(again.outcome == .ok(["applied": 1]))
        #expect(log.count("cmd-down-1") == 1)
        let stored = await store.storedReplies(for: ["cmd-down-1"])["cmd-down-1"]
        #expect(stored == again.bytes)

        serving.cancel()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
    }

    @Test("the same id sent many times at once is applied once and every copy gets the same reply")
    func concurrentDuplicates() async throws {
        let (serverLoop, server, log) = try await startServer()
        let serving = Task { await server.run() }
        let clientLoop = try SocketLoop(name: "sb-cmd-dup", logger: testLogger)
        let client = try await CommandClient(
            loop: clientLoop, connect: server.endpoint, serviceName: "counter", logger: testLogger)
        let replies = try await withThrowingTaskGroup(of: JSON.self) { group in
            for _ in 0..<20 {
                group.addTask { try await client.send("counter.add", id: "same-id", deadlineSeconds: 10) }
            }
            var replies: [JSON] = []
            for try await reply in group { replies.append(reply) }
            return replies
        }
        #expect(replies.count == 20)
        #expect(Set(replies).count == 1)
        #expect(log.count("same-id") == 1)
        serving.cancel()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
    }

    @Test(
        "pipelining: a retry of a command still being applied is not queued again; every copy gets its reply"
    )
    func retryWhileInFlight() async throws {
        let handler = HeldHandler()
        let serverLoop = try SocketLoop(name: "sb-cmd-held", logger: testLogger)
        let server = try await CommandServer(
            loop: serverLoop, bind: "tcp://127.0.0.1:*", handler: handler, store: InMemoryCommandReplyStore(),
            logger: testLogger)
        let serving = Task { await server.run() }
        let dealer = try await serverLoop.open(SocketSpec(type: .dealer, connect: [server.endpoint]))
        let request = CommandRequest(id: "held-1", type: "counter.add", data: [:])
        serverLoop.send(Message(frames: [request.bytes]), on: dealer.id)
        #expect(await eventually(within: 10) { handler.queuedCount == 1 })
        // The client retries while the first copy is queued and unanswered; a second command
        // goes in behind it.
        serverLoop.send(Message(frames: [request.bytes]), on: dealer.id)
        let next = CommandRequest(id: "held-2", type: "counter.add", data: [:])
        serverLoop.send(Message(frames: [next.bytes]), on: dealer.id)
        #expect(await eventually(within: 10) { handler.queuedCount == 2 })
        handler.release()
        var inbound = dealer.inbound.makeAsyncIterator()
        var replies: [CommandReply] = []
        while replies.count < 3, let batch = await inbound.next() {
            replies += batch.messages.compactMap { try? CommandReply.parse($0.frames[0]) }
        }
        #expect(replies.map(\.id) == ["held-1", "held-1", "held-2"], "both copies answered, in order, then the next")
        #expect(Set(replies.filter { $0.id == "held-1" }.map(\.bytes)).count == 1)
        #expect(handler.applied == ["held-1", "held-2"], "the retry was not queued a second time")
        serving.cancel()
        await serverLoop.shutdown()
    }

    @Test("a NACK carries the code and the message; nothing answers → a clear timeout error")
    func refusalsAndTimeouts() async throws {
        let (serverLoop, server, _) = try await startServer()
        let serving = Task { await server.run() }
        let clientLoop = try SocketLoop(name: "sb-cmd-nack", logger: testLogger)
        let client = try await CommandClient(
            loop: clientLoop, connect: server.endpoint, serviceName: "counter", logger: testLogger)
        do {
            _ = try await client.send("counter.explode", deadlineSeconds: 10)
            Issue.record("an unknown command was accepted")
        } catch {
            #expect(error.failure?.code == .unknownCommand)
            #expect(error.description.contains("counter.explode"))
        }
        let nobody = "tcp://127.0.0.1:\(freeLoopbackPort())"
        // Retries every 50 ms for 2 s: about forty sends, so "sent again" holds on a loaded machine.
        var retryOften = CommandClient.RetryPolicy()
        retryOften.firstRetrySeconds = 0.05
        retryOften.retrySecondsMax = 0.05
        let lonely = try await CommandClient(
            loop: clientLoop, connect: nobody, serviceName: "router", logger: testLogger, policy: retryOften)
        do {
            _ = try await lonely.send("conversation.open", id: "lost-1", deadlineSeconds: 2)
            Issue.record("a command to nobody succeeded")
        } catch {
            guard case .timedOut(let id, _, _, let endpoint, _, let attempts) = error else {
                Issue.record("expected a timeout, got \(error)")
                return
            }
            #expect(id == "lost-1" && endpoint == nobody && attempts >= 2)
            #expect(error.description.contains("is it running?"))
        }
        serving.cancel()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
    }

    @Test("10,000 random and truncated frames at a command endpoint: each answered with a NACK naming the problem")
    func fuzzCommandEndpoint() async throws {
        let (serverLoop, server, log) = try await startServer()
        let serving = Task { await server.run() }
        let fuzzLoop = try SocketLoop(name: "sb-fuzz-cmd", logger: testLogger)
        var options = SocketOptions()
        options.receiveHighWaterMark = 0
        let dealer = try await fuzzLoop.open(SocketSpec(type: .dealer, options: options, connect: [server.endpoint]))
        let seed = UInt64.random(in: 0..<UInt64.max)
        var generator = SplitMix64(seed: seed)
        let valid = CommandRequest(id: "fuzz-valid", type: "counter.add", data: ["text": "a fairly long payload"]).bytes
        let total = 10_000
        for index in 0..<total {
            let frames: [[UInt8]]
            switch index % 4 {
            case 0:  // random bytes
                frames = [
                    (0..<Int.random(in: 0..<200, using: &generator)).map { _ in
                        UInt8.random(in: 0...255, using: &generator)
                    }
                ]
            case 1:  // a valid command cut short
                frames = [Array(valid.prefix(Int.random(in: 0..<valid.count, using: &generator)))]
            case 2:  // several frames
                frames = Array(repeating: valid, count: Int.random(in: 2...4, using: &generator))
            default:  // valid JSON, wrong shape
                let shapes = [
                    #"[]"#, #"{"v":1}"#, #"{"v":9,"id":"x","type":"t"}"#, #"{"v":1,"id":"x"}"#,
                    #"{"v":1,"id":"","type":"t"}"#, #"{"v":1,"id":"x","type":"t","data":[]}"#, "\"s\"",
                    "{\"v\":1,\"id\":\"\(String(repeating: "x", count: 200))\",\"type\":\"t\"}",
                ]
                frames = [Array(shapes[index / 4 % shapes.count].utf8)]
            }
            _ = await fuzzLoop.sendWaiting(Message(frames: frames), on: dealer.id)
        }
        var replies: [CommandReply] = []
        var iterator = dealer.inbound.makeAsyncIterator()
        let collector = Task {
            var collected: [CommandReply] = []
            while collected.count < total, let batch = await iterator.next() {
                for message in batch.messages {
                    if let reply = try? CommandReply.parse(message.frames[0]) { collected.append(reply) }
                }
            }
            return collected
        }
        let timeout = Task {
            try? await Task.sleep(for: .seconds(60))
            collector.cancel()
        }
        replies = await collector.value
        timeout.cancel()
        #expect(replies.count == total, "seed \(seed): \(replies.count) replies to \(total) frames")
        var codes: [String: Int] = [:]
        for reply in replies {
            guard case .failed(let failure) = reply.outcome else {
                Issue.record("seed \(seed): a garbage frame was accepted: \(reply)")
                continue
            }
            codes[failure.code.rawValue, default: 0] += 1
            #expect(!failure.message.isEmpty)
        }
        #expect(
            Set(codes.keys).isSubset(of: [
                "malformed", "bad_frames", "missing_field", "unsupported_version", "invalid_argument", "too_large",
            ]), "\(codes)")
        #expect(log.total == 0, "no garbage reached the handler")
        #expect(server.malformed.total == total)

        // And the endpoint still serves.
        let client = try await CommandClient(
            loop: fuzzLoop, connect: server.endpoint, serviceName: "counter", logger: testLogger)
        #expect(try await client.send("counter.add", deadlineSeconds: 10)["applied"] == 1)
        serving.cancel()
        await fuzzLoop.shutdown()
        await serverLoop.shutdown()
    }

    @Test(
        "10,000 random and truncated frames at a subscriber: counted as malformed, no crash, valid events arrive"
    )
    func fuzzSubscriber() async throws {
        let publisherLoop = try SocketLoop(name: "sb-fuzz-pub", logger: testLogger)
        let pub = try await publisherLoop.open(SocketSpec(type: .publisher, bind: ["tcp://127.0.0.1:*"]))
        let consumerLoop = try SocketLoop(name: "sb-fuzz-sub", logger: testLogger)
        let replica = Replica(
            loop: consumerLoop, publish: pub.boundEndpoints[0], state: nil, prefixes: ["kv."], logger: testLogger)
        let received = Mutex<[UInt64]>([])
        let task = Task { () -> Void in
            try? await replica.run { update in
                if case .event(let event) = update { received.withLock { $0.append(event.seq) } }
            }
        }
        func valid(_ seq: UInt64) -> Message {
            EnvelopeCodec.encode(
                topic: "kv.k.incremented", source: "fuzz", epoch: 1, seq: seq, timestampMicroseconds: 0,
                type: "kv.incremented",
                data: (["key": "k"] as JSON).bytes)
        }
        // Wait until the subscription is live (PUB drops until then). The bounds are generous:
        // the parallel test run keeps both cores busy.
        var warmups: UInt64 = 0
        let live = await eventually(within: 60) {
            warmups += 1
            publisherLoop.send(valid(warmups), on: pub.id)
            return !received.withLock { $0.isEmpty }
        }
        #expect(live)
        let seed = UInt64.random(in: 0..<UInt64.max)
        var generator = SplitMix64(seed: seed)
        let good = valid(1).frames[1]
        let total = 10_000
        // In rounds of 500, each closed by a valid event that must arrive: a PUB socket drops
        // what its subscriber's queue cannot hold, so a loaded machine must not lose garbage
        // that the count below expects.
        let round = 500
        var lastSeq = warmups
        for index in 0..<total {
            let frames: [[UInt8]]
            switch index % 3 {
            case 0:
                frames = [
                    Array("kv.".utf8)
                        + (0..<Int.random(in: 0..<40, using: &generator)).map { _ in
                            UInt8.random(in: 0...255, using: &generator)
                        }, Array(good.prefix(Int.random(in: 0..<good.count, using: &generator))),
                ]
            case 1: frames = [Array("kv.x.y".utf8)]
            default:
                frames = [
                    Array("kv.x.y".utf8),
                    (0..<Int.random(in: 0..<100, using: &generator)).map { _ in
                        UInt8.random(in: 0...255, using: &generator)
                    },
                ]
            }
            _ = await publisherLoop.sendWaiting(Message(frames: frames), on: pub.id)
            if index % round == round - 1 {
                lastSeq += 1
                publisherLoop.send(valid(lastSeq), on: pub.id)
                let expected = lastSeq
                #expect(
                    await eventually(within: 60) { received.withLock { $0.last } == expected },
                    "seed \(seed): the valid event after \(index + 1) garbage frames never arrived")
            }
        }
        #expect(replica.malformed.total == total, "seed \(seed): \(replica.malformed.snapshot())")
        task.cancel()
        await consumerLoop.shutdown()
        await publisherLoop.shutdown()
    }

    private func startServer() async throws -> (SocketLoop, CommandServer, ApplicationLog) {
        let loop = try SocketLoop(name: "sb-cmd-srv", logger: testLogger)
        let log = ApplicationLog()
        let server = try await CommandServer(
            loop: loop, bind: "tcp://127.0.0.1:*", handler: log.handler(), store: InMemoryCommandReplyStore(),
            logger: testLogger)
        return (loop, server, log)
    }
}

/// A pipelining handler that queues batches and answers them only when the test says so.
final class HeldHandler: CommandHandler {
    private struct State {
        var queued: [([CommandRequest], PendingOutcomes)] = []
        var applied: [String] = []
        var released = false
    }

    private let state = Mutex(State())

    func handle(_ commands: [CommandRequest]) async -> [CommandOutcome] {
        await enqueue(commands)?.value ?? []
    }

    func enqueue(_ commands: [CommandRequest]) -> PendingOutcomes? {
        let outcomes = PendingOutcomes()
        let releaseNow = state.withLock { state -> Bool in
            state.queued.append((commands, outcomes))
            return state.released
        }
        if releaseNow { release() }
        return outcomes
    }

    var queuedCount: Int { state.withLock { $0.queued.reduce(0) { $0 + $1.0.count } } }
    var applied: [String] { state.withLock { $0.applied } }

    /// Applies everything queued, in order, and from now on answers at once.
    func release() {
        let batches = state.withLock { state -> [([CommandRequest], PendingOutcomes)] in
            state.released = true
            defer { state.queued.removeAll() }
            state.applied += state.queued.flatMap { $0.0.map(\.id) }
            return state.queued
        }
        for (commands, outcomes) in batches {
            outcomes.fulfil(commands.map { .ok(["id": .string($0.id)]) })
        }
    }
}
