public import Foundation
public import SwitchboardRouting

/// Text the agent is composing for a conversation, kept by conversation rather than by
/// session: an email draft outlives its session and the process, and comes back exactly
/// as typed (the bytes are stored as given, never normalised).
public struct Draft: Codable, Sendable, Equatable {
    public let conversation: ConversationID
    public let channel: Channel
    public internal(set) var subject: String?
    public internal(set) var body: String
    /// Rises by one on every save, so a client can tell which save it is looking at.
    public internal(set) var revision: Int
    public internal(set) var savedAt: Date

    /// Size of subject plus body in UTF-8 bytes, the unit of the draft bound.
    public var byteCount: Int { (subject?.utf8.count ?? 0) + body.utf8.count }
}
