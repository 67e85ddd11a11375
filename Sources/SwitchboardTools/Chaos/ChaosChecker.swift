public import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire

/// The independent judge of a chaos run. It knows only what a client saw: the conversations
/// whose `conversation.open` was acknowledged, the events that came over the bus (from any
/// epoch of any process), the snapshots taken when a consumer resynchronised, the kills, and
/// the router's final snapshot. From that it counts what the routing invariants forbid:
/// acknowledged conversations lost, a conversation held by two agents at once, an agent over
/// capacity, an assignment to an agent the presence event it names did not show Available;
/// and it measures how long routing stopped after each kill.
public struct ChaosChecker: Sendable {
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable, Equatable, CaseIterable {
            case lost
            case doubleAssignment
            case overCapacity
            case notAvailable
        }

        public var kind: Kind
        public var conversation: String?
        public var agent: String?
        public var message: String

        public var description: String { "\(kind.rawValue): \(message)" }
    }

    /// Conversations acknowledged by the router (`conversation.open` answered ok).
    private var acknowledged: Set<String> = []
    /// Who holds each conversation now (offered, assigned or in wrap-up), and on which channel.
    private var holders: [String: (agent: String, channel: String)] = [:]
    /// Conversations each agent holds, per channel.
    private var held: [String: [String: Set<String>]] = [:]
    /// Capacity per agent and channel, from the router's agent items.
    private var capacity: [String: [String: Int]] = [:]
    /// Presence history per agent: (epoch, seq, status), in arrival order; a snapshot's
    /// entries carry the snapshot's `presence` seq.
    private var presence: [String: [(epoch: UInt64, seq: UInt64, status: String)]] = [:]
    /// The stretches of the presence stream this checker saw whole: from a snapshot (or the
    /// first event) to the last event that followed it without a gap. Only inside one can it
    /// say what an agent's presence was at a given (epoch, seq); elsewhere events were missed
    /// (around a restart or a re-snapshot) and the stamp is unverifiable, not a violation.
    private var presenceCoverage: [(epoch: UInt64, from: UInt64, to: UInt64)] = []
    public private(set) var violations: [Violation] = []
    public private(set) var assignments = 0
    public private(set) var unverifiablePresence = 0
    /// Wall-clock microseconds of each kill, and the service killed.
    private var kills: [(at: Int64, service: String)] = []
    /// Wall-clock microseconds of every offer or assignment, with the router epoch.
    private var decisions: [(at: Int64, epoch: UInt64)] = []

    /// The most violations kept (the count goes on).
    public static let violationsKept = 200
    public private(set) var violationCount = 0
    private var counts: [Violation.Kind: Int] = [:]

    public init() {}

    // MARK: Inputs

    public mutating func acknowledgedOpen(_ conversation: String) {
        acknowledged.insert(conversation)
    }

    public mutating func killed(_ service: String, atMicroseconds: Int64) {
        kills.append((atMicroseconds, service))
    }

    /// A consumer resynchronised with the router: its snapshot replaces what holds what
    /// (events missed around a restart must not look like violations).
    public mutating func routerSnapshot(_ items: [String: JSON]) {
        holders.removeAll()
        held.removeAll()
        for (key, item) in items {
            if key.hasPrefix("agent."), let agent = try? AgentItem(json: item) { noteCapacity(agent) }
            guard key.hasPrefix("conv."), let conversation = try? ConversationItem(json: item) else { continue }
            if let agent = conversation.agentId, conversation.state.holdsCapacity {
                hold(
                    conversation.conversationId.rawValue, agent: agent.rawValue, channel: conversation.channel.rawValue)
            }
        }
    }

    /// A snapshot of the presence tracker at `seq`, the seq of its `presence` family (the
    /// snapshot end's `seqs["presence"]`: a snapshot asked without a prefix says 0 in `seq`).
    public mutating func presenceSnapshot(_ items: [String: JSON], epoch: UInt64, seq: UInt64) {
        presenceCoverage.append((epoch, seq, seq))
        for item in items.values {
            guard let line = try? PresenceItem(json: item) else { continue }
            presence[line.agentId.rawValue, default: []].append((epoch, seq, line.status.rawValue))
        }
    }

    /// One event from the router or the presence tracker.
    public mutating func event(
        topic: String, type: String, epoch: UInt64, seq: UInt64, timestampMicroseconds: Int64, data: JSON
    ) {
        if topic.hasPrefix("presence.") { notePresenceSeq(epoch: epoch, seq: seq) }
        if type.hasPrefix("conversation.") {
            if let event = try? ConversationEvent(type: type, data: data) {
                conversationEvent(event, epoch: epoch, timestampMicroseconds: timestampMicroseconds)
            }
            return
        }
        guard let fields = try? WireFields(data, item: "\(type) event") else { return }
        switch type {
        case "presence.changed":
            if let agent = try? fields.identifier("agentId", as: AgentID.self),
                let status = try? fields.oneOf("status", PresenceStatus.self)
            {
                presence[agent.rawValue, default: []].append((epoch, seq, status.rawValue))
            }
        case "agent.load", "agent.added", "agent.updated":
            if let item = fields.member("item"), let agent = try? AgentItem(json: item) { noteCapacity(agent) }
        default:
            break
        }
    }

    private mutating func conversationEvent(_ event: ConversationEvent, epoch: UInt64, timestampMicroseconds: Int64) {
        let id = event.conversationId.rawValue
        switch event.type {
        case "conversation.offered", "conversation.assigned":
            guard let agent = (try? event.agentId)?.rawValue,
                let channel = (try? event.fields.oneOf("channel", Channel.self))?.rawValue
            else { return }
            decisions.append((timestampMicroseconds, epoch))
            if event.type == "conversation.assigned" { assignments += 1 }
            if let current = holders[id], current.agent != agent {
                record(.doubleAssignment, id, agent, "\(id) went to \(agent) while \(current.agent) still held it")
            }
            checkPresence(agent: agent, conversation: id, stamp: try? event.presenceStamp)
            if holders[id]?.agent != agent {
                hold(id, agent: agent, channel: channel)
                let count = held[agent]?[channel]?.count ?? 0
                if let cap = capacity[agent]?[channel], count > cap {
                    record(
                        .overCapacity, id, agent, "\(agent) holds \(count) \(channel) conversations, capacity \(cap)")
                }
            }
        case "conversation.requeued", "conversation.declined", "conversation.offerExpired", "conversation.abandoned",
            "conversation.wrapUpEnded", "conversation.transferred":
            release(id)
        case "conversation.closed":
            // Wrap-up keeps the capacity until it ends; without wrap-up the item says closed.
            if event.item?.state == .closed { release(id) }
        default:
            break
        }
    }

    /// The router's snapshot after the load stopped and drained: every acknowledged
    /// conversation must be in it (ended, or visibly waiting, offered or assigned).
    public mutating func finish(finalRouterItems: [String: JSON], closedElsewhere: Set<String> = []) {
        for id in acknowledged.sorted() where finalRouterItems["conv.\(id)"] == nil && !closedElsewhere.contains(id) {
            record(.lost, id, nil, "\(id) was acknowledged but the router no longer knows it")
        }
    }

    // MARK: Results

    public func count(_ kind: Violation.Kind) -> Int {
        counts[kind] ?? 0
    }

    /// Seconds from each router kill to the first offer or assignment of the router's next
    /// epoch, and the longest gap between decisions that follows any kill.
    public func recovery() -> (routerKillToFirstAssignment: [Double], longestGapAfterKill: Double) {
        var firsts: [Double] = []
        var longest = 0.0
        let ordered = decisions.sorted { $0.at < $1.at }
        for kill in kills {
            let epochBefore = ordered.last { $0.at < kill.at }?.epoch ?? 0
            if kill.service == "router", let first = ordered.first(where: { $0.at > kill.at && $0.epoch > epochBefore })
            {
                firsts.append(Double(first.at - kill.at) / 1_000_000)
            }
            if let next = ordered.first(where: { $0.at > kill.at }) {
                longest = max(longest, Double(next.at - kill.at) / 1_000_000)
            }
        }
        return (firsts, longest)
    }

    public var acknowledgedCount: Int { acknowledged.count }
    public var killCount: Int { kills.count }

    // MARK: Helpers

    private mutating func noteCapacity(_ agent: AgentItem) {
        var caps: [String: Int] = [:]
        for channel in Channel.allCases { caps[channel.rawValue] = agent.capacity[channel] }
        capacity[agent.agentId.rawValue] = caps
    }

    private mutating func hold(_ id: String, agent: String, channel: String) {
        release(id)
        holders[id] = (agent, channel)
        held[agent, default: [:]][channel, default: []].insert(id)
    }

    private mutating func release(_ id: String) {
        guard let holder = holders.removeValue(forKey: id) else { return }
        held[holder.agent]?[holder.channel]?.remove(id)
    }

    /// Extends the stretch that ends just before `seq`, or starts a new one (a gap).
    private mutating func notePresenceSeq(epoch: UInt64, seq: UInt64) {
        if let last = presenceCoverage.indices.last, presenceCoverage[last].epoch == epoch,
            presenceCoverage[last].to + 1 == seq || presenceCoverage[last].to == seq
        {
            presenceCoverage[last].to = seq
        } else {
            presenceCoverage.append((epoch, seq, seq))
        }
    }

    private mutating func checkPresence(agent: String, conversation: String, stamp: PresenceStamp?) {
        guard let stamp else {
            unverifiablePresence += 1
            return
        }
        let (epoch, seq) = (stamp.epoch, stamp.sequence)
        // The stretch seen whole that holds the stamp; the agent's status there is the latest
        // entry inside that stretch at or before the stamp.
        guard let stretch = presenceCoverage.last(where: { $0.epoch == epoch && $0.from <= seq && seq <= $0.to })
        else {
            unverifiablePresence += 1
            return
        }
        let known = presence[agent, default: []].filter { $0.epoch == epoch && stretch.from <= $0.seq && $0.seq <= seq }
        guard let latest = known.max(by: { $0.seq < $1.seq }) else {
            unverifiablePresence += 1
            return
        }
        if latest.status != "available" {
            record(
                .notAvailable, conversation, agent,
                "\(conversation) went to \(agent), whose presence at \(epoch):\(seq) was \(latest.status)")
        }
    }

    private mutating func record(_ kind: Violation.Kind, _ conversation: String?, _ agent: String?, _ message: String) {
        violationCount += 1
        counts[kind, default: 0] += 1
        if violations.count < Self.violationsKept {
            violations.append(Violation(kind: kind, conversation: conversation, agent: agent, message: message))
        }
    }
}
