import Foundation
import Logging
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardTopology
import ZeroMQ

// `bench recovery --load N`: the kills under traffic. The simulator (`switchboard simulate`'s
// runner, agents straight on the router) opens N conversations a second with a customer's
// message and works them with the centre's agents: signed in Available at the presence
// tracker, they accept each offer, exchange a few short messages and close. Its commands are
// retried with the same command id across the router's restarts, as any client's. Each kill is
// timed to the first offer or assignment the restarted router makes, read from its published
// events; the chaos checker keeps the record of every acknowledged opening and says at the end
// whether one was lost.
extension RecoveryBenchmark {
    /// Runs the kills and restarts under load; `router` is the running router, replaced at each restart.
    func measureUnderLoad(
        router: inout ChildProcess, arguments: [String], topologyFile: String, loop: SocketLoop,
        routerClient: CommandClient
    ) async throws -> JSONObject {
        let topology = try Topology.load(file: topologyFile)
        let centre = try topology.loadContactCentre()
        guard let routerEndpoints = topology.service(.router), let presenceEndpoints = topology.service(.presence),
            let queue = centre.routing.queues.first
        else { throw BenchmarkError("the bench topology has no router, presence tracker or queue") }
        let utterances = try UtteranceBank.locate(topologyFile: topologyFile)

        let watch = Locked(
            RouterKillWatch(offerTimeoutMilliseconds: Int64((queue.offer.timeoutSeconds * 1_000).rounded())))
        let checker = Locked(ChaosChecker())
        let routerLive = Locked(false)
        let logger = self.logger
        let recording = Task {
            await withTaskGroup(of: Void.self) { group in
                // Every event as published: no snapshot takes the place of the first ones of an epoch.
                group.addTask {
                    var options = Replica.Options()
                    // Reconnects at once to the restarted router, so its first events are not missed.
                    options.subscriberOptions.reconnectMilliseconds = 5
                    options.subscriberOptions.reconnectMaxMilliseconds = 10
                    let replica = Replica(
                        loop: loop, publish: routerEndpoints.publish, state: nil, prefixes: ["conv."], logger: logger,
                        options: options)
                    try? await replica.run { update in
                        if case .event(let event) = update { watch.withLock { $0.observe(event) } }
                    }
                }
                // The chaos checker's record: snapshots and events of the router and the presence tracker.
                for (service, endpoints) in [(ServiceName.router, routerEndpoints), (.presence, presenceEndpoints)] {
                    group.addTask {
                        var options = Replica.Options()
                        options.snapshotTimeoutSeconds = 2
                        let replica = Replica(
                            loop: loop, publish: endpoints.publish, state: endpoints.state, prefixes: [],
                            logger: logger, options: options)
                        try? await replica.run { update in
                            ChaosRun.record(update, from: service, into: checker, routerLive: routerLive)
                        }
                    }
                }
            }
        }
        defer { recording.cancel() }

        var runner = SimulationRunner(
            topology: topology, contactCentre: centre, settings: loadSettings(), utterances: utterances, logger: logger)
        runner.checkInvariants = false
        runner.commandDeadlineSeconds = Self.loadCommandDeadlineSeconds
        runner.readySeconds = 60
        runner.observer = { command, result in
            if command.type == "conversation.open", case .ok = result,
                let id = command.data["conversationId"]?.stringValue
            {
                checker.withLock { $0.acknowledgedOpen(id) }
            }
        }
        let control = SimulationRunner.Control()
        let loadStarted = ContinuousClock.now
        let load = Task { try await runner.run(control: control) }
        func stopLoad() async {
            control.request(.abort)
            _ = try? await load.value
        }

        // The agents sign in and take work before the first kill.
        let warm = await Self.eventually(seconds: Self.restartSecondsMax) {
            watch.value.decisions >= settings.loadAgents
        }
        guard warm else {
            await stopLoad()
            throw BenchmarkError("no routing under load within \(Self.restartSecondsMax) s")
        }
        try await Task.sleep(for: .milliseconds(Int64(settings.loadSecondsBetweenKills * 1_000)))

        var firsts: [Double] = []
        var answers: [Double] = []
        var cpu: [Double] = []
        var journal: [Int64] = []
        var missedStarts = 0
        var republished = 0
        for restart in 0..<settings.restarts {
            let status = try? await routerClient.send("router.status", deadlineSeconds: 10)
            journal.append(status?["journalSinceCheckpoint"]?.intValue ?? -1)
            let killedAt = WallClock.microseconds()
            watch.withLock { $0.killed(atMicroseconds: killedAt) }
            checker.withLock { $0.killed("router", atMicroseconds: killedAt) }
            let killed = ContinuousClock.now
            router.signal(SIGKILL)
            _ = await router.waitForExit(within: 30)
            router = try await ChildProcess(
                name: "router", executable: settings.serviceExecutable, arguments: ["router"] + arguments,
                captureOutput: false)
            _ = try await routerClient.send("router.status", deadlineSeconds: Self.restartSecondsMax)
            answers.append((ContinuousClock.now - killed).seconds)
            cpu.append(Self.processorSeconds(of: router.pid))
            let decided = await Self.eventually(seconds: Self.restartSecondsMax) {
                watch.value.firstDecisionMilliseconds != nil
            }
            guard decided, let first = watch.value.firstDecisionMilliseconds else {
                await stopLoad()
                throw BenchmarkError(
                    "restart \(restart + 1): the router made no decision within \(Self.restartSecondsMax) s")
            }
            firsts.append(Double(first) / 1_000)
            if watch.value.missedStart { missedStarts += 1 }
            logger.info("restart \(restart + 1): first decision \(first) ms after the kill")
            try await Task.sleep(for: .milliseconds(Int64(settings.loadSecondsBetweenKills * 1_000)))
        }
        republished = watch.value.republished

        // The load stops; the agents finish their conversations and sign out.
        let acknowledgedAtEnd = checker.value.acknowledgedCount
        let loadSeconds = (ContinuousClock.now - loadStarted).seconds
        control.request(.endEarly)
        let summary = try await load.value
        let final = try await ChaosRun.finalSnapshot(of: topology, loop: loop, security: nil, logger: logger)
        checker.withLock { $0.finish(finalRouterItems: final) }
        let verdict = checker.value

        var result = JSONObject()
        result["load"] = [
            "conversationsPerSecondAsked": .double(settings.loadPerSecond),
            "conversationsPerSecondOpened": .double(
                (Double(acknowledgedAtEnd) / max(loadSeconds, 0.001) * 10).rounded() / 10),
            "agents": .int(Int64(settings.loadAgents)), "seconds": .double(loadSeconds.rounded()),
        ]
        result["firstAssignmentSeconds"] = Self.rounded(firsts)
        result["firstAssignmentSecondsMin"] = Self.percentile(firsts, 0)
        result["firstAssignmentSecondsMedian"] = Self.percentile(firsts, 0.5)
        result["firstAssignmentSecondsP90"] = Self.percentile(firsts, 0.9)
        result["firstAssignmentSecondsMax"] = Self.percentile(firsts, 1)
        result["firstAssignmentsOverOneSecond"] = .int(Int64(firsts.filter { $0 > 1 }.count))
        result["firstAnswerSeconds"] = Self.rounded(answers)
        result["firstAnswerSecondsMedian"] = Self.percentile(answers, 0.5)
        result["firstAnswerSecondsMax"] = Self.percentile(answers, 1)
        result["routerCPUSecondsToFirstAnswerMedian"] = Self.percentile(cpu, 0.5)
        result["journalSinceCheckpointAtKill"] = .array(journal.map { .int($0) })
        // Decisions the killed router made but had not published, published again by the next.
        result["republishedDecisions"] = .int(Int64(republished))
        result["restartsWithFirstEventsMissed"] = .int(Int64(missedStarts))
        result["acknowledgedConversations"] = .int(Int64(verdict.acknowledgedCount))
        result["lost"] = .int(Int64(verdict.count(.lost)))
        result["doubleAssignments"] = .int(Int64(verdict.count(.doubleAssignment)))
        result["capacityViolations"] = .int(Int64(verdict.count(.overCapacity)))
        result["opened"] = .int(Int64(summary.opened))
        result["assigned"] = .int(Int64(summary.assigned))
        // `closed` is the line's count of conversations closed before the load.
        result["closedByAgents"] = .int(Int64(summary.closed))
        result["abandoned"] = .int(Int64(summary.abandoned))
        result["leftAtEnd"] = .int(Int64(summary.leftAtEnd))
        result["unfinished"] = .int(Int64(summary.unfinished))
        result["commandsFailed"] = .int(Int64(summary.commandsFailed))
        result["commandsRejected"] = .int(Int64(summary.commandsRejected))
        if !summary.problems.isEmpty {
            var problems = JSONObject()
            for (problem, count) in summary.problems.sorted(by: { $0.key < $1.key }) {
                problems[problem] = .int(Int64(count))
            }
            result["commandProblems"] = .object(problems)
        }
        if !verdict.violations.isEmpty {
            result["examples"] = .array(verdict.violations.prefix(5).map { .string($0.description) })
        }
        return result
    }

    /// A command of the load without a reply after this long counts as failed (it is retried
    /// with the same id until then, across restarts).
    static let loadCommandDeadlineSeconds = 30.0

    /// The simulator's customers and agents, quick: agents accept every offer within a few tenths
    /// of a second, the conversation's few messages come a few tenths apart, then the agent closes;
    /// no breaks, no one leaves before the end.
    func loadSettings() -> SimulationSettings {
        var simulation = SimulationSettings()
        // Ended early by the bench once the kills are done.
        simulation.durationSeconds = 86_400
        simulation.conversationsPerSecond = settings.loadPerSecond
        simulation.seed = settings.seed
        simulation.agentPath = .router
        simulation.drainSecondsMax = 30
        simulation.customers.replySeconds = 0.1...0.4
        simulation.agents.signInSpreadSeconds = 1
        simulation.agents.answerOfferSeconds = 0.1...0.3
        simulation.agents.declineShare = 0
        simulation.agents.replySeconds = 0.1...0.4
        simulation.agents.wrapUpSeconds = 0.2...0.5
        simulation.agents.breakEverySeconds = 86_400 * 365
        simulation.agents.earlySignOutShare = 0
        return simulation
    }

    static func eventually(seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1_000)))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    static func rounded(_ seconds: [Double]) -> JSON {
        .array(seconds.map { .double(($0 * 1_000).rounded() / 1_000) })
    }

    /// The nearest-rank percentile (`fraction` 0 is the least, 1 the greatest), to the millisecond.
    static func percentile(_ values: [Double], _ fraction: Double) -> JSON {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .null }
        let rank = max(1, Int((fraction * Double(sorted.count)).rounded(.up)))
        return .double((sorted[min(rank, sorted.count) - 1] * 1_000).rounded() / 1_000)
    }
}
