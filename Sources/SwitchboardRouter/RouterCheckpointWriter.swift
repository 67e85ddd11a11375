import Foundation
import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire

/// Writes the router's checkpoints so that each costs what changed since the last one. An ended
/// conversation (closed or abandoned) stays for the retention period, an hour by default, but
/// never changes again: its view and transcript get a row of their own in `router_ended` from the
/// first checkpoint that sees it ended, and the router then keeps only the state it ended in
/// (`RouterState.settle`), reading the row when asked for the conversation. The checkpoint itself
/// holds the engine and the open conversations.
///
/// Every ended conversation still in memory is one no checkpoint has written yet (the router settles
/// what a checkpoint wrote before it starts the next one), so a plan needs no memory of its own.
public final class RouterCheckpointWriter: Sendable {
    /// What one checkpoint writes.
    struct Plan: Sendable {
        var checkpoint: Data
        var endedRows: [EndedRow]
        /// Rows of conversations that ended before this instant are deleted (the retention cutoff).
        var forgottenBefore: RoutingInstant
        /// The conversations written, for `RouterState.settle` once the plan is committed.
        var written: [(id: ConversationID, endedAt: RoutingInstant)] {
            endedRows.map { ($0.id, $0.endedAt) }
        }
    }

    /// One `router_ended` row: the view and transcript as JSON documents (read back by `explain` and
    /// transcript requests), and the wire item (`conv.<id>`) as the snapshot gives it.
    struct EndedRow: Sendable {
        var id: ConversationID
        var state: ConversationState
        var endedAt: RoutingInstant
        var view: Data
        var transcript: Data
        var item: [UInt8]
        /// The transcript's wire item (`transcript.<id>`), nil without messages.
        var transcriptItem: [UInt8]?

        init(view: ConversationView, messages: [TranscriptMessage], endedAt: RoutingInstant, encoder: JSONEncoder)
            throws
        {
            id = view.id
            state = view.state
            self.endedAt = endedAt
            self.view = Data(try view.documentJSON(encoder: encoder))
            // Most conversations have no messages: no encoder for an empty array.
            transcript = messages.isEmpty ? Data("[]".utf8) : try encoder.encode(messages)
            item = view.json.bytes
            transcriptItem = Self.transcriptItem(view.id, messages)
        }

        /// `transcript.<id>` as a snapshot gives it; nil without messages (memory holds none then).
        static func transcriptItem(_ id: ConversationID, _ messages: [TranscriptMessage]) -> [UInt8]? {
            guard !messages.isEmpty else { return nil }
            let value: JSON = ["conversationId": .string(id.rawValue), "messages": .array(messages.map(\.json))]
            return value.bytes
        }
    }

    public init() {}

    /// Encodes the checkpoint and the ended conversations still in memory (none written yet).
    func plan(_ state: RouterState) throws -> Plan {
        let encoder = JSONEncoder()
        var rows: [EndedRow] = []
        for (id, view) in state.views where view.isEnded {
            guard let endedAt = view.endedAt else { continue }
            rows.append(
                try EndedRow(view: view, messages: state.transcripts[id] ?? [], endedAt: endedAt, encoder: encoder))
        }
        return Plan(
            checkpoint: try Self.encode(state.checkpointOfOpenConversations(), encoder: encoder), endedRows: rows,
            forgottenBefore: state.forgottenBefore)
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
        try writer.views("views", checkpoint.views)
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

        /// The views as `documentJSON` writes them (what the encoder would, faster).
        mutating func views(_ name: String, _ views: [ConversationView]) throws {
            key(name)
            output.append(UInt8(ascii: "["))
            for (index, view) in views.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: try view.documentJSON(encoder: encoder))
            }
            output.append(UInt8(ascii: "]"))
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
}
