import Foundation
import GRDB
public import Logging
public import SwitchboardBus
import SwitchboardRouting
import SwitchboardServiceKit
public import SwitchboardStore
public import SwitchboardTopology
import SwitchboardWire
import Synchronization

/// The router's single writer. Every change (commands, presence, timers) goes through one
/// loop that takes whatever work is waiting, applies it to `RouterState`, commits the inputs
/// to the journal together with the events and the replies in one transaction (group
/// commit), and only then answers. A snapshot request is answered between two batches, when
/// memory holds exactly what is committed, with the seqs of that commit.
public actor RouterCore: CommandHandler, SnapshotSource {
    private var state: RouterState
    private let store: AuthorityStore
    private let logger: Logger
    private let classifier: (any IntentClassifying)?
    private let reloadSettings: @Sendable () throws -> RouterSettings
    private let requestPresence: @Sendable ([PresenceRequest]) -> Void
    private let work = Mailbox<Work>()
    /// Set once the loop has stopped, before its mailbox closes: the state as it stood (all of
    /// it committed), so that work arriving later is still answered (see `submit`).
    private let stoppedState = Locked<RouterState?>(nil)
    private var lastNow: RoutingInstant = .zero
    private var timer: Task<Void, Never>?
    private var timerDeadline: RoutingInstant?
    private var journalSinceCheckpoint = 0
    private var lastCheckpointAt = ContinuousClock.now
    /// The position of the last journal entry committed.
    private var journalPosition: Int64 = 0
    /// The commit of the last batch, queued on the store's writer; it answers its batch from
    /// there and gives the journal position it wrote. At most one is in flight.
    private var commitTicket: CommitTicket?
    /// The checkpoint being encoded and written beside the loop, if any (one at a time).
    private var checkpointInFlight: Task<Void, Never>?
    private let checkpointWriter: RouterCheckpointWriter
    /// Snapshots reading settled conversations from the store. A checkpoint waits for them to end
    /// before it starts: it deletes the rows of conversations past the retention period, which a
    /// snapshot taken earlier may still give.
    private var snapshotReadsInFlight = 0
    private let figures = Locked(RouterFigures())
    /// Open conversations past which `conversation.open` is refused `overloaded`.
    private let openConversationsMax: Int
    /// What each checkpoint keeps of the journal it covers (`journalRetention:`).
    private let retention: RouterJournal.Retention
    /// Journal entries between checkpoints (``checkpointEvery`` unless a test asks for fewer).
    private let checkpointEntries: Int
    /// Whether the router is refusing new conversations at its limit (logged once per episode).
    private var refusingForLoad = false

    /// Decisions by rule and each queue's figures, as of the last batch applied (for metrics).
    public nonisolated var currentFigures: RouterFigures { figures.value }

    /// Journal entries between checkpoints (replaying this many must stay well under a second).
    public static let checkpointEvery = 10_000
    public static let checkpointEverySeconds = 30.0
    /// The most work items taken into one transaction.
    public static let batchMax = 4_096

    private enum Work: Sendable {
        case commands([CommandRequest], PendingOutcomes)
        case inputs([RouterInput])
        case snapshot(String?, CheckedContinuation<Snapshot, Never>)
        case reload(CheckedContinuation<CommandOutcome, Never>)
    }

    /// Restores the router from its store (checkpoint, then the journal since) or starts it
    /// fresh from `settings`.
    public init(
        store: AuthorityStore, settings: RouterSettings, classifier: (any IntentClassifying)?, logger: Logger,
        reloadSettings: @escaping @Sendable () throws -> RouterSettings,
        requestPresence: @escaping @Sendable ([PresenceRequest]) -> Void,
        openConversationsMax: Int = Topology.Service.openConversationsMaxDefault,
        retention: RouterJournal.Retention = .none,
        checkpointEntries: Int = RouterCore.checkpointEvery
    ) async throws {
        self.openConversationsMax = openConversationsMax
        self.retention = retention
        self.checkpointEntries = max(1, checkpointEntries)
        self.store = store
        self.logger = logger
        self.classifier = classifier
        self.reloadSettings = reloadSettings
        self.requestPresence = requestPresence
        let writer = RouterCheckpointWriter()
        checkpointWriter = writer
        let recovered = try await RouterJournal.recover(store: store, settings: settings, logger: logger)
        state = recovered.state
        journalSinceCheckpoint = recovered.replayed
        journalPosition = try await RouterJournal.lastPosition(store: store)
        lastNow = recovered.lastInstant
        let items = recovered.state.queueItems()
        figures.withLock { $0.queues = Dictionary(items.map { ($0.queue.rawValue, $0) }, uniquingKeysWith: { $1 }) }
        // A contact-centre file changed while the router was down takes effect now.
        if state.settings != settings {
            work.post(.inputs([.reload(settings)]))
        }
    }

    // MARK: Entry points

    public nonisolated func handle(_ commands: [CommandRequest]) async -> [CommandOutcome] {
        await queue(commands).value
    }

    /// Queues commands behind those queued before; the command server reads and queues the
    /// next batch while this one is applied and committed.
    public nonisolated func enqueue(_ commands: [CommandRequest]) -> PendingOutcomes? {
        queue(commands)
    }

    private nonisolated func queue(_ commands: [CommandRequest]) -> PendingOutcomes {
        let outcomes = PendingOutcomes()
        submit(.commands(commands, outcomes))
        return outcomes
    }

    public nonisolated func snapshot(prefix: String?) async -> Snapshot {
        await withCheckedContinuation { continuation in
            submit(.snapshot(prefix, continuation))
        }
    }

    /// Presence changes seen on the presence tracker's stream (journaled, no reply).
    public nonisolated func apply(_ inputs: [RouterInput]) {
        submit(.inputs(inputs))
    }

    /// Re-reads the contact-centre file (SIGHUP or `switchboard reload`).
    public nonisolated func reload() async -> CommandOutcome {
        await withCheckedContinuation { continuation in
            submit(.reload(continuation))
        }
    }

    private nonisolated func submit(_ item: Work) {
        // The mailbox refuses the item once the loop has closed it, and the stopped state is
        // set before that: an item is either taken by the loop or answered here.
        if !work.post(item), let stopped = stoppedState.value {
            answerAfterStop(item, state: stopped)
        }
    }

    /// Work that came after the loop stopped: commands are refused as retryable (the client
    /// sends them again to the next run), snapshots are of the state the loop stopped with.
    private nonisolated func answerAfterStop(_ item: Work, state: RouterState) {
        let stopping = CommandFailure(code: .unavailable, message: "the router is stopping; retry the command")
        switch item {
        case .commands(let requests, let outcomes): outcomes.fulfil(requests.map { _ in .failed(stopping) })
        case .reload(let continuation): continuation.resume(returning: .failed(stopping))
        case .snapshot(let prefix, let continuation):
            Task {
                continuation.resume(
                    returning: await Self.snapshot(
                        of: state, prefix: prefix, store: store, sequences: store.committedSequences(),
                        logger: logger))
            }
        case .inputs: break
        }
    }

    /// Runs the loop until the task is cancelled.
    public func run() async {
        // With a retained journal, the state the router starts with is kept as a history
        // checkpoint, so a replay can start from the first input of this run.
        if retention.journalSeconds > 0 { await checkpointIfDue(force: true) }
        scheduleTimer()
        for await _ in work.wakeUps {
            if Task.isCancelled { break }
            while true {
                let batch = work.take(max: Self.batchMax)
                if batch.isEmpty { break }
                await process(batch)
            }
        }
        timer?.cancel()
        // The last commit's replies go out, and a checkpoint being written finishes before the
        // store closes (it is only an optimisation of recovery, but a half-done one would be
        // logged as a failure).
        await settleCommit()
        await checkpointInFlight?.value
        // Work that came too late is answered, so no caller waits for ever.
        let stopped = state
        stoppedState.withLock { $0 = stopped }
        for item in work.close() { answerAfterStop(item, state: stopped) }
    }

    /// Waits for the commit in flight, if any, and takes its journal position: memory then
    /// holds exactly what is committed.
    private func settleCommit() async {
        if let ticket = commitTicket {
            commitTicket = nil
            if let position = await ticket.position() { journalPosition = max(journalPosition, position) }
        }
    }

    // MARK: One batch

    private func process(_ batch: [Work]) async {
        var journal: [(RouterInput, RoutingInstant)] = []
        var effects: [RouterEffect] = []
        var replies: [(id: String, outcome: CommandOutcome)] = []
        var presenceRequests: [PresenceRequest] = []
        var commandAnswers: [(PendingOutcomes, [CommandOutcome])] = []
        // Queries about settled conversations, answered from their rows in the batch's transaction.
        var endedQueries: [EndedQuery] = []
        var snapshots: [(String?, CheckedContinuation<Snapshot, Never>)] = []
        var reloads: [(CheckedContinuation<CommandOutcome, Never>, CommandOutcome)] = []

        func apply(_ input: RouterInput) -> CommandOutcome {
            let now = clock()
            let step = state.apply(input, at: now)
            journal.append((input, now))
            effects.append(contentsOf: step.effects)
            presenceRequests.append(contentsOf: step.presenceRequests)
            return RouterEventEncoder.outcome(step.reply)
        }

        for item in batch {
            switch item {
            case .commands(let requests, let pending):
                var outcomes: [CommandOutcome] = []
                outcomes.reserveCapacity(requests.count)
                for request in requests {
                    let outcome: CommandOutcome
                    if request.type == "router.reload" {
                        outcome = reloadOutcome(apply)
                    } else {
                        switch RouterCommand.parse(request, classifier: classifier, agents: { self.state.agents[$0] }) {
                        case .failure(let failure): outcome = .failed(failure)
                        case .success(.query(let query)):
                            if let settled = settledConversation(asked: query) {
                                endedQueries.append(
                                    EndedQuery(
                                        id: settled, query: query, answer: commandAnswers.count,
                                        outcome: outcomes.count, reply: replies.count))
                                outcome = .failed(
                                    CommandFailure(code: .notFound, message: "no conversation \(settled)"))
                            } else {
                                outcome = answer(query)
                            }
                        case .success(.input(let input)):
                            outcome = refusalForLoad(of: input).map { .failed($0) } ?? apply(input)
                        }
                    }
                    outcomes.append(outcome)
                    // A refusal asking for a retry is not the id's answer: the retry gets applied.
                    if case .failed(let failure) = outcome, failure.asksForRetry { continue }
                    replies.append((request.id, outcome))
                }
                commandAnswers.append((pending, outcomes))
            case .inputs(let inputs):
                for input in inputs { _ = apply(input) }
            case .snapshot(let prefix, let continuation):
                snapshots.append((prefix, continuation))
            case .reload(let continuation):
                reloads.append((continuation, reloadOutcome(apply)))
            }
        }

        if !effects.isEmpty {
            // Only a reload needs every queue (reading them here keeps the state uncopied).
            let reloaded = effects.contains { if case .reloaded = $0 { true } else { false } }
            let current = reloaded ? state.queueItems() : []
            figures.withLock { $0.record(effects, queuesAfterReload: current) }
        }
        if !journal.isEmpty || !replies.isEmpty {
            let entries = journal
            let outgoing = effects
            let saved = replies
            let queries = endedQueries
            let store = self.store
            let logger = self.logger
            let requestPresence = self.requestPresence
            let hasReplies = !replies.isEmpty
            let answered = commandAnswers
            let reloaded = reloads
            let presence = presenceRequests
            // Pipelined: this batch was applied while the previous one committed. Wait for that
            // commit (transactions stay in order, and at most one is in flight), then commit
            // this one beside the loop, which goes on to the next batch. Replies, events and
            // presence requests still wait for their own commit.
            await settleCommit()
            // Queued on the store's writer, which encodes the events, commits, and answers
            // from there: the actor goes on to the next batch, and no task of ours is woken
            // between the batch and its commit, nor between the commit and its answers.
            let ticket = CommitTicket()
            commitTicket = ticket
            store.commitInBackground(
                { transaction -> (Int64?, [(PendingOutcomes, [CommandOutcome])]) in
                    let events = RouterEventEncoder.commitEvents(outgoing)
                    let position = try RouterJournal.append(entries, in: transaction)
                    for event in events {
                        try transaction.emit(topic: event.topic, type: event.type, data: event.data)
                    }
                    var saved = saved
                    var answers = answered
                    for query in queries {
                        let outcome = try Self.answer(query, in: transaction.db)
                        saved[query.reply].outcome = outcome
                        answers[query.answer].1[query.outcome] = outcome
                    }
                    for reply in saved {
                        _ = try transaction.saveReply(id: reply.id, outcome: reply.outcome)
                    }
                    return (position, answers)
                },
                completion: { result in
                    let position: Int64?
                    let answers: [(PendingOutcomes, [CommandOutcome])]
                    switch result {
                    case .success(let committed): (position, answers) = committed
                    case .failure(let error):
                        // Memory is ahead of the disk and cannot be rolled back: stop, and let `up`
                        // restart the router from what was committed (nothing acknowledged is lost).
                        logger.critical("cannot commit the router's journal: \(error); stopping")
                        exit(70)
                    }
                    // Recovery tests: die here, committed but not yet acknowledged (batches with commands only).
                    if hasReplies { CrashPoints.hit(.afterCommit) }
                    for (outcomes, results) in answers { outcomes.fulfil(results) }
                    for (continuation, outcome) in reloaded { continuation.resume(returning: outcome) }
                    if !presence.isEmpty { requestPresence(presence) }
                    ticket.complete(position)
                })
            journalSinceCheckpoint += journal.count
        } else {
            for (outcomes, results) in commandAnswers { outcomes.fulfil(results) }
            for (continuation, outcome) in reloads { continuation.resume(returning: outcome) }
            if !presenceRequests.isEmpty { requestPresence(presenceRequests) }
        }
        if !snapshots.isEmpty {
            // A snapshot is answered when memory holds exactly what is committed, with the
            // seqs of that commit.
            await settleCommit()
            let sequences = store.committedSequences()
            for (prefix, continuation) in snapshots {
                let reads = RouterState.snapshotReadsSettled(prefix: prefix)
                guard !state.settled.isEmpty, reads.items || reads.transcripts else {
                    continuation.resume(
                        returning: Snapshot(
                            items: state.snapshotItems(prefix: prefix), epoch: store.epoch, sequences: sequences))
                    continue
                }
                // Settled conversations are read from their rows beside the loop; the copy taken
                // here says which, as of this commit.
                snapshotReadsInFlight += 1
                let state = self.state
                let store = self.store
                Task.detached { [weak self, logger] in
                    let snapshot = await Self.snapshot(
                        of: state, prefix: prefix, store: store, sequences: sequences, logger: logger)
                    await self?.snapshotReadEnded()
                    continuation.resume(returning: snapshot)
                }
            }
        }
        await checkpointIfDue()
        scheduleTimer()
    }

    /// New work refused while the router holds `openConversationsMax` open conversations: not
    /// applied (so not journaled), not stored as the id's reply, and the client retries later.
    private func refusalForLoad(of input: RouterInput) -> CommandFailure? {
        guard case .open = input else { return nil }
        guard state.engine.openConversationCount >= openConversationsMax else {
            if refusingForLoad {
                refusingForLoad = false
                logger.notice("open conversations are under openConversationsMax again; taking new conversations")
            }
            return nil
        }
        if !refusingForLoad {
            refusingForLoad = true
            let limit = openConversationsMax
            logger.warning(
                "the router holds \(limit) open conversations (openConversationsMax); refusing new ones overloaded")
        }
        return CommandFailure(
            code: .overloaded,
            message: "the router holds \(state.engine.openConversationCount) open conversations, its limit "
                + "(openConversationsMax: \(openConversationsMax) in the topology's router service); retry "
                + "later with the same id, or raise the limit",
            details: JSONObject([("openConversationsMax", .int(Int64(openConversationsMax)))]))
    }

    private func reloadOutcome(_ apply: (RouterInput) -> CommandOutcome) -> CommandOutcome {
        do {
            var settings = try reloadSettings()
            settings.closedRetentionSeconds = state.settings.closedRetentionSeconds
            let outcome = apply(.reload(settings))
            logger.notice("contact centre reloaded: \(outcome)")
            return outcome
        } catch {
            logger.error("contact centre refused; the old one stays in force: \(error)")
            return .failed(
                CommandFailure(
                    code: .invalidArgument,
                    message: "the contact-centre file was refused, the old one stays in force: \(error)"))
        }
    }

    private func answer(_ query: RouterQuery) -> CommandOutcome {
        switch query {
        case .transcript(let id, let role):
            guard let messages = state.transcript(of: id, for: role) else {
                return .failed(
                    CommandFailure(
                        code: .notFound, message: "no conversation \(id) (or it ended over the retention period ago)"))
            }
            return .ok(["conversationId": .string(id.rawValue), "messages": .array(messages.map(\.json))])
        case .explain(let id):
            guard let view = state.views[id] else {
                return .failed(
                    CommandFailure(
                        code: .notFound, message: "no conversation \(id) (or it ended over the retention period ago)"))
            }
            return .ok(["conversation": view.json, "history": view.historyJSON])
        case .status:
            return .ok([
                "epoch": .number(store.epoch), "open": .number(state.engine.openConversationCount),
                "waiting": .number(state.engine.waitingCount), "agents": .number(state.agents.count),
                "journalSinceCheckpoint": .number(journalSinceCheckpoint),
            ])
        }
    }

    // MARK: Settled conversations

    /// A query about a settled conversation, answered from its row in the batch's transaction; the
    /// indices say where its outcome goes among the batch's answers and replies.
    private struct EndedQuery: Sendable {
        var id: ConversationID
        var query: RouterQuery
        var answer: Int
        var outcome: Int
        var reply: Int
    }

    /// The settled conversation `query` asks about, if it does (its view and transcript are in the store).
    private func settledConversation(asked query: RouterQuery) -> ConversationID? {
        switch query {
        case .transcript(let id, _), .explain(let id):
            state.views[id] == nil && state.settled[id] != nil ? id : nil
        case .status: nil
        }
    }

    private static func answer(_ query: EndedQuery, in db: Database) throws -> CommandOutcome {
        guard let (view, messages) = try RouterJournal.endedConversation(query.id, in: db) else {
            return .failed(
                CommandFailure(
                    code: .notFound,
                    message: "no conversation \(query.id) (or it ended over the retention period ago)"))
        }
        switch query.query {
        case .transcript(let id, let role):
            let visible = role == .customer ? messages.filter { $0.audience == .everyone } : messages
            return .ok(["conversationId": .string(id.rawValue), "messages": .array(visible.map(\.json))])
        case .explain:
            return .ok(["conversation": view.json, "history": view.historyJSON])
        case .status:
            return .failed(CommandFailure(code: .notFound, message: "no conversation \(query.id)"))
        }
    }

    /// The snapshot of `state` under `prefix`, with the settled conversations read from their rows.
    /// A row that cannot be read leaves its conversation out, and says so in the log.
    private static func snapshot(
        of state: RouterState, prefix: String?, store: AuthorityStore, sequences: [String: UInt64], logger: Logger
    ) async -> Snapshot {
        let reads = RouterState.snapshotReadsSettled(prefix: prefix)
        var items: [(id: ConversationID, value: [UInt8])] = []
        var transcripts: [(id: ConversationID, value: [UInt8])] = []
        if !state.settled.isEmpty {
            do {
                if reads.items {
                    items = try await RouterJournal.endedItems(of: state.settled, transcripts: false, store: store)
                }
                if reads.transcripts {
                    transcripts = try await RouterJournal.endedItems(of: state.settled, transcripts: true, store: store)
                }
            } catch {
                logger.error("cannot read ended conversations for a snapshot: \(error)")
            }
        }
        return Snapshot(
            items: state.snapshotItems(prefix: prefix, settledItems: items, settledTranscripts: transcripts),
            epoch: store.epoch, sequences: sequences)
    }

    private func snapshotReadEnded() {
        snapshotReadsInFlight -= 1
    }

    // MARK: Time

    /// Wall-clock milliseconds, never going back (persisted deadlines are wall-clock based).
    private func clock() -> RoutingInstant {
        let now = RoutingInstant(millisecondsSinceEpoch: WallClock.microseconds() / 1_000)
        lastNow = max(lastNow, now)
        return lastNow
    }

    /// Wakes the loop with a tick at the engine's next deadline.
    private func scheduleTimer() {
        // Read without changing the engine: dropping moot timers here (as `nextDeadline` does)
        // would change the state outside an input, and copy the engine's tables to do it.
        let deadline = state.engine.earliestScheduledDeadline
        guard deadline != timerDeadline else { return }
        timer?.cancel()
        timerDeadline = deadline
        guard let deadline else { return }
        let delay = max(0, deadline.millisecondsSinceEpoch - WallClock.microseconds() / 1_000)
        timer = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(delay))
            guard !Task.isCancelled, let self else { return }
            await self.timerFired()
        }
    }

    private func timerFired() {
        timerDeadline = nil
        submit(.inputs([.tick]))
    }

    // MARK: Checkpoints

    /// Starts a checkpoint when enough journal has gathered. The state is copied here, between
    /// two batches (a value copy: its storage is shared until the loop next changes it), and
    /// encoded and written by a task of its own, so the loop goes on routing meanwhile. A
    /// checkpoint still in flight defers the next one.
    private func checkpointIfDue(force: Bool = false) async {
        let elapsed = (ContinuousClock.now - lastCheckpointAt).seconds
        guard checkpointInFlight == nil, snapshotReadsInFlight == 0,
            force || journalSinceCheckpoint >= checkpointEntries
                || (journalSinceCheckpoint > 0 && elapsed >= Self.checkpointEverySeconds)
        else { return }
        // The copy must be the committed state, with the journal position it reflects.
        await settleCommit()
        // Handed over through a box the task empties: once written, the copy is gone before the
        // task settles what it wrote, so that write copies nothing.
        let copy = Locked<RouterState?>(state.forCheckpoint())
        let through = journalPosition
        let covered = journalSinceCheckpoint
        let store = self.store
        let writer = checkpointWriter
        let retention = self.retention
        lastCheckpointAt = .now
        checkpointInFlight = Task.detached(priority: .utility) { [weak self, logger] in
            var written: [(id: ConversationID, endedAt: RoutingInstant)]?
            do {
                guard
                    let state = copy.withLock({ box in
                        defer { box = nil }
                        return box
                    })
                else { return }
                written = try await RouterJournal.writeCheckpoint(
                    state, through: through, writer: writer, store: store, retention: retention)
            } catch {
                logger.error("checkpoint failed (the journal keeps growing until one succeeds): \(error)")
            }
            await self?.checkpointEnded(covered: written == nil ? 0 : covered, settling: written ?? [])
        }
    }

    /// The checkpoint committed: the ended conversations it wrote are kept only as settled.
    private func checkpointEnded(covered: Int, settling written: [(id: ConversationID, endedAt: RoutingInstant)]) {
        journalSinceCheckpoint = max(0, journalSinceCheckpoint - covered)
        if !written.isEmpty { state.settle(written) }
        checkpointInFlight = nil
    }
}

/// The journal position of a commit queued on the store's writer, once it is committed.
final class CommitTicket: Sendable {
    private struct State {
        var position: Int64??
        var waiter: CheckedContinuation<Int64?, Never>?
    }

    private let state = Mutex(State())

    /// The writer: the commit is done (nil: it wrote no journal entry).
    func complete(_ position: Int64?) {
        let waiter = state.withLock { state -> CheckedContinuation<Int64?, Never>? in
            state.position = .some(position)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: position)
    }

    /// Waits for the commit (one waiter: the router's loop).
    func position() async -> Int64? {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Int64?? in
                if let position = state.position { return .some(position) }
                state.waiter = continuation
                return .none
            }
            if let done { continuation.resume(returning: done) }
        }
    }
}
