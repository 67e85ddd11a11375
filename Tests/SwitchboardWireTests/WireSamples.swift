import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire

/// One filled-in value of every wire type (every optional member set, so every field is written
/// with a value), and its encoding as the protocol's JSON.
enum WireSamples {
    static let at = RoutingInstant(millisecondsSinceEpoch: 1_780_000_000_000)

    static let conversation = ConversationItem(
        conversationId: "c-17", customerId: "cust-9", channel: .chat, queue: "chat-en-general", priority: 5,
        topic: "card arrival", state: .assigned, agentId: "priya-raman",
        requiredSkills: [SkillRequirement("english", minimumLevel: 3)],
        intent: .init(intent: "card_arrival", confidence: 0.875, skill: "cards"), openedAt: at,
        assignedAt: at.adding(seconds: 12), endedAt: at.adding(seconds: 300), rule: "skills",
        reason: "Skills: English 5.", transfers: 1, messageCount: 4)

    static let agent = AgentItem(
        agentId: "priya-raman", name: "Priya Raman", role: "first-line-chat", presence: .busy,
        load: ChannelCounts(chat: 2), live: ChannelCounts(chat: 2), capacity: ChannelCounts(voice: 1, chat: 3),
        awayReason: "missed 3 offers")

    static let sticky = StickyItem(
        customerId: "cust-9", agentId: "priya-raman", lastHandledAt: at, openConversations: 1, topic: "cards")

    static let queue = QueueItem(
        queue: "chat-en-general", name: "Chat, English", channel: .chat, waiting: 3, held: 1,
        oldestWaitingSince: at, assigned: 40, assignedWithinServiceLevel: 36, abandoned: 2,
        serviceLevel: .init(percent: 80, withinSeconds: 30))

    static let skillAlert = RouterAlertItem.skillTooRare(
        skill: "spanish", minimumLevel: 4, queue: "chat-es", conversationId: "c-3",
        sentence: "No signed-in agent has Spanish at level 4.")

    static let overflowAlert = RouterAlertItem.queueOverflow(
        queue: "chat-en-general", waiting: 30, maxWaiting: 25, overdue: 4, maxWaitSeconds: 120.5,
        sentence: "30 wait in Chat, English (limit 25).")

    static let message = TranscriptMessage(
        number: 3, role: .supervisor, author: "emily-clarke", text: "Offer the refund.", audience: .agent,
        at: at.adding(seconds: 40))

    static let transcript = TranscriptItem(
        conversationId: "c-17",
        messages: [
            TranscriptMessage(
                number: 1, role: .customer, author: "cust-9", text: "Where is my card?", audience: .everyone, at: at),
            message,
        ])

    static let presence = PresenceItem(agentId: "priya-raman", status: .doNotDisturb, reason: "training", since: at)

    static let feedback = FeedbackItem(
        intent: "card_arrival",
        suggestions: [.init(suggestionId: "template:card_arrival:0", used: 4, edited: 1, dismissed: 2)],
        articles: [.init(articleId: "kb-card-delivery", helpful: 3)], updatedAt: at)

    static let transferToQueue = ConversationTransfer(fromAgentId: "priya-raman", to: .queue("chat-en-cards"))
    static let transferToAgent = ConversationTransfer(fromAgentId: "priya-raman", to: .agent("tom-baker"))

    static let historyStep = HistoryStep(
        at: at, event: "transferred", agentId: "priya-raman", sentence: "Transferred to Tom Baker.",
        transfer: transferToAgent)

    static let desk = DeskItem(
        agentId: "priya-raman", name: "Priya Raman", role: "first-line-chat", signedIn: true, signedInAt: at,
        updatedAt: at.adding(seconds: 60),
        summary: .init(
            activeSession: "c-17", viewedSession: "c-17", liveCall: "c-18", unreadTotal: 2,
            sessionsByChannel: [.chat: 1, .voice: 1], drafts: 1,
            sessions: [
                .init(
                    conversationId: "c-17", channel: .chat, customerId: "cust-9", queue: "chat-en-general",
                    topic: "card arrival", openedAt: at, active: true, onScreen: true, liveCall: false, unread: 2,
                    pendingActions: ["awaiting-reply"], activeTab: "conversation", tabs: 2, hasDraft: true)
            ]),
        offers: [
            .init(
                conversationId: "c-19", channel: .email, customerId: "cust-4", queue: "email-en", topic: "refund",
                rule: "skills", reason: "Skills: English 5.", offeredAt: at, expiresAt: at.adding(seconds: 30))
        ],
        workspace: ["sessions": [], "drafts": []])

    static let assist = AssistItem(
        conversationId: "c-17", intent: .init(intent: "card_arrival", confidence: 0.92, skill: "cards"),
        summary: "Dana wants her new card; it went to an old address.",
        suggestions: [.init(id: "s-1", text: "I'll reissue it now.", source: "template", reason: "card not arrived")],
        knowledge: [.init(id: "kb-7", title: "Reissuing a card", why: "answers card_arrival", source: "intent")],
        caseSummary: .init(
            customer: "Dana Whitfield", issue: "card not arrived", intent: "card_arrival", skill: "cards",
            stepsTaken: ["checked the address"], status: .transferred, nextAction: "reissue the card",
            agents: ["Priya Shah"]),
        caseSummaryReason: .transfer, backend: "offline", language: "en")

    static let monitorSources = MonitorSourcesItem(
        centre: "Harbour Bank",
        sources: [.init(service: "router", status: .live, since: at, epoch: 3, detail: "live (epoch 3)", down: false)])

    static let monitorQueue = MonitorQueueItem(
        queue: "chat-en-general", name: "Chat, English", channel: .chat, waiting: 3, held: 1, offered: 1,
        oldestWaitSeconds: 95, waitingOverTarget: 1,
        estimatedWait: .init(seconds: 40, method: .recentRate, assignmentsPerHour: 120.5, windowSeconds: 600),
        readyAgents: 2,
        serviceLevel: .init(
            targetPercent: 80, withinSeconds: 30, achievedPercent: 91.2, met: true, assigned: 40,
            assignedWithinTarget: 36, abandoned: 2),
        abandoned: 2,
        hours: .init(open: true, opensAt: nil, closesAt: "2026-03-27T17:00:00Z", timeZone: "Europe/London"))

    static let monitorAgent = MonitorAgentItem(
        agentId: "priya-raman", name: "Priya Raman", role: "first-line-chat", presence: "available",
        presenceReason: "back from lunch", routing: "busy", awayReason: "missed 3 offers",
        channels: [.init(channel: .chat, load: 2, capacity: 3)],
        sessions: .init(count: 2, byChannel: [.chat: 2], active: "c-17", unread: 1, signedIn: true),
        presenceStale: false)

    static let monitorRates = MonitorRatesItem(
        assignments: 11,
        byRule: ["skills": 5, "sticky": 3, "holdForOwnerFallback": 1, "fallback": 1, "transfer": 1],
        returningCustomers: 4,
        stickyAssignments: 3, stickyPercent: 75, sameAgentAsBefore: 3, fullSkills: 6, fallback: 1,
        skillMatchPercent: 85.7)

    static let monitorConversation = MonitorConversationItem(
        conversationId: "c-17", customerId: "cust-9", queue: "chat-en-general", channel: .chat, state: .assigned,
        agentId: "priya-raman",
        flags: [
            .longWait(phrase: "waiting 4m10s for an agent", seconds: 250),
            .longSilence(phrase: "no reply for 3m", seconds: 180, onHold: false),
            .negativeSentiment(phrase: "sounds upset", terms: ["useless"], score: -3),
            .repeatedTransfers(phrase: "transferred 2 times", count: 2),
        ],
        escalation: .init(level: .intervene, reason: "two flags"), summary: "Dana wants her new card.")

    static let monitorAlert = MonitorAlertItem(
        id: "escalation:c-17", source: "monitor", kind: "escalation", level: "intervene",
        sentence: "c-17 needs a supervisor.", queue: "chat-en-general", conversationId: "c-17",
        raisedAt: 1_780_000_000_000)

    static let monitorIntervention = MonitorInterventionItem(
        conversationId: "c-17", supervisorId: "emily-clarke", channel: .chat, kind: .whisper, startedAt: at,
        messagesSent: 2)
}
