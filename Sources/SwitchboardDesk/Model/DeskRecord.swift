public import Foundation
public import SwitchboardRouting
import SwitchboardWire
public import SwitchboardWorkspace

/// Everything the desk keeps for one agent: their workspace (sessions, tabs, pane, drafts,
/// personalisation), the offers waiting for an answer, and the bookkeeping that lets facts
/// be applied again without effect. Pure and `Codable`: the desk stores it per agent and a
/// restart, even a SIGKILL, brings it back as it was committed.
///
/// Facts from other authorities go in through `apply(_:now:)` and `resync(with:now:)`,
/// the agent's own actions through `handle(_:now:)`; each returns the `DeskEvent`s that
/// happened, in order, for the desk to publish.
public struct DeskRecord: Codable, Sendable, Equatable {
    public let agent: AgentID
    public internal(set) var signedIn: Bool
    public internal(set) var signedInAt: Date?
    public internal(set) var workspace: Workspace
    /// Offers in the order they came.
    public internal(set) var offers: [DeskOffer]
    /// Email and case sessions the agent closed while their conversations go on: a resync
    /// does not open them again; the agent reopens them (`desk.reopen`).
    public internal(set) var parked: [ConversationID]
    /// The last transcript message applied per open session, so that a message seen twice
    /// (in a snapshot and as an event, or again after a restart) counts once.
    public internal(set) var lastMessageNumbers: [ConversationID: Int]

    public init(agent: AgentID, role: RoleName, roleDefaults: PreferenceOverrides, agentOverrides: PreferenceOverrides)
    {
        self.agent = agent
        self.signedIn = false
        self.signedInAt = nil
        self.workspace = Workspace(agent: agent, role: role, roleDefaults: roleDefaults, agentOverrides: agentOverrides)
        self.offers = []
        self.parked = []
        self.lastMessageNumbers = [:]
    }

    public func offer(_ conversation: ConversationID) -> DeskOffer? {
        offers.first { $0.conversation == conversation }
    }

    // MARK: Signing in and out

    /// Opens the desk for the agent; nothing happens when they are signed in already.
    public mutating func signIn(now: Date) -> [DeskEvent] {
        guard !signedIn else { return [] }
        signedIn = true
        signedInAt = now
        return [.signedIn(role: workspace.role)]
    }

    /// Closes the desk. The workspace is kept as it is (drafts included); the next sign-in
    /// brings it up to date with the router.
    public mutating func signOut() -> [DeskEvent] {
        guard signedIn else { return [] }
        signedIn = false
        signedInAt = nil
        return [.signedOut]
    }

    // MARK: Facts

    /// Applies a fact about the agent's work.
    public mutating func apply(_ input: DeskInput, now: Date) -> [DeskEvent] {
        var events: [DeskEvent] = []
        switch input {
        case .offered(let offer):
            guard workspace.session(offer.conversation) == nil else { return [] }
            if let index = offers.firstIndex(where: { $0.conversation == offer.conversation }) {
                // The same offer again (a snapshot after the event): no news, but a snapshot
                // knows less than the event did, so what is known is kept.
                offers[index].rule = offer.rule ?? offers[index].rule
                offers[index].reason = offer.reason ?? offers[index].reason
                offers[index].offeredAt = offer.offeredAt ?? offers[index].offeredAt
                offers[index].expiresAt = offer.expiresAt ?? offers[index].expiresAt
                return []
            }
            guard offers.count < DeskLimits.offersMax else { return [] }
            offers.append(offer)
            events.append(.offerReceived(offer))

        case .offerEnded(let conversation, let reason):
            events += removeOffer(conversation, reason: reason)

        case .assigned(let item, let at, let transcript):
            let conversation = item.conversation
            events += removeOffer(conversation, reason: .accepted)
            parked.removeAll { $0 == conversation }
            events += workspace.apply(.workAssigned(item), now: at).map(DeskEvent.workspace)
            if workspace.session(conversation) != nil && lastMessageNumbers[conversation] == nil {
                // The customer's messages after the last answer wait for this agent.
                let lastAnswer = transcript.last { $0.role == .agent }?.number ?? 0
                for message in transcript where message.number > lastAnswer {
                    events += arrival(message, in: conversation, now: now)
                }
                lastMessageNumbers[conversation] = transcript.map(\.number).max() ?? 0
            }

        case .withdrawn(let conversation, let reason):
            events += removeOffer(conversation, reason: OfferEndReason(reason))
            parked.removeAll { $0 == conversation }
            events += workspace.apply(.workEnded(conversation: conversation, reason: reason), now: now)
                .map(DeskEvent.workspace)

        case .conversationClosed(let conversation):
            events += removeOffer(conversation, reason: .withdrawn)
            parked.removeAll { $0 == conversation }
            if let session = workspace.session(conversation) {
                if session.isLiveCall {
                    // The call hung up; the session stays until wrap-up ends.
                    events += workspace.apply(.callEnded(conversation: conversation), now: now).map(DeskEvent.workspace)
                } else if session.channel != .voice {
                    events += workspace.apply(.workEnded(conversation: conversation, reason: .closed), now: now)
                        .map(DeskEvent.workspace)
                }
            }

        case .wrapUpEnded(let conversation):
            events += workspace.apply(.workEnded(conversation: conversation, reason: .closed), now: now)
                .map(DeskEvent.workspace)

        case .message(let conversation, let message):
            guard workspace.session(conversation) != nil, message.number > lastMessageNumbers[conversation] ?? 0 else {
                return []
            }
            lastMessageNumbers[conversation] = message.number
            events += arrival(message, in: conversation, now: now)

        case .assistance(let conversation, let update):
            events += workspace.apply(.assistanceArrived(conversation: conversation, update: update), now: now)
                .map(DeskEvent.workspace)

        case .roleDefaults(let role, let defaults):
            guard role != workspace.role || defaults != workspace.roleDefaults else { return [] }
            events += workspace.apply(.roleDefaultsChanged(role: role, defaults: defaults), now: now)
                .map(DeskEvent.workspace)
        }
        forgetClosedSessions()
        return events
    }

    // MARK: The agent's commands

    /// Carries out one of the agent's workspace commands, or refuses it whole.
    public mutating func handle(_ command: WorkspaceCommand, now: Date) throws(WorkspaceError) -> [DeskEvent] {
        let events = try workspace.handle(command, now: now)
        for event in events {
            switch event {
            case .sessionClosed(let conversation, .closedByAgent, false):
                // An email or a case the agent set aside: it goes on at the router.
                if !parked.contains(conversation) && parked.count < DeskLimits.parkedMax { parked.append(conversation) }
            case .sessionOpened(let conversation, _, _, _, _):
                parked.removeAll { $0 == conversation }
            default:
                break
            }
        }
        forgetClosedSessions()
        return events.map(DeskEvent.workspace)
    }

    /// The agent opens one of their own email or case items again; messages up to
    /// `lastMessage` count as read.
    public mutating func reopen(_ item: WorkItem, lastMessage: Int, now: Date) throws(WorkspaceError) -> [DeskEvent] {
        let events = try handle(.reopenSession(item), now: now)
        if workspace.session(item.conversation) != nil {
            lastMessageNumbers[item.conversation] = max(lastMessageNumbers[item.conversation] ?? 0, lastMessage)
        }
        return events
    }

    /// The agent's own message went out as number `number`: it is not news to them.
    public mutating func noteOwnMessage(_ number: Int, in conversation: ConversationID) {
        guard workspace.session(conversation) != nil else { return }
        lastMessageNumbers[conversation] = max(lastMessageNumbers[conversation] ?? 0, number)
    }

    // MARK: Helpers

    mutating func removeOffer(_ conversation: ConversationID, reason: OfferEndReason) -> [DeskEvent] {
        guard let index = offers.firstIndex(where: { $0.conversation == conversation }) else { return [] }
        offers.remove(at: index)
        return [.offerWithdrawn(conversation, reason: reason)]
    }

    private mutating func arrival(_ message: TranscriptMessage, in conversation: ConversationID, now: Date)
        -> [DeskEvent]
    {
        let author: MessageAuthor
        switch message.role {
        case .customer: author = .customer
        case .supervisor: author = .supervisor
        case .agent, .system: return []
        }
        return workspace.apply(.messageArrived(conversation: conversation, author: author), now: now)
            .map(DeskEvent.workspace)
    }

    private mutating func forgetClosedSessions() {
        guard lastMessageNumbers.count > workspace.sessions.count else { return }
        let open = Set(workspace.sessions.map(\.id))
        lastMessageNumbers = lastMessageNumbers.filter { open.contains($0.key) }
    }
}
