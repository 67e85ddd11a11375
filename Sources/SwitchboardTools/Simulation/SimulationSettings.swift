public import SwitchboardRouting

/// How a simulation run behaves: how long, how busy, and how its customers and agents act.
/// Every random choice comes from `seed`, so two runs with the same settings make the same
/// choices (only the moments the real processes answer differ).
public struct SimulationSettings: Sendable, Equatable {
    /// New conversations stop after this long; then the run drains and ends.
    public var durationSeconds: Double = 60
    /// Conversations opened per second over the whole contact centre (split by queue weights).
    public var conversationsPerSecond: Double = 1
    public var seed: UInt64 = 1
    /// How agents act on offers, replies, close and wrap-up: through the desk (as a person's
    /// UI would), or straight on the router (when no desk runs).
    public var agentPath: AgentPath = .desk
    public var customers = CustomerBehaviour()
    public var agents = AgentBehaviour()
    /// After `durationSeconds`, how long agents get to finish their conversations before the
    /// run stops anyway.
    public var drainSecondsMax: Double = 30
    /// Agents the simulation leaves alone, for a person to work in a browser (the demo keeps one):
    /// it does not sign them in, and sends nothing to queues only they serve.
    public var agentsLeftToPeople: Set<AgentID> = []

    public init() {}

    public enum AgentPath: String, Sendable, Equatable, CaseIterable {
        case desk
        case router
    }

    /// What the simulated customers do.
    public struct CustomerBehaviour: Sendable, Equatable {
        /// The share of arrivals that are customers coming back after a closed conversation
        /// (within the sticky window, so stickiness is exercised).
        public var returningShare = 0.3
        /// A returning customer raises the same product line (topic) with this probability.
        public var sameTopicShare = 0.8
        /// How long a customer waits before giving up, per channel, drawn uniformly from the
        /// range; a channel left out never gives up (email, cases).
        public var patienceSeconds: [Channel: ClosedRange<Double>] = [
            .chat: 10...90, .messaging: 30...240, .voice: 8...60,
        ]
        /// Seconds a customer takes to answer an agent, drawn uniformly.
        public var replySeconds = 1.0...4.0

        public init() {}
    }

    /// What the simulated agents do.
    public struct AgentBehaviour: Sendable, Equatable {
        /// Agents sign in spread over this many seconds at the start.
        public var signInSpreadSeconds = 3.0
        /// Between two presence heartbeats (the tracker's timeout is 15 s by default).
        public var heartbeatSeconds = 5.0
        /// Seconds to answer an offer, drawn uniformly.
        public var answerOfferSeconds = 0.3...2.0
        /// The share of offers declined.
        public var declineShare = 0.05
        /// Seconds to type a reply, drawn uniformly.
        public var replySeconds = 1.0...3.0
        /// Seconds a voice call lasts, drawn uniformly (calls carry no chat messages).
        public var callSeconds = 6.0...20.0
        /// Seconds an agent works a case before closing it, drawn uniformly.
        public var caseSeconds = 5.0...15.0
        /// Seconds of wrap-up before the agent ends it with a disposition, drawn uniformly.
        public var wrapUpSeconds = 1.0...4.0
        /// Mean seconds between two breaks of one agent (exponentially distributed).
        public var breakEverySeconds = 120.0
        /// Length of a break, drawn uniformly.
        public var breakSeconds = 5.0...20.0
        /// The share of agents who end their shift during the run (the rest at its end).
        public var earlySignOutShare = 0.1

        public init() {}
    }
}
