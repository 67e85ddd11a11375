public import Foundation

/// One tab inside a session.
public struct Tab: Codable, Sendable, Equatable, Identifiable {
    public var id: TabID { content.id }
    public var kind: TabKind { content.kind }
    public let content: TabContent
    public let openedAt: Date
    /// Where the agent was in this tab.
    public internal(set) var place: TabPlace
    /// The workspace's use sequence when this tab was last selected; orders least recently
    /// used without depending on two clock readings being different.
    public internal(set) var lastUsedSequence: UInt64

    init(content: TabContent, openedAt: Date, lastUsedSequence: UInt64) {
        self.content = content
        self.openedAt = openedAt
        self.place = TabPlace()
        self.lastUsedSequence = lastUsedSequence
    }
}
