import Foundation
import SwitchboardRouting
import Synchronization

/// Writes the router's checkpoints so that each costs what changed since the last one. An ended
/// conversation (closed or abandoned) stays for the retention period, an hour by default, but
/// hardly ever changes again: its view and transcript get a row of their own in `router_ended`
/// when a checkpoint first sees it ended, and are written again only if they changed. The
/// checkpoint itself holds the engine and the open conversations.
///
/// One checkpoint is written at a time (the router core waits for one to end before it starts the
/// next); the lock only makes the hand-over between tasks safe.
public final class RouterCheckpointWriter: Sendable {
    /// What one checkpoint writes.
    struct Plan: Sendable {
        var checkpoint: Data
        var endedRows: [(id: ConversationID, view: Data, transcript: Data)]
        var removedEnded: [ConversationID]
        /// The ended conversations as the store holds them once this plan is committed.
        fileprivate var written: [ConversationID: Written]
    }

    fileprivate struct Written: Sendable {
        var view: ConversationView
        var messageCount: Int
    }

    private let written = Mutex<[ConversationID: Written]>([:])

    public init() {}

    /// Ended conversations the store already holds (after recovery).
    func remember(_ views: [ConversationView], transcripts: [ConversationID: [TranscriptMessage]]) {
        written.withLock { written in
            for view in views where view.isEnded {
                written[view.id] = Written(view: view, messageCount: transcripts[view.id]?.count ?? 0)
            }
        }
    }

    /// Encodes the checkpoint and the ended conversations that are new or changed.
    func plan(_ state: RouterState) throws -> Plan {
        let encoder = JSONEncoder()
        let before = written.withLock { $0 }
        var after: [ConversationID: Written] = [:]
        after.reserveCapacity(before.count)
        var rows: [(id: ConversationID, view: Data, transcript: Data)] = []
        for (id, view) in state.views where view.isEnded {
            let messages = state.transcripts[id] ?? []
            let now = Written(view: view, messageCount: messages.count)
            // Views share their storage with the last one written unless they changed, so this
            // comparison is cheap for the many that did not.
            if let old = before[id], old.messageCount == now.messageCount, old.view == view {
                after[id] = old
                continue
            }
            rows.append((id, try encoder.encode(view), try encoder.encode(messages)))
            after[id] = now
        }
        let removed = before.keys.filter { after[$0] == nil }
        return Plan(
            checkpoint: try encoder.encode(state.checkpointOfOpenConversations()), endedRows: rows,
            removedEnded: removed,
            written: after)
    }

    /// The plan's transaction committed: the store now holds what it wrote.
    func committed(_ plan: Plan) {
        written.withLock { $0 = plan.written }
    }
}
