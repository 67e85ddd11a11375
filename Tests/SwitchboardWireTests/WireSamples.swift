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

    static let transferToQueue = ConversationTransfer(fromAgentId: "priya-raman", to: .queue("chat-en-cards"))
    static let transferToAgent = ConversationTransfer(fromAgentId: "priya-raman", to: .agent("tom-baker"))

    static let historyStep = HistoryStep(
        at: at, event: "transferred", agentId: "priya-raman", sentence: "Transferred to Tom Baker.",
        transfer: transferToAgent)
}
