import Foundation
public import Logging
import NIOHTTP1
public import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardTopology

/// `switchboard bench gateway`: `agents` agents on desk sockets of one gateway while
/// `customers` connectors' customers chat through its API. Writes a contact centre of its own
/// (one chat queue, direct assignment, a large chat capacity), a topology on free loopback
/// ports (router, presence, desk, gateway with bcrypt cost 4 and generous limits), sets every
/// password and an API key through the gateway's admin code, starts `switchboard up`, signs
/// every agent in (`POST /signin`) and opens their desk sockets; then opens the conversations,
/// waits until each reached an agent's socket, and sends messages at a fixed rate spread over
/// them. Delivery is the time from sending a message's POST to its line arriving at the agent's
/// socket (raw, and corrected for coordinated omission at the fixed rate); fan-out is the time
/// from the line's `at` (when the desk appended it, milliseconds) to the same arrival.
public struct GatewayBenchmark: Sendable {
    public struct Settings: Sendable {
        public var agents = 1_000
        public var customers = 200
        public var rate = 200
        public var seconds = 20.0
        /// The `switchboard` binary to start `up` from.
        public var executable = ChildProcess.currentExecutable

        public init() {}
    }

    public let settings: Settings
    public let logger: Logger
    static let password = "bench-password"
    static let keyName = "bench"

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws -> JSON {
        guard settings.agents > 0, settings.customers > 0, settings.rate > 0, settings.seconds > 0 else {
            throw BenchmarkError("--agents, --customers, --rate and --seconds must be positive")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-bench-gateway-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (topologyFile, port) = try writeFiles(in: directory)
        // Passwords and the connector's key are set as an operator would, with the binary.
        let passwordFile = directory.appendingPathComponent("password").path
        try Data(Self.password.utf8).write(to: URL(fileURLWithPath: passwordFile))
        _ = try await Self.runTool(
            settings.executable,
            ["gateway", "passwords", "set", "--topology", topologyFile, "--password-file", passwordFile]
                + (0..<settings.agents).map { "agent-\($0)" })
        guard
            let apiKey = try await Self.runTool(
                settings.executable, ["gateway", "apikeys", "create", "--topology", topologyFile, Self.keyName]
            ).last
        else { throw BenchmarkError("`switchboard gateway apikeys create` printed no key") }

        let up = try await ChildProcess(
            name: "up", executable: settings.executable,
            arguments: ["up", "--topology", topologyFile, "--json", "--log-level", "warning"])
        defer { up.signal(SIGTERM) }
        let gatewayPid = Locked<Int32?>(nil)
        let reading = Task {
            for await line in up.lines {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    object["event"] as? String == "started", object["service"] as? String == "gateway",
                    let pid = (object["pid"] as? NSNumber)?.int32Value
                else { continue }
                gatewayPid.withLock { $0 = pid }
            }
        }
        defer { reading.cancel() }

        let interval = 1.0 / Double(settings.rate)
        let tracker = GatewayDeliveryTracker(expectedIntervalMicroseconds: UInt64(interval * 1_000_000))
        let start = StartSignal()
        let outcome: Result<JSON, any Error> = await withTaskGroup(of: Void.self) { group in
            let result: Result<JSON, any Error>
            do {
                result = .success(
                    try await measure(
                        port: port, apiKey: apiKey, tracker: tracker, start: start, group: &group,
                        gatewayPid: { gatewayPid.value ?? Self.findGateway(topologyFile) }))
            } catch {
                result = .failure(error)
            }
            // Stopping `up` closes every socket and connection, which ends every client task.
            start.fire(nil)
            up.signal(SIGTERM)
            _ = await up.stop(graceSeconds: 20)
            group.cancelAll()
            return result
        }
        return try outcome.get()
    }

    private func measure(
        port: Int, apiKey: String, tracker: GatewayDeliveryTracker, start: StartSignal,
        group: inout TaskGroup<Void>, gatewayPid: @escaping @Sendable () -> Int32?
    ) async throws -> JSON {
        // The gateway answering.
        let answering = ContinuousClock.now.advanced(by: .seconds(120))
        while true {
            let status = try? await LoopbackHTTP.withConnection(port: port) {
                try await $0.send(.GET, "/signin").status
            }
            if status == 200 { break }
            guard ContinuousClock.now < answering else {
                throw BenchmarkError(
                    "the gateway did not answer on 127.0.0.1:\(port) within 120 s; run with --log-level info")
            }
            try await Task.sleep(for: .milliseconds(300))
        }

        // Sign-ins, a few keep-alive connections at once.
        let signinStarted = ContinuousClock.now
        let sessions = Locked([Int: String]())
        let agents = settings.agents
        try await withThrowingTaskGroup(of: Void.self) { signins in
            let workers = min(8, agents)
            for worker in 0..<workers {
                signins.addTask {
                    try await LoopbackHTTP.withConnection(port: port) { http in
                        let form = try await http.send(.GET, "/signin")
                        guard let csrf = form.cookie("sb_csrf") else {
                            throw BenchmarkError("GET /signin set no sb_csrf cookie (status \(form.status))")
                        }
                        for index in stride(from: worker, to: agents, by: workers) {
                            let body = "username=agent-\(index)&password=\(Self.password)&csrf=\(csrf)&next=%2Fdesk"
                            let answer = try await http.send(
                                .POST, "/signin",
                                headers: [
                                    ("Cookie", "sb_csrf=\(csrf)"), ("Origin", "http://127.0.0.1:\(port)"),
                                    ("Content-Type", "application/x-www-form-urlencoded"),
                                ], body: body)
                            guard answer.status == 303, let session = answer.cookie("sb_session") else {
                                throw BenchmarkError(
                                    "agent-\(index) could not sign in: \(answer.status) \(answer.body.prefix(200))")
                            }
                            sessions.withLock { $0[index] = session }
                        }
                    }
                }
            }
            try await signins.waitForAll()
        }
        let signinSeconds = (ContinuousClock.now - signinStarted).seconds

        // Desk sockets, at most 50 connecting at once.
        let socketsStarted = ContinuousClock.now
        for (index, session) in sessions.value.sorted(by: { $0.key < $1.key }) {
            group.addTask {
                do {
                    try await DeskSocketClient.run(port: port, session: session, agent: index, tracker: tracker)
                } catch {
                    tracker.failed("agent-\(index)'s socket: \(error)", \.socketsFailed)
                }
            }
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while index + 1 - tracker.state.withLock({ $0.socketsConnected + $0.socketsFailed }) >= 50,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        try await waitUntil(tracker, seconds: 120) { $0.agentsAvailable + $0.socketsFailed >= agents }
        let socketsSeconds = (ContinuousClock.now - socketsStarted).seconds
        guard tracker.state.value.agentsAvailable > 0 else {
            throw BenchmarkError(
                "no desk socket became Available: \(tracker.state.value.firstFailures.joined(separator: "; "))")
        }

        // Conversations: each customer has a keep-alive connection of their own, opens, then
        // sends its share of the messages at their due times.
        let customers = settings.customers
        let total = Int(Double(settings.rate) * settings.seconds)
        let interval = 1.0 / Double(settings.rate)
        for customer in 0..<customers {
            group.addTask {
                do {
                    try await LoopbackHTTP.withConnection(port: port) { http in
                        func post(_ path: String, _ key: String, _ body: String) async throws -> LoopbackHTTP.Response {
                            try await http.send(
                                .POST, path,
                                headers: [
                                    ("Authorization", "Bearer \(apiKey)"), ("Idempotency-Key", key),
                                    ("Content-Type", "application/json"),
                                ], body: body)
                        }
                        let opened = try await post(
                            "/api/v1/conversations", "open-\(customer)",
                            #"{"queue":"bench","customerId":"c\#(customer)","text":"bench-open-\#(customer) hello"}"#)
                        guard opened.status == 201,
                            let object = try? JSONSerialization.jsonObject(with: Data(opened.body.utf8))
                                as? [String: Any],
                            let conversation = object["conversationId"] as? String
                        else {
                            tracker.failed(
                                "open \(customer): \(opened.status) \(opened.body.prefix(200))", \.openFailed)
                            return
                        }
                        tracker.opened()
                        guard let start = await start.wait() else { return }
                        for sequence in stride(from: customer, to: total, by: customers) {
                            let due = start.advanced(by: .microseconds(Int64(Double(sequence) * interval * 1_000_000)))
                            if due > .now { try await Task.sleep(until: due) }
                            tracker.sending(sequence)
                            let answer = try await post(
                                "/api/v1/conversations/\(conversation)/messages", "msg-\(sequence)",
                                #"{"text":"bench-msg-\#(sequence) where is my order?"}"#)
                            tracker.sendFinished(
                                ok: answer.status == 201,
                                "message \(sequence): \(answer.status) \(answer.body.prefix(200))")
                        }
                    }
                } catch {
                    tracker.failed("customer \(customer): \(error)", \.openFailed)
                }
            }
        }
        try await waitUntil(tracker, seconds: 60) { $0.opened + $0.openFailed >= customers }
        let opened = tracker.state.value.opened
        try await waitUntil(tracker, seconds: 60) { $0.assigned.count >= opened }
        let assigned = tracker.state.value.assigned.count

        start.fire(.now.advanced(by: .milliseconds(200)))
        // Every message sent (the sends may lag behind their due times), then delivered.
        let expectedSends = total - (customers - opened) * (total / max(customers, 1))
        try await waitUntil(tracker, seconds: settings.seconds + 60) { $0.sendsFinished >= expectedSends }
        try await waitUntil(tracker, seconds: 10) { $0.delivered.count >= $0.sent.count - $0.sendFailed }
        let memory = gatewayPid().flatMap(Self.memory)

        let state = tracker.state.value
        func micros(_ value: UInt64) -> JSON { .number(Int(value)) }
        var result = JSONObject([
            ("bench", "gateway"), ("agents", .number(settings.agents)),
            ("agentsAvailable", .number(state.agentsAvailable)), ("socketsFailed", .number(state.socketsFailed)),
            ("customers", .number(customers)), ("conversationsOpened", .number(opened)),
            ("conversationsAssigned", .number(assigned)), ("ratePerSecond", .number(settings.rate)),
            ("seconds", .double(settings.seconds)),
            ("signinSeconds", .double((signinSeconds * 100).rounded() / 100)),
            ("socketsSeconds", .double((socketsSeconds * 100).rounded() / 100)),
            ("messagesSent", .number(state.sent.count - state.sendFailed)),
            ("messagesFailed", .number(state.sendFailed)),
            ("messagesDelivered", .number(state.delivered.count)),
            ("messagesLost", .number(max(0, state.sent.count - state.sendFailed - state.delivered.count))),
            ("deliveryP50Microseconds", micros(state.delivery.value(atPercentile: 50))),
            ("deliveryP99Microseconds", micros(state.delivery.value(atPercentile: 99))),
            ("deliveryMaxMicroseconds", micros(state.delivery.maxRecorded)),
            ("deliveryP50MicrosecondsCorrected", micros(state.delivery.correctedValue(atPercentile: 50))),
            ("deliveryP99MicrosecondsCorrected", micros(state.delivery.correctedValue(atPercentile: 99))),
            ("fanOutMeasures", "message at (desk appended it, ms resolution) -> agent socket received it"),
            ("fanOutP50Microseconds", micros(state.fanOut.value(atPercentile: 50))),
            ("fanOutP99Microseconds", micros(state.fanOut.value(atPercentile: 99))),
        ])
        if let memory {
            result["gatewayRSSKiB"] = .number(memory.rss)
            result["gatewayPeakRSSKiB"] = .number(memory.peak)
        }
        if !state.firstFailures.isEmpty {
            result["firstFailures"] = .array(state.firstFailures.map { .string($0) })
        }
        return .object(result)
    }

    /// Polls the tracker until `condition` holds or `seconds` pass (then goes on: the figures say what was missed).
    private func waitUntil(
        _ tracker: GatewayDeliveryTracker, seconds: Double, _ condition: (GatewayDeliveryTracker.State) -> Bool
    ) async throws {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1_000)))
        while ContinuousClock.now < deadline {
            if condition(tracker.state.value) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
