import SwitchboardBus
public import SwitchboardRouting

/// The simulation's logic, with no I/O: customers who arrive, wait, talk and give up, and
/// agents who sign in, take offers, talk, close, wrap up, take breaks and sign out. It is fed
/// the time, what the router says about conversations and how its commands ended, and
/// returns the commands to send. The shell (`SimulationRunner`) carries them out over the
/// bus; tests drive it by hand.
///
/// Time is seconds since the start of the run. Each conversation and each agent draws from a
/// random stream of its own (derived from the seed), so the same seed makes the same choices
/// whatever order the real processes' answers come in.
public struct SimulationCore: Sendable {
    public enum Phase: Sendable, Equatable {
        case notStarted
        /// Customers arrive.
        case running
        /// No more arrivals; agents finish their conversations and sign out.
        case draining
        case finished
    }

    enum Timer: Sendable {
        case arrival
        case endOfRun
        case drainDeadline
        case signIn(AgentID)
        case heartbeat(AgentID)
        case breakStart(AgentID)
        case breakEnd(AgentID)
        case shiftEnd(AgentID)
        case answerOffer(ConversationID, AgentID)
        case turn(ConversationID, Int)
        case close(ConversationID)
        case endWrapUp(ConversationID)
        case patience(ConversationID)
    }

    let settings: SimulationSettings
    let mix: TrafficMix
    let utterances: UtteranceBank
    let centreName: String
    /// Makes this run's ids unique in a router that kept earlier runs' conversations.
    let runTag: String

    var arrivals: ArrivalProcess
    var timers = TimerQueue<Timer>()
    var conversations: [ConversationID: SimulatedConversation] = [:]
    var agents: [AgentID: SimulatedAgent] = [:]
    let agentOrder: [AgentID]
    var returningPool: [ReturningCustomer] = []
    /// Ended conversations, oldest first, forgotten past `endedKeptMax`.
    var endedOrder: [ConversationID] = []
    var nextConversationNumber = 1
    var nextCustomerNumber = 1
    var startedAt = 0.0
    public internal(set) var phase: Phase = .notStarted
    public internal(set) var summary = SimulationSummary()
    /// Commands produced by the call in progress.
    var outbox: [SimulationCommand] = []

    /// Customers kept for a possible return (the oldest are forgotten first).
    static let returningPoolMax = 10_000
    static let endedKeptMax = 2_000
    /// Close is retried this many times before the simulation gives up on a conversation.
    static let closeAttemptsMax = 3
    /// How often an agent on a call looks again whether they can get back to a chat.
    static let callWaitSeconds = 2.0
    /// An offer's answer is sent again this many times after a refusal (while it is still offered).
    static let answerAttemptsMax = 3

    public init(
        settings: SimulationSettings, mix: TrafficMix, utterances: UtteranceBank, agents: [AgentID],
        centreName: String, runTag: String
    ) {
        self.settings = settings
        self.mix = mix
        self.utterances = utterances
        self.centreName = centreName
        self.runTag = runTag
        arrivals = ArrivalProcess(
            rates: mix.rates(total: settings.conversationsPerSecond),
            seed: Self.derivedSeed(settings.seed, stream: 1, index: 0))
        agentOrder = agents
        for (index, id) in agents.enumerated() {
            self.agents[id] = SimulatedAgent(
                id: id, random: SimulationRandom(seed: Self.derivedSeed(settings.seed, stream: 2, index: UInt64(index)))
            )
        }
        summary.seed = settings.seed
        summary.durationSeconds = settings.durationSeconds
        summary.conversationsPerSecond = settings.conversationsPerSecond
        summary.agentPath = settings.agentPath.rawValue
        summary.utteranceOrigin = utterances.origin.rawValue
        summary.utterancePath = utterances.path
    }

    // MARK: Entry points

    /// Starts the run at `now`: agents sign in over the first seconds, customers start arriving.
    public mutating func start(at now: Double) -> [SimulationCommand] {
        guard phase == .notStarted else { return [] }
        phase = .running
        startedAt = now
        timers.schedule(.endOfRun, at: now + settings.durationSeconds)
        for id in agentOrder {
            guard var agent = agents[id] else { continue }
            let signIn = now + agent.random.uniform(0...max(0, settings.agents.signInSpreadSeconds))
            timers.schedule(.signIn(id), at: signIn)
            if agent.random.chance(settings.agents.earlySignOutShare) {
                // Somewhere in the middle of the run, so their work is handed back while it runs.
                let end = now + settings.durationSeconds * agent.random.uniform(0.3...0.8)
                timers.schedule(.shiftEnd(id), at: max(end, signIn + 1))
            }
            agents[id] = agent
        }
        scheduleNextArrival()
        return advance(to: now)
    }

    /// Fires every timer due by `now`.
    public mutating func advance(to now: Double) -> [SimulationCommand] {
        while let (due, timer) = timers.popDue(by: now) {
            fire(timer, at: max(due, now))
            if phase == .finished { break }
        }
        checkFinished(at: now)
        return takeOutbox()
    }

    /// What the router said about a conversation (an event or a snapshot item).
    public mutating func observe(_ observation: ConversationObservation, at now: Double) -> [SimulationCommand] {
        if conversations[observation.conversation] != nil {
            apply(observation, at: now)
        }
        checkFinished(at: now)
        return takeOutbox()
    }

    /// How a command the simulation asked for ended.
    public mutating func finished(
        _ command: SimulationCommand, result: SimulationCommandResult, at now: Double
    ) -> [SimulationCommand] {
        switch result {
        case .ok: break
        case .rejected(let code, let message):
            summary.commandsRejected += 1
            noteProblem("\(command.type): \(code)", message)
        case .failed(let message):
            summary.commandsFailed += 1
            noteProblem("\(command.type): no reply", message)
        }
        react(to: command.purpose, result: result, at: now)
        checkFinished(at: now)
        return takeOutbox()
    }

    /// Ends the arrivals now rather than at the end of the duration; agents finish and sign out.
    public mutating func endEarly(at now: Double) -> [SimulationCommand] {
        beginDrain(at: now)
        checkFinished(at: now)
        return takeOutbox()
    }

    /// Stops at once (the system is going away): nothing more is sent.
    public mutating func stop(at now: Double) {
        finish(at: now)
    }

    /// When the next timer is due (the shell wakes the core then).
    public var nextDue: Double? { timers.nextDue }

    /// Conversations not closed or abandoned yet.
    public var openConversations: Int { conversations.values.filter { !$0.ended }.count }

    /// The agent ids the simulation plays, in order.
    public var agentIDs: [AgentID] { agentOrder }

    // MARK: Timers

    private mutating func fire(_ timer: Timer, at now: Double) {
        switch timer {
        case .arrival:
            guard phase == .running else { return }
            if let arrival = arrivals.take() { arrive(queue: arrival.queue, at: now) }
            scheduleNextArrival()
        case .endOfRun:
            beginDrain(at: now)
        case .drainDeadline:
            finish(at: now)
        case .signIn(let id): signIn(id, at: now)
        case .heartbeat(let id): heartbeat(id, at: now)
        case .breakStart(let id): startBreak(id, at: now)
        case .breakEnd(let id): endBreak(id, at: now)
        case .shiftEnd(let id): endShift(id, at: now)
        case .answerOffer(let id, let agent): answerOffer(id, agent: agent, at: now)
        case .turn(let id, let turn): sendTurn(id, turn: turn, at: now)
        case .close(let id): close(id, at: now)
        case .endWrapUp(let id): endWrapUp(id, at: now)
        case .patience(let id): runOutOfPatience(id, at: now)
        }
    }

    private mutating func scheduleNextArrival() {
        guard let next = arrivals.nextTime else { return }
        let at = startedAt + next
        if at < startedAt + settings.durationSeconds { timers.schedule(.arrival, at: at) }
    }

    private mutating func beginDrain(at now: Double) {
        guard phase == .running else { return }
        phase = .draining
        timers.schedule(.drainDeadline, at: now + settings.drainSecondsMax)
        for id in agentOrder {
            if agents[id]?.phase == .signedOut {
                agents[id]?.phase = .signedOff
            } else {
                endShift(id, at: now)
            }
        }
        for conversation in conversations.values.sorted(by: { $0.number < $1.number }) {
            if conversation.isWaiting && conversation.state != .offered {
                leave(conversation.id, at: now)
            } else if conversation.state == .assigned {
                progress(conversation.id, at: now)
            }
        }
    }

    private mutating func finish(at now: Double) {
        guard phase != .finished else { return }
        phase = .finished
        summary.elapsedSeconds = now - startedAt
        summary.unfinished = openConversations
    }

    /// The run is over once it drains with every agent signed out and every conversation ended.
    private mutating func checkFinished(at now: Double) {
        guard phase == .draining else { return }
        let agentsDone = agents.values.allSatisfy { $0.phase == .signedOff }
        if agentsDone && openConversations == 0 { finish(at: now) }
    }

    private mutating func noteProblem(_ key: String, _ message: String) {
        summary.problems[key, default: 0] += 1
        if summary.problemExamples[key] == nil { summary.problemExamples[key] = String(message.prefix(200)) }
    }

    mutating func emit(_ command: SimulationCommand) {
        summary.commandsSent += 1
        outbox.append(command)
    }

    private mutating func takeOutbox() -> [SimulationCommand] {
        defer { outbox.removeAll() }
        return outbox
    }

    /// A seed for one stream of draws (arrivals, one agent, one conversation) from the run's seed.
    static func derivedSeed(_ seed: UInt64, stream: UInt64, index: UInt64) -> UInt64 {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        var value = mixer.next()
        var second = SplitMix64(seed: value ^ (index &* 0xD1B5_4A32_D192_ED03))
        value = second.next()
        return value
    }
}
