public import SwitchboardRouting
public import SwitchboardTopology

/// One queue as the simulator's customers see it: where they arrive, in which language,
/// about which product line, and how much of the traffic it gets.
public struct SimulatedQueue: Sendable, Equatable {
    public var id: QueueID
    public var channel: Channel
    /// The language skill the queue requires (`english`, `spanish`…); nil when it requires none.
    public var language: SkillID?
    /// The product skills the queue requires (`cards` for a cards queue); empty for a general queue.
    public var productSkills: [SkillID]
    /// Its share of the arrivals, relative to the other queues' weights.
    public var weight: Double
    /// True when the queue holds capacity after close until the agent ends wrap-up.
    public var hasWrapUp: Bool

    public init(
        id: QueueID, channel: Channel, language: SkillID?, productSkills: [SkillID], weight: Double, hasWrapUp: Bool
    ) {
        self.id = id
        self.channel = channel
        self.language = language
        self.productSkills = productSkills
        self.weight = weight
        self.hasWrapUp = hasWrapUp
    }

    /// True for queues whose customers write English (or no language is required).
    public var isEnglish: Bool { language == nil || language == TrafficMix.english }
}

/// The queues of a contact centre with the share of traffic each gets. The weights are ours:
/// chat carries most of a bank's digital contacts, then messaging and phone, then email and
/// cases; queues in languages other than English and specialist queues get less.
public struct TrafficMix: Sendable, Equatable {
    public var queues: [SimulatedQueue]

    public static let english = SkillID("english")

    /// Relative weight of a queue by its channel.
    public static let channelWeights: [Channel: Double] = [
        .chat: 4, .messaging: 2, .voice: 2, .email: 1, .case: 0.5,
    ]
    /// A queue that requires a language other than English gets this share of its channel weight.
    public static let otherLanguageFactor = 0.35
    /// A queue that requires a product skill or a tier above first line (a specialist queue)
    /// gets this share.
    public static let specialistFactor = 0.5

    public init(queues: [SimulatedQueue]) {
        self.queues = queues
    }

    /// The mix for `contactCentre`: every queue that at least one agent serves on its channel.
    public init(contactCentre: ContactCentre) {
        let kinds = Dictionary(
            contactCentre.routing.skills.map { ($0.id, $0.kind) }, uniquingKeysWith: { first, _ in first })
        // The catalog's first tier is first line: a queue needing a later one is a specialist's.
        let firstTier = contactCentre.routing.skills.first { $0.kind == .tier }?.id
        var queues: [SimulatedQueue] = []
        for queue in contactCentre.routing.queues {
            let served = contactCentre.agents.contains { agent in
                contactCentre.capacity(of: agent, on: queue.channel) > 0
                    && contactCentre.servedQueues(of: agent).contains(queue.id)
            }
            guard served else { continue }
            let language = queue.requiredSkills.first { kinds[$0.skill] == .language }?.skill
            let products = queue.requiredSkills.filter { kinds[$0.skill] == .product }.map(\.skill)
            let higherTier = queue.requiredSkills.contains { kinds[$0.skill] == .tier && $0.skill != firstTier }
            var weight = Self.channelWeights[queue.channel] ?? 1
            if let language, language != Self.english { weight *= Self.otherLanguageFactor }
            if !products.isEmpty || higherTier { weight *= Self.specialistFactor }
            queues.append(
                SimulatedQueue(
                    id: queue.id, channel: queue.channel, language: language, productSkills: products, weight: weight,
                    hasWrapUp: queue.wrapUpSeconds > 0))
        }
        self.queues = queues
    }

    /// Each queue's arrival rate (conversations per second) when the whole centre gets `total`.
    public func rates(total: Double) -> [Double] {
        let sum = queues.reduce(0) { $0 + max($1.weight, 0) }
        guard sum > 0 else { return queues.map { _ in 0 } }
        return queues.map { total * max($0.weight, 0) / sum }
    }
}
