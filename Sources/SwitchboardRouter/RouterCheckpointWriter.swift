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
            checkpoint: try Self.encode(state.checkpointOfOpenConversations(), encoder: encoder), endedRows: rows,
            removedEnded: removed,
            written: after)
    }

    /// The checkpoint as JSON, written member by member and its conversations one at a time. The
    /// same document as encoding the whole value at once, which is how it is read back, but
    /// encoding it whole held the intermediate values of every open conversation until the end:
    /// several kilobytes per conversation at the peak, which the allocator then kept. Member by
    /// member, the peak is the output and one conversation's intermediates.
    static func encode(_ checkpoint: RouterCheckpoint, encoder: JSONEncoder) throws -> Data {
        var writer = MemberWriter(encoder: encoder)
        writer.open()
        try writer.member("settings", checkpoint.settings)
        writer.open("engine")
        let engine = checkpoint.engine
        try writer.member("configuration", engine.configuration)
        try writer.elements("agents", engine.agents)
        try writer.elements("conversations", engine.conversations)
        try writer.elements("stickyOwners", engine.stickyOwners)
        try writer.elements("activeAlerts", engine.activeAlerts)
        try writer.member("now", engine.now)
        try writer.member("nextArrivalSequence", engine.nextArrivalSequence)
        try writer.member("nextRoundRobinTurn", engine.nextRoundRobinTurn)
        writer.close()
        try writer.elements("views", checkpoint.views)
        try writer.elements("transcripts", checkpoint.transcripts)
        try writer.elements("agents", checkpoint.agents)
        if let counters = checkpoint.queueCounters { try writer.member("queueCounters", counters) }
        writer.close()
        return writer.output
    }

    /// Writes a JSON object one member at a time, each value through the encoder.
    private struct MemberWriter {
        let encoder: JSONEncoder
        var output = Data()
        private var first = true

        init(encoder: JSONEncoder) {
            self.encoder = encoder
        }

        private mutating func key(_ name: String?) {
            guard let name else { return }
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: Array(name.utf8))
            output.append(contentsOf: Array("\":".utf8))
        }

        /// Opens an object: the whole document (no name) or a member of the open one.
        mutating func open(_ name: String? = nil) {
            key(name)
            output.append(UInt8(ascii: "{"))
            first = true
        }

        mutating func close() {
            output.append(UInt8(ascii: "}"))
            first = false
        }

        mutating func member(_ name: String, _ value: some Encodable) throws {
            key(name)
            output.append(try encoder.encode(value))
        }

        mutating func elements<Element: Encodable>(_ name: String, _ elements: [Element]) throws {
            key(name)
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(try encoder.encode(element))
            }
            output.append(UInt8(ascii: "]"))
        }
    }

    /// The plan's transaction committed: the store now holds what it wrote.
    func committed(_ plan: Plan) {
        written.withLock { $0 = plan.written }
    }
}
