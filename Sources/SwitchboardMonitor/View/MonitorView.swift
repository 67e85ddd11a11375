import Foundation
import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardTopology
public import SwitchboardWire
public import SwitchboardWorkspace

/// The supervisor's view at one instant: per queue, per agent, routing rates, conversation
/// health, alerts and the interventions in progress. A pure function of what the monitor
/// follows (`MonitorState`), the contact centre, the interventions and `now`.
public struct MonitorView: Sendable, Equatable {
    public var atMilliseconds: Int64
    public var centreName: String
    public var sources: [SourceFigures]
    public var queues: [QueueFigures]
    public var agents: [MonitorAgentItem]
    public var rates: RoutingRates
    /// Open conversations with at least one health flag, most urgent first.
    public var conversations: [ConversationHealthLine]
    /// The router's alerts.
    public var routerAlerts: [MonitorAlertItem]
    /// Alerts the monitor would raise now: escalations and services not heard.
    public var monitorAlerts: [MonitorAlertItem]
    public var interventions: [Intervention]

    /// Computes the view.
    public static func compute(
        state: MonitorState, centre: ContactCentre, interventions: [Intervention], settings: MonitorSettings,
        nowMilliseconds: Int64
    ) -> MonitorView {
        let sources = state.sources.map { service, line in
            SourceFigures(
                service: service, status: line.status, sinceMilliseconds: line.sinceMilliseconds, epoch: line.epoch)
        }.sorted { $0.service < $1.service }
        let agents = agentFigures(state: state, centre: centre)
        let conversations = healthLines(state: state, settings: settings, nowMilliseconds: nowMilliseconds)
        var monitorAlerts: [MonitorAlertItem] = conversations.compactMap { line in
            guard let escalation = line.escalation else { return nil }
            return MonitorAlertItem(
                id: "escalation:\(line.conversation)", source: "monitor", kind: "escalation",
                level: escalation.level.rawValue,
                sentence: "\(line.conversation) (\(line.queue)): \(escalation.reason)",
                queue: line.queue.rawValue, conversationId: line.conversation.rawValue, raisedAt: nowMilliseconds)
        }
        for source in sources {
            let seconds = Double(nowMilliseconds - source.sinceMilliseconds) / 1_000
            guard source.status.isDown, seconds >= settings.serviceNotHeardAlertSeconds else { continue }
            monitorAlerts.append(
                MonitorAlertItem(
                    id: "service-not-heard:\(source.service.rawValue)", source: "monitor", kind: "service-not-heard",
                    level: nil,
                    sentence:
                        "The \(source.service.rawValue) is \(source.detail); what the view shows of it may be out of "
                        + "date.",
                    queue: nil, conversationId: nil, raisedAt: nowMilliseconds))
        }
        let routerAlerts = state.routerAlerts.values.sorted { $0.id < $1.id }.map { alert in
            MonitorAlertItem(
                id: alert.id, source: "router", kind: alert.kind, level: nil, sentence: alert.sentence,
                queue: alert.queue,
                conversationId: alert.conversation, raisedAt: nil)
        }
        return MonitorView(
            atMilliseconds: nowMilliseconds, centreName: centre.name, sources: sources,
            queues: queueFigures(
                state: state, centre: centre, agents: agents, settings: settings, nowMilliseconds: nowMilliseconds),
            agents: agents, rates: RoutingRates(conversations: state.conversations.values),
            conversations: conversations, routerAlerts: routerAlerts, monitorAlerts: monitorAlerts,
            interventions: interventions.sorted {
                ($0.conversation.rawValue, $0.supervisor.rawValue) < ($1.conversation.rawValue, $1.supervisor.rawValue)
            })
    }

    // MARK: Queues

    /// Open or closed at `nowMilliseconds` by `calendar`, and the next change.
    public static func hours(of calendar: QueueCalendar, nowMilliseconds: Int64) -> MonitorQueueItem.Hours {
        let now = RoutingInstant(millisecondsSinceEpoch: nowMilliseconds)
        let open = calendar.isOpen(at: now)
        return MonitorQueueItem.Hours(
            open: open, opensAt: open ? nil : calendar.nextOpening(after: now).map(RoutingError.utc),
            closesAt: open ? calendar.nextClosing(after: now).map(RoutingError.utc) : nil,
            timeZone: calendar.timeZone.identifier)
    }

    static func queueFigures(
        state: MonitorState, centre: ContactCentre, agents: [MonitorAgentItem], settings: MonitorSettings,
        nowMilliseconds: Int64
    ) -> [QueueFigures] {
        var byQueue: [QueueID: [MonitoredConversation]] = [:]
        for conversation in state.conversations.values { byQueue[conversation.queue, default: []].append(conversation) }
        let agentsByID = Dictionary(agents.map { ($0.agentId, $0) }, uniquingKeysWith: { first, _ in first })
        var ids = centre.routing.queues.map(\.id)
        for id in state.queues.keys.sorted() where !ids.contains(id) { ids.append(id) }
        return ids.map { id in
            let configuration = centre.queue(id)
            let router = state.queues[id]
            let conversations = byQueue[id] ?? []
            let waiting = conversations.filter { $0.state == .queued }
            let within = configuration?.serviceLevel.withinSeconds ?? router?.withinSeconds
            let oldest = waiting.compactMap { $0.waitingSinceMilliseconds ?? $0.openedAtMilliseconds }.min()
            let overTarget =
                within.map { target in
                    waiting.filter {
                        Double(nowMilliseconds - ($0.waitingSinceMilliseconds ?? $0.openedAtMilliseconds)) / 1_000
                            > target
                    }
                    .count
                } ?? 0
            let channel = configuration?.channel ?? router?.channel
            let ready =
                channel.map { readyAgents(for: id, channel: $0, state: state, centre: centre, agents: agentsByID) } ?? 0
            let estimate = estimateWait(
                waiting: waiting.count, ready: ready, conversations: conversations, settings: settings,
                nowMilliseconds: nowMilliseconds)
            let assigned = router?.assigned ?? 0
            let abandoned = router?.abandoned ?? 0
            let withinCount = router?.assignedWithinServiceLevel ?? 0
            return QueueFigures(
                queue: id, name: configuration?.name ?? router?.name ?? id.rawValue, channel: channel,
                waiting: waiting.count, held: router?.held ?? 0,
                offered: conversations.filter { $0.state == .offered }.count,
                oldestWaitSeconds: oldest.map { Int(max(0, nowMilliseconds - $0) / 1_000) },
                waitingOverTarget: overTarget,
                estimatedWait: estimate, readyAgents: ready,
                serviceLevel: QueueFigures.ServiceLevel(
                    targetPercent: configuration?.serviceLevel.percent ?? router?.targetPercent, withinSeconds: within,
                    achievedPercent: percent(withinCount, of: assigned + abandoned), assigned: assigned,
                    assignedWithinTarget: withinCount, abandoned: abandoned),
                abandoned: abandoned,
                hours: configuration?.hours.map { hours(of: $0.calendar, nowMilliseconds: nowMilliseconds) })
        }
    }

    /// Agents who could take a conversation of `queue` now: they serve it with its full skills,
    /// are Available (and not set Away by the router), have room on `channel`, and hold no live
    /// work whose channel blocks it (a live call blocks new chats).
    static func readyAgents(
        for queue: QueueID, channel: Channel, state: MonitorState, centre: ContactCentre,
        agents: [AgentID: MonitorAgentItem]
    ) -> Int {
        centre.agents(ableToServe: queue).filter { profile in
            guard let figures = agents[profile.id], figures.presence == "available", figures.awayReason == nil else {
                return false
            }
            let router = state.routerAgents[profile.id]
            let capacity = router?.capacity[channel] ?? centre.capacity(of: profile, on: channel)
            guard (router?.load[channel] ?? 0) < capacity else { return false }
            let exclusions =
                centre.routing.capacityProfiles.first { $0.id == profile.capacityProfile }?.exclusions ?? []
            return !exclusions.contains { ($0.blocks.contains(channel)) && (router?.live[$0.channel] ?? 0) > 0 }
        }.count
    }

    /// A new arrival's wait: (waiting + 1) ÷ the queue's assignment rate over the recent window
    /// (the window shrinks to how long the queue has been seen, but never below the minimum);
    /// 0 when nobody waits and an agent is ready; unknown when nothing was assigned lately.
    static func estimateWait(
        waiting: Int, ready: Int, conversations: [MonitoredConversation], settings: MonitorSettings,
        nowMilliseconds: Int64
    ) -> QueueFigures.WaitEstimate {
        let firstSeen = conversations.map(\.openedAtMilliseconds).min() ?? nowMilliseconds
        // Whole minutes: the window (and the figures) move once a minute, not at every tick.
        let observedSeconds = (Double(nowMilliseconds - firstSeen) / 1_000 / 60).rounded(.down) * 60
        let windowSeconds = min(settings.rateWindowSeconds, max(observedSeconds, settings.rateWindowSecondsMin))
        let windowStart = nowMilliseconds - Int64(windowSeconds * 1_000)
        let recent = conversations.filter { ($0.assignedAtMilliseconds ?? .min) >= windowStart }.count
        let perSecond = Double(recent) / windowSeconds
        let perHour = perSecond * 3_600
        if waiting == 0 && ready > 0 {
            return .init(
                seconds: 0, method: "agent-ready", assignmentsPerHour: perHour, windowSeconds: Int(windowSeconds))
        }
        guard perSecond > 0 else {
            return .init(seconds: nil, method: "unknown", assignmentsPerHour: 0, windowSeconds: Int(windowSeconds))
        }
        let seconds = Double(waiting + 1) / perSecond
        return .init(
            seconds: Int(min(seconds, 86_400).rounded()), method: "recent-rate", assignmentsPerHour: perHour,
            windowSeconds: Int(windowSeconds))
    }

    // MARK: Agents

    static func agentFigures(state: MonitorState, centre: ContactCentre) -> [MonitorAgentItem] {
        var ids = Set(centre.agents.map(\.id))
        ids.formUnion(state.routerAgents.keys)
        ids.formUnion(state.presence.keys)
        let presenceStale = state.sources[.presence]?.status.isDown ?? true
        return ids.sorted().map { id in
            let profile = centre.agent(id)
            let router = state.routerAgents[id]
            let presence = state.presence[id]
            var channels: [MonitorAgentItem.ChannelLoad] = []
            for channel in Channel.allCases {
                let capacity = router?.capacity[channel] ?? profile.map { centre.capacity(of: $0, on: channel) } ?? 0
                let load = router?.load[channel] ?? 0
                if capacity > 0 || load > 0 {
                    channels.append(MonitorAgentItem.ChannelLoad(channel: channel, load: load, capacity: capacity))
                }
            }
            let sessions = state.desks[id].map { desk in
                MonitorAgentItem.Sessions(
                    count: desk.sessions, byChannel: desk.sessionsByChannel, active: desk.activeSession,
                    unread: desk.unread, signedIn: desk.signedIn)
            }
            let routing = router?.presence
            return MonitorAgentItem(
                agentId: id, name: router?.name ?? profile?.name ?? id.rawValue,
                role: router?.role ?? profile?.role.rawValue ?? "agent",
                presence: presence?.status ?? (routing == "busy" ? "available" : routing) ?? "unknown",
                presenceReason: presence?.reason, routing: routing, awayReason: router?.awayReason,
                channels: channels, sessions: sessions, presenceStale: presenceStale)
        }
    }

    // MARK: Health

    static func healthLines(state: MonitorState, settings: MonitorSettings, nowMilliseconds: Int64)
        -> [ConversationHealthLine]
    {
        let now = Date(timeIntervalSince1970: Double(nowMilliseconds) / 1_000)
        var lines: [ConversationHealthLine] = []
        for conversation in state.conversations.values where !conversation.isOverForCustomer {
            let assessment = ConversationHealth.assess(conversation.timeline, now: now, thresholds: settings.health)
            guard !assessment.isHealthy else { continue }
            lines.append(
                ConversationHealthLine(
                    conversation: conversation.id, customer: conversation.customer, queue: conversation.queue,
                    channel: conversation.channel, state: conversation.state, agent: conversation.agent,
                    flags: assessment.flags, escalation: assessment.escalation,
                    summary: state.summaries[conversation.id]))
        }
        func urgency(_ line: ConversationHealthLine) -> Int {
            switch line.escalation?.level {
            case .intervene?: 2
            case .watch?: 1
            case nil: 0
            }
        }
        return lines.sorted {
            (urgency($1), $1.flags.count, $0.conversation.rawValue) < (
                urgency($0), $0.flags.count, $1.conversation.rawValue
            )
        }
    }
}
