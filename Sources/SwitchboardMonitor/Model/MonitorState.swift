import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardTopology
import SwitchboardWire

/// What the monitor knows of the services it follows (router, presence, desk, summariser),
/// built from their snapshots and events alone. Pure: `apply` does no I/O and reads no clock,
/// so the view computed from it is the same for any consumer that saw the same stream.
public struct MonitorState: Sendable {
    public internal(set) var conversations: [ConversationID: MonitoredConversation] = [:]
    public internal(set) var routerAgents: [AgentID: RouterAgentLine] = [:]
    public internal(set) var presence: [AgentID: PresenceLine] = [:]
    public internal(set) var desks: [AgentID: DeskLine] = [:]
    public internal(set) var queues: [QueueID: RouterQueueLine] = [:]
    public internal(set) var sticky: [CustomerID: StickyLine] = [:]
    public internal(set) var routerAlerts: [String: RouterAlertLine] = [:]
    /// The summariser's running summary per conversation.
    public internal(set) var summaries: [ConversationID: String] = [:]
    public internal(set) var sources: [ServiceName: SourceLine] = [:]
    /// Rises each time the router reports that it re-read the contact-centre file.
    public internal(set) var routerReloads = 0

    /// Conversations kept at most (ended ones go first beyond it); the router's retention
    /// normally keeps the number far lower.
    public static let conversationsMax = 200_000
    /// Summaries kept at most.
    public static let summariesMax = 50_000

    /// How the monitor hears one publisher, since when.
    public struct SourceLine: Sendable, Equatable {
        public var status: SourceStatus
        public var sinceMilliseconds: Int64
        /// The last epoch seen live.
        public var epoch: UInt64?
    }

    /// - Parameter followed: the publishers the monitor follows (each starts `notHeard`).
    public init(followed: [ServiceName], startedAtMilliseconds: Int64) {
        for service in followed {
            sources[service] = SourceLine(status: .notHeard, sinceMilliseconds: startedAtMilliseconds)
        }
    }

    /// Applies one input received at `nowMilliseconds` (the monitor's clock, for source statuses).
    public mutating func apply(_ input: MonitorInput, nowMilliseconds: Int64) {
        switch input {
        case .snapshot(let service, let items):
            applySnapshot(from: service, items)
        case .event(let service, let event):
            applyEvent(from: service, event)
        case .status(let service, let status):
            var line = sources[service] ?? SourceLine(status: status, sinceMilliseconds: nowMilliseconds)
            if line.status.name != status.name { line.sinceMilliseconds = nowMilliseconds }
            line.status = status
            if case .live(let epoch) = status { line.epoch = epoch }
            sources[service] = line
        }
    }

    /// Forgets ended conversations the router itself has forgotten (older than `retentionSeconds`).
    public mutating func forgetEnded(nowMilliseconds: Int64, retentionSeconds: Double) {
        let cutoff = nowMilliseconds - Int64(retentionSeconds * 1_000)
        conversations = conversations.filter { _, conversation in
            !(conversation.isOverForCustomer
                && (conversation.endedAtMilliseconds ?? conversation.openedAtMilliseconds) < cutoff)
        }
        if conversations.count > Self.conversationsMax {
            let ended = conversations.values.filter(\.isOverForCustomer).sorted {
                $0.openedAtMilliseconds < $1.openedAtMilliseconds
            }
            for conversation in ended.prefix(conversations.count - Self.conversationsMax) {
                conversations[conversation.id] = nil
            }
        }
        summaries = summaries.filter { conversations[$0.key]?.isOverForCustomer == false }
    }

    // MARK: Snapshots

    private mutating func applySnapshot(from service: ServiceName, _ items: [MonitorItem]) {
        switch service {
        case .router:
            let previous = conversations
            conversations.removeAll(keepingCapacity: true)
            routerAgents.removeAll()
            queues.removeAll()
            sticky.removeAll()
            routerAlerts.removeAll()
            var transcripts: [ConversationID: [MonitoredConversation.MessageNote]] = [:]
            for item in items {
                switch family(of: item.key) {
                case "conv":
                    guard let wire = try? ConversationItem(json: item.value) else { continue }
                    var conversation = MonitoredConversation(item: wire)
                    if let known = previous[conversation.id], known.awaitsAgent, conversation.awaitsAgent {
                        conversation.waitingSinceMilliseconds =
                            known.waitingSinceMilliseconds ?? conversation.waitingSinceMilliseconds
                    }
                    conversations[conversation.id] = conversation
                case "transcript":
                    // A line that cannot be read is left out; the rest still counts for health.
                    guard let transcript = try? TranscriptItem.readingEachMessage(item.value).item else { continue }
                    transcripts[transcript.conversationId] = transcript.messages.suffix(
                        MonitoredConversation.messagesKept
                    )
                    .map(MonitoredConversation.MessageNote.init)
                default:
                    applyRouterItem(key: item.key, item: item.value)
                }
            }
            for (id, notes) in transcripts {
                guard var conversation = conversations[id], !conversation.isOverForCustomer else { continue }
                conversation.messages = notes
                conversations[id] = conversation
            }
        case .presence:
            presence = [:]
            for item in items {
                if let line = PresenceLine(item: item.value) { presence[line.agent] = line }
            }
        case .desk:
            desks = [:]
            for item in items where family(of: item.key) == "desk" {
                if let line = DeskLine(item: item.value) { desks[line.agent] = line }
            }
        case .summariser:
            summaries = [:]
            for item in items { applyAssist(key: item.key, item: item.value) }
        case .monitor, .gateway:
            break
        }
    }

    // MARK: Events

    private mutating func applyEvent(from service: ServiceName, _ event: MonitorEvent) {
        let data = event.data
        switch service {
        case .router:
            if event.type == "router.reloaded" {
                routerReloads += 1
                return
            }
            guard let key = data["key"]?.stringValue else { return }
            let item = data["item"] ?? .null
            if family(of: key) == "conv" {
                applyConversationEvent(event, key: key, item: item)
            } else {
                applyRouterItem(key: key, item: item)
            }
        case .presence:
            guard let key = data["key"]?.stringValue, family(of: key) == "presence" else { return }
            let agent = AgentID(String(key.dropFirst("presence.".count)))
            presence[agent] = (data["item"]).flatMap(PresenceLine.init(item:))
        case .desk:
            guard let key = data["key"]?.stringValue, family(of: key) == "desk" else { return }
            let agent = AgentID(String(key.dropFirst("desk.".count)))
            desks[agent] = (data["item"]).flatMap(DeskLine.init(item:))
        case .summariser:
            guard let key = data["key"]?.stringValue else { return }
            applyAssist(key: key, item: data["item"] ?? .null)
        case .monitor, .gateway:
            break
        }
    }

    private mutating func applyConversationEvent(_ event: MonitorEvent, key: String, item: JSON) {
        let id = ConversationID(String(key.dropFirst("conv.".count)))
        if item.isNull {
            conversations[id] = nil
            return
        }
        if let wire = try? ConversationItem(json: item) {
            if var known = conversations[id] {
                known.update(from: wire)
                conversations[id] = known
            } else {
                conversations[id] = MonitoredConversation(item: wire)
            }
        }
        guard var conversation = conversations[id] else { return }
        switch event.type {
        case "conversation.queued":
            if let since = try? WireFields(event.data, item: "conversation.queued event").optionalInt64("waitingSince")
            {
                conversation.waitingSinceMilliseconds = since
            }
        case "conversation.requeued", "conversation.transferred":
            if conversation.awaitsAgent { conversation.waitingSinceMilliseconds = event.atMilliseconds }
        case "conversation.message":
            if let message = try? TranscriptMessage(json: event.data) {
                conversation.record(MonitoredConversation.MessageNote(message))
            }
        default:
            break
        }
        conversations[id] = conversation
    }

    private mutating func applyRouterItem(key: String, item: JSON) {
        let id = String(key.drop { $0 != "." }.dropFirst())
        let present = !item.isNull
        switch family(of: key) {
        case "agent": routerAgents[AgentID(id)] = present ? RouterAgentLine(item: item) : nil
        case "queue": queues[QueueID(id)] = present ? RouterQueueLine(item: item) : nil
        case "sticky": sticky[CustomerID(id)] = present ? StickyLine(item: item) : nil
        case "alert": routerAlerts[id] = present ? RouterAlertLine(key: key, item: item) : nil
        default: break
        }
    }

    private mutating func applyAssist(key: String, item: JSON) {
        guard family(of: key) == "assist" else { return }
        let id = ConversationID(String(key.dropFirst("assist.".count)))
        let sentence = (try? SwitchboardWire.AssistItem(json: item))?.summary
        if let sentence, summaries.count < Self.summariesMax || summaries[id] != nil {
            summaries[id] = sentence
        } else if item.isNull {
            summaries[id] = nil
        }
    }

    private func family(of key: String) -> Substring {
        Topic.family(of: key)
    }
}
