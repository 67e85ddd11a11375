public import Foundation

/// One message of a conversation's transcript as the assistance reads it: who wrote it (a display
/// name), what, and when. The library stands apart from the bus, so this is its own type; the
/// summariser converts the bus's `TranscriptMessage` (SwitchboardWire) into it in one place,
/// `AssistTrack.apply`, and adds the platform's own lines (transfers, the close) in this form.
public struct TranscriptMessage: Sendable, Hashable, Codable {
    /// Who wrote a message.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case customer
        case agent
        /// The platform itself: transfers, assignment, closing.
        case system
        case supervisor
    }

    public var role: Role
    /// The writer's display name ("Dana Whitfield", "Priya"); for system messages, the service.
    public var author: String
    public var text: String
    public var timestamp: Date

    public init(role: Role, author: String, text: String, timestamp: Date) {
        self.role = role
        self.author = author
        self.text = text
        self.timestamp = timestamp
    }
}
