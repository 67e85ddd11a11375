public import Logging
public import SwitchboardAssist
import SwitchboardBus
import SwitchboardServiceKit
public import SwitchboardWire

/// Where the router's account of a conversation comes from when the summariser rebuilds a
/// transferred conversation (`conversation.explain`), so that transfers land between the right lines.
public protocol ConversationHistorySource: Sendable {
    /// The transfer and close steps, oldest first; nil when the router cannot say.
    func history(of conversationId: String) async -> [RouterHistoryStep]?
    /// The transcript as the agent sees it (`conversation.transcript`), oldest first; nil when the
    /// router cannot say.
    func transcript(of conversationId: String) async -> [TranscriptMessage]?
}

extension ConversationHistorySource {
    /// A source that knows histories only.
    public func transcript(of conversationId: String) async -> [TranscriptMessage]? { nil }
}

/// One input of a conversation actor, in the router's order.
public enum AssistantInput: Sendable {
    case message(TranscriptMessage)
    case transferred(
        ordinal: Int, toQueue: String?, toAgentName: String?, fromAgentName: String?, atMilliseconds: Int64,
        note: String? = nil)
    case closed(agentName: String?, atMilliseconds: Int64)
    /// The conversation's queue (its language is a hint for the customer's).
    case queue(String)
    /// Start over from the router's snapshot.
    case rebuild(RouterConversation?, [TranscriptMessage], names: [String: String])
    /// An agent was offered the conversation or holds it: read its transcript so far from the
    /// router and start from it (the summariser keeps nothing of a conversation no agent has seen).
    case catchUp(RouterConversation, names: [String: String])
    /// A new router snapshot for a conversation already followed: apply what is missing (or
    /// rebuild when the snapshot shows something that cannot be caught up line by line).
    case resync(RouterConversation?, [TranscriptMessage], names: [String: String])
    /// The conversation ended a while ago (or the router no longer has it): remove its item and stop.
    case forget
    /// An agent used or dismissed this suggestion at the desk: it is not offered again here.
    case suggestionHandled(String)
}

/// What every conversation actor shares.
public struct AssistantEnvironment: Sendable {
    public var context: AssistTrack.Context
    public var board: AssistBoard
    public var history: (any ConversationHistorySource)?
    /// A remote backend that rewrites summaries and suggestions; nil: the offline results stand.
    public var backend: (any AssistBackend)?
    public var limit: PendingWorkLimit
    public var logger: Logger
    /// The desk's counts of what agents did with suggestions; nil: `context`'s feedback stands.
    public var deskFeedback: DeskFeedback?

    public init(
        context: AssistTrack.Context, board: AssistBoard, history: (any ConversationHistorySource)?,
        backend: (any AssistBackend)?, limit: PendingWorkLimit, logger: Logger, deskFeedback: DeskFeedback? = nil
    ) {
        self.deskFeedback = deskFeedback
        self.context = context
        self.board = board
        self.history = history
        self.backend = backend
        self.limit = limit
        self.logger = logger
    }
}

/// The actor of one active conversation: it owns the conversation's ``AssistTrack``, takes its
/// inputs in order from an inbox (whatever has arrived is applied as one batch), and publishes
/// what changed through the shared ``AssistBoard``. Conversations are independent, so their
/// actors run in parallel; the board is the one place where their events get seqs.
public actor ConversationAssistant {
    public nonisolated let conversationId: String
    private let environment: AssistantEnvironment
    private let inbox = Mailbox<AssistantInput>()
    private var track: AssistTrack
    private var published: AssistItem?
    private var gapsReported = 0
    /// The remote backend's rewrites, kept while the offline result they rewrote stands.
    private var remoteSummary: (offline: String, rewritten: String)?
    private var remoteSuggestions: (offline: [AssistItem.Suggestion], rewritten: [AssistItem.Suggestion])?

    public init(conversationId: String, environment: AssistantEnvironment) {
        self.conversationId = conversationId
        self.environment = environment
        self.track = AssistTrack(conversationId: conversationId)
    }

    /// Queues inputs (in order; callable from anywhere). The caller has counted them in the limit.
    public nonisolated func submit(_ inputs: [AssistantInput]) {
        guard !inputs.isEmpty else { return }
        // A conversation whose actor has finished takes nothing more: what it is refused is done.
        if !inbox.post(contentsOf: inputs) { environment.limit.done(inputs.count) }
    }

    /// Applies inputs as they come until ``AssistantInput/forget`` or cancellation.
    public func run() async {
        for await _ in inbox.wakeUps {
            while !Task.isCancelled {
                let batch = inbox.take()
                if batch.isEmpty { break }
                let finished = await process(batch)
                environment.limit.done(batch.count)
                if finished {
                    environment.limit.done(inbox.close().count)
                    return
                }
            }
        }
    }

    /// The item as last published (for tests and status).
    public var publishedItem: AssistItem? { published }

    // MARK: Applying

    /// Applies a batch and publishes the result; true when the actor is done.
    private func process(_ batch: [AssistantInput]) async -> Bool {
        let context = currentContext()
        for input in batch {
            switch input {
            case .message(let message):
                let outcome = track.apply(message, context: context)
                if case .appliedAfterGap(let expected) = outcome { reportGap(expected: expected, got: message.number) }
            case .transferred(let ordinal, let toQueue, let toAgentName, let fromAgentName, let at, let note):
                track.applyTransfer(
                    ordinal: ordinal, toQueue: toQueue, toAgentName: toAgentName, fromAgentName: fromAgentName,
                    note: note, atMilliseconds: at, context: context)
            case .closed(let agentName, let at):
                track.applyClose(byAgentName: agentName, atMilliseconds: at, context: context)
            case .queue(let queue):
                track.applyQueue(queue, context: context)
            case .rebuild(let conversation, let transcript, let names):
                await rebuild(conversation, transcript, names: names)
            case .catchUp(let conversation, let names):
                let transcript = await environment.history?.transcript(of: conversationId)
                if transcript == nil {
                    environment.logger.info(
                        "no transcript from the router: assisting from the next line",
                        metadata: ["conversation": "\(conversationId)"])
                }
                await rebuild(conversation, transcript ?? [], names: names)
            case .resync(let conversation, let transcript, let names):
                let snapshotLast = transcript.map(\.number).max() ?? 0
                if snapshotLast < track.lastMessageNumber || (conversation?.transfers ?? 0) > track.transfersApplied {
                    await rebuild(conversation, transcript, names: names)
                } else {
                    for message in transcript where message.number > track.lastMessageNumber {
                        track.apply(AssistTrack.naming(message, with: names), context: context)
                    }
                    if let conversation, conversation.wasClosed {
                        track.applyClose(
                            byAgentName: conversation.agentId.map { names[$0] ?? $0 },
                            atMilliseconds: conversation.endedAtMilliseconds ?? 0, context: context)
                    }
                }
            case .suggestionHandled(let suggestionId):
                track.handleSuggestion(suggestionId, context: context)
            case .forget:
                environment.board.forget(conversationId)
                published = nil
                return true
            }
        }
        var item = track.item(backend: environment.backend?.name ?? "offline")
        if let backend = environment.backend { item = await rewrite(item, with: backend) }
        let facets = AssistFacet.changes(from: published, to: item)
        if !facets.isEmpty {
            environment.board.commit(item, facets: facets)
            published = item
            environment.logger.debug(
                "assistance published",
                metadata: ["conversation": "\(conversationId)", "changed": "\(facets.map(\.rawValue))"])
        }
        return false
    }

    private func rebuild(
        _ conversation: RouterConversation?, _ transcript: [TranscriptMessage], names: [String: String]
    )
        async
    {
        var history: [RouterHistoryStep]?
        if (conversation?.transfers ?? 0) > 0, let source = environment.history {
            history = await source.history(of: conversationId)
            if history == nil {
                environment.logger.info(
                    "no history from the router: transfers placed after the last line",
                    metadata: ["conversation": "\(conversationId)"])
            }
        }
        track = AssistTrack.rebuild(
            conversationId: conversationId, conversation: conversation, transcript: transcript, history: history,
            names: names, context: currentContext())
    }

    /// The shared context with the desk's feedback as it stands now.
    private func currentContext() -> AssistTrack.Context {
        var context = environment.context
        if let deskFeedback = environment.deskFeedback { context.feedback = deskFeedback.current }
        return context
    }

    private func reportGap(expected: Int, got: Int) {
        gapsReported += 1
        if gapsReported == 1 || gapsReported % 100 == 0 {
            environment.logger.warning(
                "transcript lines missing: applied the next one anyway",
                metadata: ["conversation": "\(conversationId)", "expected": "\(expected)", "got": "\(got)"])
        }
    }

    // MARK: Remote backend

    /// The summary sentence and the suggestions as the remote backend writes them; the offline
    /// ones stay when it fails. Each offline result is sent once: a rewrite is kept while it stands.
    private func rewrite(_ offline: AssistItem, with backend: any AssistBackend) async -> AssistItem {
        var item = offline
        if let sentence = offline.summary, let draft = track.assist.summary {
            if remoteSummary?.offline != sentence {
                let request = SummaryRequest(
                    conversationId: conversationId, messages: track.assist.messages, intent: track.assist.intent,
                    offlineDraft: draft)
                do {
                    let rewritten = try await backend.summarise(request)
                    remoteSummary = (sentence, rewritten.sentence)
                } catch {
                    environment.logger.warning(
                        "the \(backend.name) backend did not summarise; the offline summary stands",
                        metadata: ["conversation": "\(conversationId)", "error": "\(error)"])
                    remoteSummary = (sentence, sentence)
                }
            }
            item.summary = remoteSummary?.rewritten ?? sentence
        }
        if !offline.suggestions.isEmpty {
            if remoteSuggestions?.offline != offline.suggestions {
                let request = ReplyRequest(
                    conversationId: conversationId, messages: track.assist.messages, intent: track.assist.intent,
                    articles: track.assist.knowledge, offlineSuggestions: track.assist.suggestions)
                do {
                    let rewritten = try await backend.suggestReplies(request).map(AssistItem.Suggestion.init)
                    remoteSuggestions = (offline.suggestions, rewritten.isEmpty ? offline.suggestions : rewritten)
                } catch {
                    environment.logger.warning(
                        "the \(backend.name) backend did not suggest replies; the offline ones stand",
                        metadata: ["conversation": "\(conversationId)", "error": "\(error)"])
                    remoteSuggestions = (offline.suggestions, offline.suggestions)
                }
            }
            item.suggestions = remoteSuggestions?.rewritten ?? offline.suggestions
        }
        return item
    }
}
