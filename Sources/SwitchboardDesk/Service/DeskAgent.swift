import Foundation
import GRDB
import Logging
import SwitchboardBus
import SwitchboardRouting
import SwitchboardStore
import SwitchboardWorkspace

/// One signed-in agent at the desk: their `DeskRecord`, changed only here. Every change is
/// committed (the agent's row, its `desk.*` events, the command's reply) in one transaction,
/// and the changes of one agent are committed in the order they were made, so the row never
/// goes back in time and the events keep their order. A command is answered only after its
/// change is committed; facts from the router and the summariser do not wait for the disk.
actor DeskAgent {
    let id: AgentID
    private(set) var record: DeskRecord
    private let name: String?
    private let committer: GroupCommitter
    private let logger: Logger
    /// The last commit of this agent, which the next one waits for.
    private var lastCommit: Task<Bool, Never>?

    init(record: DeskRecord, name: String?, committer: GroupCommitter, logger: Logger) {
        self.id = record.agent
        self.record = record
        self.name = name
        self.committer = committer
        self.logger = logger
    }

    /// Applies facts, then the cached assistance of any session they opened. Ignored while
    /// the agent is signed out: the next sign-in catches up with the router.
    func apply(_ inputs: [DeskInput], assistance: [ConversationID: [AssistanceUpdate]], now: Date) {
        guard record.signedIn else { return }
        var next = record
        var events: [DeskEvent] = []
        for input in inputs { events += next.apply(input, now: now) }
        events += Self.addAssistance(assistance, openedBy: events, to: &next, now: now)
        _ = change(to: next, events: events, reply: nil, now: now)
    }

    /// Brings the desk up to date with the router's state.
    func resync(with mirror: RouterMirror, assistance: [ConversationID: [AssistanceUpdate]], now: Date) {
        guard record.signedIn else { return }
        var next = record
        var events = next.resync(with: mirror, now: now)
        events += Self.addAssistance(assistance, openedBy: events, to: &next, now: now)
        _ = change(to: next, events: events, reply: nil, now: now)
    }

    /// Carries out a command's change and answers it once committed. `body` changes the record
    /// and returns the events and the result; a throw refuses the command with no change.
    /// `writes`, when given, writes the desk's other tables in the same transaction.
    func perform(
        commandID: String, now: Date, writes: (@Sendable (Database) throws -> Void)? = nil,
        _ body: @Sendable (inout DeskRecord) throws(CommandFailure) -> (events: [DeskEvent], result: JSON)
    ) async -> CommandOutcome {
        var next = record
        let events: [DeskEvent]
        let result: JSON
        do throws(CommandFailure) {
            (events, result) = try body(&next)
        } catch {
            return .failed(error)
        }
        let outcome = CommandOutcome.ok(result)
        switch change(to: next, events: events, reply: (commandID, outcome), writes: writes, now: now) {
        case .unchanged:
            // Nothing to commit: the command server stores the reply itself.
            return outcome
        case .refused(let failure):
            return .failed(failure)
        case .committing(let commit):
            guard await commit.value else {
                return .failed(
                    CommandFailure(code: .unavailable, message: "the desk is shutting down; retry with the same id"))
            }
            return outcome
        }
    }

    /// `perform` for a change the workspace may refuse: its refusal becomes the NACK.
    func performWorkspaceChange(
        commandID: String, now: Date,
        _ body: @Sendable (inout DeskRecord) throws(WorkspaceError) -> (events: [DeskEvent], result: JSON)
    ) async -> CommandOutcome {
        await perform(commandID: commandID, now: now) { record throws(CommandFailure) in
            do throws(WorkspaceError) {
                return try body(&record)
            } catch {
                throw error.commandFailure
            }
        }
    }

    private enum Change {
        case unchanged
        case refused(CommandFailure)
        /// True once committed; false when the store closed first (the desk is stopping).
        case committing(Task<Bool, Never>)
    }

    /// Takes `next` as the record and commits it after the agent's previous commit.
    private func change(
        to next: DeskRecord, events: [DeskEvent], reply: (id: String, outcome: CommandOutcome)?,
        writes: (@Sendable (Database) throws -> Void)? = nil, now: Date
    ) -> Change {
        guard next != record else { return .unchanged }
        let recordBytes: [UInt8]
        let item: JSON
        do {
            recordBytes = try DeskCoding.encodeForStorage(next)
            item = try DeskWireItem.json(next, name: name, updatedAt: now)
        } catch {
            logger.error("cannot encode the desk of \(id): \(error); the change is dropped")
            return .refused(
                CommandFailure(code: .internal, message: "the desk of \(id) could not be encoded: \(error)"))
        }
        let itemBytes = item.bytes
        guard itemBytes.count <= DeskLimits.itemBytesMax else {
            let drafts = next.workspace.drafts.reduce(0) { $0 + $1.byteCount }
            logger.warning("the desk of \(id) would hold \(itemBytes.count) bytes; the change is refused")
            return .refused(
                CommandFailure(
                    code: .invalidArgument,
                    message: "the desk of \(id) would hold \(itemBytes.count) bytes (drafts: \(drafts)); "
                        + "at most \(DeskLimits.itemBytesMax) are kept: send or discard some drafts"))
        }
        record = next
        let agent = id
        let signedIn = next.signedIn
        let busEvents = DeskBusEvent.events(for: events, of: agent, item: item)
        let previous = lastCommit
        let committer = self.committer
        let logger = self.logger
        let commit = Task {
            _ = await previous?.value
            do {
                try await committer.commit { transaction in
                    try DeskTable.upsert(
                        agent: agent, signedIn: signedIn, record: recordBytes, item: itemBytes, in: transaction.db)
                    try writes?(transaction.db)
                    for event in busEvents {
                        _ = try transaction.emit(topic: event.topic, type: event.type, data: event.data)
                    }
                    if let reply { _ = try transaction.saveReply(id: reply.id, outcome: reply.outcome) }
                }
                return true
            } catch {
                // A change made while the desk shuts down is not committed: a command waiting for it
                // is answered `unavailable` (its client retries with the same id), and facts are
                // derived again from the router's snapshot at the next start.
                if committer.store.isClosed { return false }
                logger.critical("the desk could not commit the desk of \(agent): \(error); stopping")
                // Memory is ahead of the disk: start again from what was committed.
                exit(70)
            }
        }
        lastCommit = commit
        return .committing(commit)
    }

    /// Feeds the assistance the summariser already published to the sessions that just opened.
    private static func addAssistance(
        _ assistance: [ConversationID: [AssistanceUpdate]], openedBy events: [DeskEvent], to record: inout DeskRecord,
        now: Date
    ) -> [DeskEvent] {
        guard !assistance.isEmpty else { return [] }
        var added: [DeskEvent] = []
        for event in events {
            guard case .workspace(.sessionOpened(let conversation, _, _, _, _)) = event else { continue }
            for update in assistance[conversation] ?? [] {
                added += record.apply(.assistance(conversation, update), now: now)
            }
        }
        return added
    }
}
