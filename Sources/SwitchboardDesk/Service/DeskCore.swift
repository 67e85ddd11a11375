import Foundation
import Logging
import SwitchboardBus
import SwitchboardRouting
import SwitchboardStore
import SwitchboardTopology
import SwitchboardWire
import SwitchboardWorkspace

/// The desk's registry of signed-in agents (one `DeskAgent` actor each), its copy of the
/// router's open work (`RouterMirror`) and of the summariser's assistance, its command
/// handler and its snapshot source.
///
/// Snapshots are read from the database in one read transaction, with the seqs of that same
/// transaction: each agent's row and events commit together, so the items reflect exactly
/// those seqs whichever agent actor committed last.
actor DeskCore: CommandHandler, SnapshotSource {
    var agents: [AgentID: DeskAgent] = [:]
    var mirror = RouterMirror()
    var mirrorLive = false
    /// The summariser's latest assistance per conversation, by pane tool.
    var assistance: [ConversationID: [PaneTool: AssistanceUpdate]] = [:]
    var contactCentre: ContactCentre
    /// What agents said about the assistance, per intent (`desk_feedback`).
    var feedback = FeedbackBook()
    /// The last feedback commit, which the next one waits for, so items never go back in time.
    var lastFeedbackCommit: Task<Bool, Never>?
    /// The intent the summariser last gave each conversation: the one its suggestions were for.
    var conversationIntents: [ConversationID: String] = [:]
    /// Case summaries agents corrected (`desk_case_summaries`): they stand in for the drafted one.
    var editedCaseSummaries: [ConversationID: CaseSummary] = [:]
    let store: AuthorityStore
    let committer: GroupCommitter
    let router: CommandClient?
    let logger: Logger

    /// Conversations whose assistance is kept; beyond it, that of conversations the router no
    /// longer has open is forgotten.
    static let assistanceConversationsMax = 20_000

    init(
        store: AuthorityStore, committer: GroupCommitter, contactCentre: ContactCentre, router: CommandClient?,
        logger: Logger
    ) {
        self.store = store
        self.committer = committer
        self.contactCentre = contactCentre
        self.router = router
        self.logger = logger
    }

    /// Brings back the desks of the agents who were signed in, as they were committed.
    func load() async throws {
        let rows = try await store.read { db in try DeskTable.signedIn(in: db) }
        let (items, unreadable) = try await store.read { db in try FeedbackTable.all(in: db) }
        feedback = FeedbackBook(items: items)
        if !unreadable.isEmpty {
            logger.error(
                "the desk's feedback of some intents cannot be read; their counts start again from zero",
                metadata: ["intents": "\(unreadable)"])
        }
        editedCaseSummaries = try await store.read { db in try FeedbackTable.caseSummaries(in: db) }
        let now = Date()
        for row in rows {
            let record: DeskRecord
            do {
                record = try DeskCoding.decodeFromStorage(row.record)
            } catch {
                logger.error(
                    """
                    the stored desk of \(row.agent) cannot be read (\(error)); it stays in the database untouched \
                    and the agent cannot sign in until it is restored or the row deleted
                    """)
                continue
            }
            let desk = DeskAgent(record: record, name: displayName(row.agent), committer: committer, logger: logger)
            agents[row.agent] = desk
            if let role = contactCentre.roleName(of: row.agent) {
                // Role defaults changed in the file while the desk was down take effect now.
                await desk.apply(
                    [.roleDefaults(role, contactCentre.rolePreferences.defaults(for: role))], assistance: [:], now: now)
            }
        }
        logger.info("desk loaded", metadata: ["signedIn": "\(agents.count)"])
    }

    // MARK: Snapshots

    /// An unreadable database throws: the state endpoint then tells the client to ask again.
    nonisolated func snapshot(prefix: String?) async throws -> Snapshot {
        try await store.snapshot(prefix: prefix) { db, prefix in try DeskTable.items(prefix: prefix, in: db) }
    }

    // MARK: Following the router and the summariser

    /// A snapshot or an event of the router's stream (`agent.`, `conv.`, `transcript.`).
    func routerUpdate(_ update: ReplicaUpdate) async {
        let now = Date()
        switch update {
        case .snapshot(let snapshot):
            mirror.load(snapshot.items)
            mirrorLive = true
            forgetAssistanceOfEndedWork()
            logger.info(
                "following the router",
                metadata: ["epoch": "\(snapshot.epoch)", "open": "\(mirror.conversations.count)"])
            for desk in agents.values {
                await desk.resync(with: mirror, assistance: cachedAssistance(), now: now)
            }
        case .event(let event):
            guard let data = try? event.data() else { return }
            let at = Date(timeIntervalSince1970: Double(event.timestampMicroseconds) / 1_000_000)
            let directives = mirror.apply(type: event.type, data: data, at: at)
            if event.type == "conversation.closed" || event.type == "conversation.abandoned",
                let ended = try? ConversationEvent(type: event.type, data: data)
            {
                assistance[ended.conversationId] = nil
            }
            await deliver(directives, now: now)
        case .status:
            break
        }
    }

    /// An assist item the desk cannot read (a summariser of another protocol version): the pane
    /// keeps what it showed, and the log says which item and field.
    private func unreadableAssistance(_ error: WireError, key: String) {
        logger.warning(
            "desk skipped assistance it cannot read; check that the summariser speaks this protocol version",
            metadata: ["item": "\(key)", "error": "\(error)"])
    }

    /// A snapshot or an event of the summariser's stream (`assist.`).
    func assistUpdate(_ update: ReplicaUpdate) async {
        var directives: [DeskDirective] = []
        switch update {
        case .snapshot(let snapshot):
            for item in snapshot.items {
                guard item.key.hasPrefix("assist."), let value = try? item.value() else { continue }
                let id = String(item.key.dropFirst("assist.".count))
                guard isValidIdentifier(id) else { continue }
                do {
                    noteIntent(of: value, for: ConversationID(id))
                    directives += remember(try AssistanceTranslation.updates(item: value), for: ConversationID(id))
                } catch {
                    unreadableAssistance(error, key: item.key)
                }
            }
        case .event(let event):
            guard let data = try? event.data(),
                let id = try? WireFields(data, item: "\(event.type) event").identifier(
                    "conversationId", as: ConversationID.self)
            else { return }
            do {
                if let item = data["item"] { noteIntent(of: item, for: id) }
                directives += remember(try AssistanceTranslation.updates(type: event.type, data: data), for: id)
            } catch {
                unreadableAssistance(error, key: "\(event.type) event of \(id)")
            }
        case .status:
            return
        }
        await deliver(directives, now: Date())
    }

    /// Keeps the updates that change something and addresses them to the agent working on it.
    private func remember(_ updates: [AssistanceUpdate], for conversation: ConversationID) -> [DeskDirective] {
        var changed: [AssistanceUpdate] = []
        // A case summary an agent corrected stands: the drafted one does not replace it.
        for update in updates
        where assistance[conversation]?[update.tool] != update
            && !(update.tool == .caseSummary && editedCaseSummaries[conversation] != nil)
        {
            assistance[conversation, default: [:]][update.tool] = update
            changed.append(update)
        }
        if assistance.count > Self.assistanceConversationsMax { forgetAssistanceOfEndedWork() }
        guard let owner = mirror.conversation(conversation), owner.state == .assigned, let agent = owner.agent else {
            return []
        }
        return changed.map { DeskDirective(agent: agent, input: .assistance(conversation, $0)) }
    }

    private func forgetAssistanceOfEndedWork() {
        assistance = assistance.filter { mirror.conversation($0.key) != nil }
    }

    /// Keeps the intent of an assist item (the one its suggestions were for), bounded like the assistance.
    private func noteIntent(of item: JSON, for conversation: ConversationID) {
        guard let intent = (try? AssistItem(json: item))?.intent?.intent else { return }
        conversationIntents[conversation] = intent
        if conversationIntents.count > Self.assistanceConversationsMax {
            conversationIntents = conversationIntents.filter { mirror.conversation($0.key) != nil }
        }
    }

    /// The assistance to give sessions that open: the summariser's, with a corrected case summary
    /// standing in for the drafted one (whoever opens the conversation next sees the correction).
    func cachedAssistance(for conversations: [ConversationID]? = nil) -> [ConversationID: [AssistanceUpdate]] {
        var result: [ConversationID: [AssistanceUpdate]] = [:]
        if let conversations {
            for id in conversations {
                var tools = assistance[id] ?? [:]
                if let edited = editedCaseSummaries[id] { tools[.caseSummary] = .caseSummary(edited) }
                if !tools.isEmpty { result[id] = Self.ordered(tools) }
            }
        } else {
            var all = assistance
            for (id, edited) in editedCaseSummaries where mirror.conversation(id) != nil {
                all[id, default: [:]][.caseSummary] = .caseSummary(edited)
            }
            for (id, tools) in all { result[id] = Self.ordered(tools) }
        }
        return result
    }

    private static func ordered(_ tools: [PaneTool: AssistanceUpdate]) -> [AssistanceUpdate] {
        PaneTool.allCases.compactMap { tools[$0] }
    }

    /// Hands each signed-in agent their facts, in order.
    private func deliver(_ directives: [DeskDirective], now: Date) async {
        guard !directives.isEmpty else { return }
        var order: [AgentID] = []
        var inputs: [AgentID: [DeskInput]] = [:]
        for directive in directives where agents[directive.agent] != nil {
            if inputs[directive.agent] == nil { order.append(directive.agent) }
            inputs[directive.agent, default: []].append(directive.input)
        }
        for agent in order {
            guard let desk = agents[agent], let facts = inputs[agent] else { continue }
            let opened = facts.compactMap { input -> ConversationID? in
                if case .assigned(let item, _, _) = input { item.conversation } else { nil }
            }
            await desk.apply(facts, assistance: cachedAssistance(for: opened), now: now)
        }
    }

    // MARK: Configuration

    /// A new contact-centre file: role defaults of signed-in agents follow it.
    func reload(_ newContactCentre: ContactCentre) async {
        contactCentre = newContactCentre
        let now = Date()
        for (agent, desk) in agents {
            guard let role = newContactCentre.roleName(of: agent) else { continue }
            await desk.apply(
                [.roleDefaults(role, newContactCentre.rolePreferences.defaults(for: role))], assistance: [:], now: now)
        }
        logger.notice("desk took up the contact-centre file", metadata: ["signedIn": "\(agents.count)"])
    }

    func displayName(_ agent: AgentID) -> String? {
        contactCentre.agent(agent)?.name ?? mirror.agents[agent]?.name
    }
}
