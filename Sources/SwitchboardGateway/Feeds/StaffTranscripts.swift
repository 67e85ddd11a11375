public import SwitchboardBus
public import SwitchboardWire

/// The transcripts an agent's desk or a supervisor follows, as a value type: the whole transcript
/// of a conversation once it has arrived, then each line after it once and in order (a line that
/// arrives while the transcript is on its way is held, then sent only if the transcript lacked it).
public struct StaffTranscripts: Sendable {
    private enum Entry: Sendable {
        case loading([TranscriptMessage])
        case following(lastNumber: Int)
    }

    public let people: People
    private var entries: [String: Entry] = [:]
    private var customerNames: [String: String] = [:]
    /// Lines held per conversation while its transcript loads (bounded).
    public static let heldMax = 1_000

    public init(people: People) {
        self.people = people
    }

    public var conversations: Set<String> { Set(entries.keys) }

    public func isFollowing(_ conversationId: String) -> Bool { entries[conversationId] != nil }

    /// Starts following; false when it already was.
    public mutating func begin(_ conversationId: String) -> Bool {
        guard entries[conversationId] == nil else { return false }
        entries[conversationId] = .loading([])
        return true
    }

    /// The name the customer gave (chats started through the gateway), for their lines.
    public mutating func setCustomerName(_ conversationId: String, _ name: String?) {
        customerNames[conversationId] = name
    }

    public mutating func forget(_ conversationId: String) {
        entries[conversationId] = nil
        customerNames[conversationId] = nil
    }

    /// The transcript arrived: the `transcript` push (with any held lines after it); when it was
    /// taken again after a resync, a `message` push per line missed. Empty when the conversation
    /// is no longer followed.
    public mutating func loaded(_ conversationId: String, _ messages: [TranscriptMessage]) -> [JSON] {
        guard let entry = entries[conversationId] else { return [] }
        var lines = messages
        if case .loading(let held) = entry {
            let last = messages.map(\.number).max() ?? 0
            lines += held.filter { $0.number > last }.sorted { $0.number < $1.number }
        } else {
            // Taken again after a resync: only what was missed goes out, as single lines.
            return messages.sorted { $0.number < $1.number }.compactMap { message(conversationId, $0) }
        }
        entries[conversationId] = .following(lastNumber: lines.map(\.number).max() ?? 0)
        return [
            [
                "type": "transcript", "conversationId": .string(conversationId),
                "messages": .array(
                    lines.map { TranscriptLines.staff($0, people: people, customerName: customerNames[conversationId]) }
                ),
            ]
        ]
    }

    /// A new line: its `message` push, or nil (not followed, already sent, or held).
    public mutating func message(_ conversationId: String, _ message: TranscriptMessage) -> JSON? {
        switch entries[conversationId] {
        case nil:
            return nil
        case .loading(var held):
            if held.count < Self.heldMax { held.append(message) }
            entries[conversationId] = .loading(held)
            return nil
        case .following(let lastNumber):
            guard message.number > lastNumber else { return nil }
            entries[conversationId] = .following(lastNumber: message.number)
            return [
                "type": "message", "conversationId": .string(conversationId),
                "message": TranscriptLines.staff(message, people: people, customerName: customerNames[conversationId]),
            ]
        }
    }
}
