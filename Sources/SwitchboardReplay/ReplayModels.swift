import Foundation
public import SwitchboardRouting

/// How a conversation behaves once the what-if run has sent it elsewhere than the recording
/// did, estimated from the recorded day. Every draw is seeded by the conversation's id, so a
/// replay gives the same answer each time it runs.
public struct ReplayModels: Sendable {
    /// Patience per queue: exponential, its mean estimated with censoring (every observed wait,
    /// answered or not, over the number who abandoned). Nil: nobody abandoned, nobody leaves.
    public var patienceMeanSeconds: [QueueID: Double] = [:]
    public var patience: [PatienceModel] = []
    /// Handling (first assignment to close) per channel: the recorded durations with the load
    /// they were handled at, each agent's mean, and the load factor (extra time per item per
    /// concurrent item).
    public var handling: [HandlingModel] = []
    /// Offer-to-accept delay and wrap-up: medians per agent and channel, else per channel.
    public var acceptDelay: [MedianModel] = []
    public var wrapUp: [MedianModel] = []

    private var handlingByChannel: [Channel: HandlingModel] = [:]
    private var agentHandlingMean: [AgentID: [Channel: Double]] = [:]
    private var acceptByAgent: [AgentID: [Channel: Double]] = [:]
    private var acceptByChannel: [Channel: Double] = [:]
    private var wrapUpByAgent: [AgentID: [Channel: Double]] = [:]
    private var wrapUpByChannel: [Channel: Double] = [:]

    public struct PatienceModel: Sendable, Hashable, Codable {
        public var queue: String
        public var meanSeconds: Double?
        public var abandoned: Int
        public var answered: Int
    }

    public struct HandlingModel: Sendable, Hashable, Codable {
        public var channel: String
        public var meanSeconds: Double
        public var loadFactor: Double
        public var samples: Int
        /// Durations taken back to one item at a time, for conversations the recording never answered.
        var baseSamples: [Double] = []

        enum CodingKeys: String, CodingKey { case channel, meanSeconds, loadFactor, samples }
    }

    public struct MedianModel: Sendable, Hashable, Codable {
        public var channel: String
        public var agent: String?
        public var medianSeconds: Double
        public var samples: Int
    }

    public init() {}

    /// Estimates every model from the conversations the recorded run saw opened in its window.
    public init(recorded trace: ReplayTrace, since: RoutingInstant, until: RoutingInstant) {
        let records = trace.order.compactMap { trace.conversations[$0] }.filter {
            $0.openedAt >= since && $0.openedAt <= until
        }
        estimatePatience(records)
        estimateHandling(records)
        (acceptByAgent, acceptByChannel, acceptDelay) = Self.medians(records.compactMap { record in
            record.acceptDelaySeconds.flatMap { delay in record.firstAssignment.map { ($0.agent, record.channel, delay) } }
        })
        (wrapUpByAgent, wrapUpByChannel, wrapUp) = Self.medians(records.compactMap { record in
            record.wrapUpSeconds.flatMap { seconds in record.firstAssignment.map { ($0.agent, record.channel, seconds) } }
        })
    }

    private mutating func estimatePatience(_ records: [ConversationRecord]) {
        var waited: [QueueID: Double] = [:]
        var abandoned: [QueueID: Int] = [:]
        var answered: [QueueID: Int] = [:]
        for record in records {
            if let wait = record.abandonedWaitSeconds {
                waited[record.queue, default: 0] += wait
                abandoned[record.queue, default: 0] += 1
            } else if let wait = record.waitSeconds {
                waited[record.queue, default: 0] += wait
                answered[record.queue, default: 0] += 1
            }
        }
        for queue in Set(waited.keys).union(abandoned.keys).union(answered.keys).sorted() {
            let count = abandoned[queue] ?? 0
            let mean = count > 0 ? (waited[queue] ?? 0) / Double(count) : nil
            patienceMeanSeconds[queue] = mean
            patience.append(
                PatienceModel(queue: queue.rawValue, meanSeconds: mean, abandoned: count, answered: answered[queue] ?? 0))
        }
    }

    /// The load factor per channel is the slope over the intercept of a least-squares line of
    /// duration (over the agent's mean) against concurrent items minus one; never below 0.
    private mutating func estimateHandling(_ records: [ConversationRecord]) {
        var byAgent: [AgentID: [Channel: (sum: Double, count: Int)]] = [:]
        var samples: [Channel: [(seconds: Double, agent: AgentID, extra: Double)]] = [:]
        for record in records {
            guard let seconds = record.handlingSeconds, let agent = record.firstAssignment?.agent else { continue }
            byAgent[agent, default: [:]][record.channel, default: (0, 0)].sum += seconds
            byAgent[agent, default: [:]][record.channel, default: (0, 0)].count += 1
            samples[record.channel, default: []].append((seconds, agent, Double(record.loadAtAssignment - 1)))
        }
        for (agent, channels) in byAgent {
            for (channel, total) in channels where total.count > 0 {
                agentHandlingMean[agent, default: [:]][channel] = total.sum / Double(total.count)
            }
        }
        for (channel, list) in samples.sorted(by: { $0.key < $1.key }) {
            let ratios = list.map { sample -> (Double, Double) in
                let mean = agentHandlingMean[sample.agent]?[channel] ?? 0
                return (mean > 0 ? sample.seconds / mean : 1, sample.extra)
            }
            let meanX = ratios.map(\.1).reduce(0, +) / Double(ratios.count)
            let meanY = ratios.map(\.0).reduce(0, +) / Double(ratios.count)
            let covariance = ratios.reduce(0) { $0 + ($1.1 - meanX) * ($1.0 - meanY) }
            let variance = ratios.reduce(0) { $0 + ($1.1 - meanX) * ($1.1 - meanX) }
            var factor = 0.0
            if variance > 0 {
                let slope = covariance / variance
                let intercept = meanY - slope * meanX
                if intercept > 0 { factor = max(0, slope / intercept) }
            }
            let mean = list.map(\.seconds).reduce(0, +) / Double(list.count)
            let model = HandlingModel(
                channel: channel.rawValue, meanSeconds: mean, loadFactor: factor, samples: list.count,
                baseSamples: list.map { $0.seconds / (1 + factor * $0.extra) })
            handlingByChannel[channel] = model
            handling.append(model)
        }
    }

    private static func medians(
        _ samples: [(AgentID, Channel, Double)]
    ) -> ([AgentID: [Channel: Double]], [Channel: Double], [MedianModel]) {
        var byAgent: [AgentID: [Channel: [Double]]] = [:]
        var byChannel: [Channel: [Double]] = [:]
        for (agent, channel, seconds) in samples {
            byAgent[agent, default: [:]][channel, default: []].append(seconds)
            byChannel[channel, default: []].append(seconds)
        }
        var models: [MedianModel] = []
        var channelMedians: [Channel: Double] = [:]
        for (channel, list) in byChannel.sorted(by: { $0.key < $1.key }) {
            channelMedians[channel] = median(list)
            models.append(MedianModel(channel: channel.rawValue, agent: nil, medianSeconds: median(list), samples: list.count))
        }
        var agentMedians: [AgentID: [Channel: Double]] = [:]
        for (agent, channels) in byAgent.sorted(by: { $0.key < $1.key }) {
            for (channel, list) in channels.sorted(by: { $0.key < $1.key }) {
                agentMedians[agent, default: [:]][channel] = median(list)
                models.append(
                    MedianModel(
                        channel: channel.rawValue, agent: agent.rawValue, medianSeconds: median(list), samples: list.count))
            }
        }
        return (agentMedians, channelMedians, models)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    // MARK: Drawing

    /// How long the customer waits before leaving: the recorded wait when they left in the
    /// recording; past the recorded wait (memoryless) when they were answered; else a fresh draw.
    /// Nil: they never leave.
    public func patienceSeconds(of record: ConversationRecord?, queue: QueueID, id: ConversationID) -> Double? {
        if let waited = record?.abandonedWaitSeconds { return waited }
        guard let mean = patienceMeanSeconds[queue] else { return nil }
        var random = Self.random(id, salt: 1)
        let draw = -mean * log(1 - Double.random(in: 0..<1, using: &random))
        return (record?.waitSeconds ?? 0) + draw
    }

    /// Handling time of `record` by `agent` at `load` items on the channel (this one included).
    public func handlingSeconds(
        of record: ConversationRecord?, channel: Channel, agent: AgentID, load: Int, id: ConversationID
    ) -> Double {
        let model = handlingByChannel[channel]
        let factor = model?.loadFactor ?? 0
        let newMean = agentHandlingMean[agent]?[channel] ?? model?.meanSeconds
        if let record, let recorded = record.handlingSeconds, let old = record.firstAssignment?.agent {
            let base = recorded / (1 + factor * Double(record.loadAtAssignment - 1))
            let oldMean = agentHandlingMean[old]?[channel] ?? model?.meanSeconds
            let scale = (newMean != nil && (oldMean ?? 0) > 0) ? newMean! / oldMean! : 1
            return base * scale * (1 + factor * Double(max(0, load - 1)))
        }
        guard let model, !model.baseSamples.isEmpty else { return 300 }
        var random = Self.random(id, salt: 2)
        let base = model.baseSamples[Int.random(in: 0..<model.baseSamples.count, using: &random)]
        return base * (1 + factor * Double(max(0, load - 1)))
    }

    public func acceptDelaySeconds(agent: AgentID, channel: Channel) -> Double {
        acceptByAgent[agent]?[channel] ?? acceptByChannel[channel] ?? 0
    }

    /// Nil: no recorded wrap-up ended by hand; the queue's wrap-up timeout ends it.
    public func wrapUpSeconds(agent: AgentID, channel: Channel) -> Double? {
        wrapUpByAgent[agent]?[channel] ?? wrapUpByChannel[channel]
    }

    static func random(_ id: ConversationID, salt: UInt64) -> SplitMix64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ salt
        for byte in id.rawValue.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return SplitMix64(seed: hash)
    }
}
