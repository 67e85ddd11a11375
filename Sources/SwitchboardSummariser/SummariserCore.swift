import Logging
import SwitchboardBus

/// The summariser's dispatcher: it reads the router's facts in order, keeps one
/// ``ConversationAssistant`` per conversation that has something to assist with, hands each its
/// inputs, and forgets conversations a while after they end. A conversation is followed from the
/// moment an agent is first offered it (or holds it): until then no agent reads its assistance, and
/// a queue of a hundred thousand waiting customers costs the summariser nothing. Its actor starts
/// by reading the transcript so far from the router. It owns no assistance itself: each
/// actor does, and publishes through the shared board.
public actor SummariserCore {
    public struct Settings: Sendable {
        /// An ended conversation's item stays this long (the agent finishes wrap-up with it), then goes.
        public var forgetAfterSeconds: Double = 120

        public init(forgetAfterSeconds: Double = 120) {
            self.forgetAfterSeconds = forgetAfterSeconds
        }
    }

    private let environment: AssistantEnvironment
    private let settings: Settings
    private var assistants: [String: ConversationAssistant] = [:]
    private var names: [String: String] = [:]
    /// Ended conversations and when they ended (milliseconds since the Unix epoch).
    private var endedAt: [String: Int64] = [:]
    /// Each conversation's queue as the router last gave it, and the one its actor was told of
    /// (the queue's language is the hint for the customer's).
    private var queues: [String: String] = [:]
    private var queuesTold: [String: String] = [:]
    private let spawned: AsyncStream<ConversationAssistant>.Continuation
    private let spawnedStream: AsyncStream<ConversationAssistant>

    public init(environment: AssistantEnvironment, settings: Settings = Settings()) {
        self.environment = environment
        self.settings = settings
        (spawnedStream, spawned) = AsyncStream<ConversationAssistant>.makeStream()
    }

    /// Runs every conversation actor created, until cancelled (one child task per actor).
    public nonisolated func runAssistants() async {
        await withDiscardingTaskGroup { group in
            for await assistant in spawnedStream {
                group.addTask { await assistant.run() }
            }
        }
    }

    /// Conversations followed now.
    public var activeConversations: Int { assistants.count }

    /// The actor of a conversation, if followed (for tests).
    public func assistant(_ conversationId: String) -> ConversationAssistant? { assistants[conversationId] }

    // MARK: Facts

    /// Applies facts in order; `nowMilliseconds` is the wall clock (to age ended conversations).
    public func apply(_ facts: [SummariserFact], nowMilliseconds: Int64) {
        for fact in facts {
            switch fact {
            case .snapshot(let snapshot):
                applySnapshot(snapshot, nowMilliseconds: nowMilliseconds)
            case .conversation(let conversation):
                noteEnd(conversation, at: nowMilliseconds)
                let id = conversation.conversationId
                if assistants[id] != nil {
                    noteQueue(conversation)
                } else if conversation.hasReachedAnAgent {
                    // The catch-up reads the queue from the conversation, as a rebuild does.
                    noteQueue(conversation)
                    queuesTold[id] = queues[id]
                    submit([.catchUp(conversation, names: names)], to: assistant(for: id))
                }
            case .message(let id, let message):
                // A conversation no agent has been offered yet is not followed: its lines are read
                // from the router when one is.
                guard let assistant = assistants[id] else { continue }
                submit(queueInputs(id) + [.message(AssistTrack.naming(message, with: names))], to: assistant)
            case .transferred(let conversation, let toQueue, let toAgentId, let fromAgentId, let at, let note):
                let id = conversation.conversationId
                noteQueue(conversation)
                guard let assistant = assistants[id] else {
                    // Transferred before it was followed: the router's transcript and history place it.
                    queuesTold[id] = queues[id]
                    submit([.catchUp(conversation, names: names)], to: assistant(for: id))
                    continue
                }
                submit(queueInputs(id), to: assistant)
                submit(
                    [
                        .transferred(
                            ordinal: conversation.transfers, toQueue: toQueue, toAgentName: name(toAgentId),
                            fromAgentName: name(fromAgentId), atMilliseconds: at, note: note)
                    ], to: assistant)
            case .closed(let conversation, let agentId, let at):
                if let assistant = assistants[conversation.conversationId] {
                    submit([.closed(agentName: name(agentId), atMilliseconds: at)], to: assistant)
                }
                noteEnd(conversation, at: at)
            case .abandoned(let conversation, let at):
                noteEnd(conversation, at: at)
            case .agentName(let agentId, let name):
                names[agentId] = name
            }
        }
    }

    /// An agent used or dismissed a suggestion of a followed conversation at the desk.
    public func suggestionHandled(_ suggestionId: String, in conversationId: String) {
        guard let assistant = assistants[conversationId] else { return }
        submit([.suggestionHandled(suggestionId)], to: assistant)
    }

    /// Forgets conversations that ended at least `forgetAfterSeconds` before `nowMilliseconds`;
    /// returns how many items went.
    @discardableResult
    public func forgetEnded(nowMilliseconds: Int64) -> Int {
        let cutoff = nowMilliseconds - Int64(settings.forgetAfterSeconds * 1_000)
        var forgotten = 0
        for (id, ended) in endedAt where ended <= cutoff {
            endedAt[id] = nil
            forgetQueue(id)
            if let assistant = assistants.removeValue(forKey: id) {
                submit([.forget], to: assistant)
                forgotten += 1
            }
        }
        return forgotten
    }

    private func applySnapshot(_ snapshot: RouterSnapshotFacts, nowMilliseconds: Int64) {
        names.merge(snapshot.agentNames) { _, new in new }
        let cutoff = nowMilliseconds - Int64(settings.forgetAfterSeconds * 1_000)
        let ids = Set(snapshot.conversations.keys).union(snapshot.transcripts.keys)
        for id in ids.sorted() {
            let conversation = snapshot.conversations[id]
            let transcript = snapshot.transcripts[id] ?? []
            if let conversation, conversation.isEnded {
                let ended = conversation.endedAtMilliseconds ?? nowMilliseconds
                if ended <= cutoff {
                    // Ended long ago: nothing to assist with any more.
                    endedAt[id] = nil
                    forgetQueue(id)
                    if let assistant = assistants.removeValue(forKey: id) { submit([.forget], to: assistant) }
                    continue
                }
                endedAt[id] = ended
            }
            // A rebuild reads the queue from the snapshot; a resync is told of a new one first.
            if let existing = assistants[id] {
                noteQueue(snapshot.conversations[id])
                submit(queueInputs(id) + [.resync(conversation, transcript, names: names)], to: existing)
            } else if conversation?.hasReachedAnAgent ?? !transcript.isEmpty,
                !transcript.isEmpty || (conversation?.transfers ?? 0) > 0
            {
                noteQueue(snapshot.conversations[id])
                queuesTold[id] = queues[id]
                submit([.rebuild(conversation, transcript, names: names)], to: assistant(for: id))
            }
        }
        // The router no longer has these (its retention passed, or it lost them): nothing to follow.
        for id in Set(queues.keys).subtracting(ids) { forgetQueue(id) }
        for (id, assistant) in assistants where !ids.contains(id) {
            assistants[id] = nil
            endedAt[id] = nil
            submit([.forget], to: assistant)
        }
        environment.logger.info(
            "router snapshot applied",
            metadata: ["conversations": "\(ids.count)", "followed": "\(assistants.count)"])
    }

    private func noteEnd(_ conversation: RouterConversation, at: Int64) {
        guard conversation.isEnded, endedAt[conversation.conversationId] == nil else { return }
        endedAt[conversation.conversationId] = conversation.endedAtMilliseconds ?? at
    }

    /// Remembers the queue of a followed conversation (its language is a hint to the detector).
    private func noteQueue(_ conversation: RouterConversation?) {
        if let conversation, let queue = conversation.queue { queues[conversation.conversationId] = queue }
    }

    /// The queue input due before the next input of `id`: none when its actor knows the queue.
    private func queueInputs(_ id: String) -> [AssistantInput] {
        guard let queue = queues[id], queuesTold[id] != queue else { return [] }
        queuesTold[id] = queue
        return [.queue(queue)]
    }

    private func forgetQueue(_ id: String) {
        queues[id] = nil
        queuesTold[id] = nil
    }

    private func assistant(for id: String) -> ConversationAssistant {
        if let existing = assistants[id] { return existing }
        let created = ConversationAssistant(conversationId: id, environment: environment)
        assistants[id] = created
        spawned.yield(created)
        return created
    }

    private func submit(_ inputs: [AssistantInput], to assistant: ConversationAssistant) {
        environment.limit.add(inputs.count)
        assistant.submit(inputs)
    }

    private func name(_ agentId: String?) -> String? {
        agentId.map { names[$0] ?? $0 }
    }
}
