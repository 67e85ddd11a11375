public import SwitchboardRouting
public import SwitchboardWire

/// The router's state as it is written to disk every so often; the journal holds the inputs since.
public struct RouterCheckpoint: Sendable, Codable {
    public var settings: RouterSettings
    public var engine: RoutingSnapshot
    public var views: [ConversationView]
    public var transcripts: [Transcript]
    public var agents: [AgentProfile]
    public var queueCounters: [QueueID: QueueCounters]?

    public struct Transcript: Sendable, Codable {
        public var id: ConversationID
        public var messages: [TranscriptMessage]
    }
}

/// Assignments and abandonments of one queue, counted by the router.
public struct QueueCounters: Sendable, Hashable, Codable {
    public var assigned = 0
    public var assignedWithinServiceLevel = 0
    public var abandoned = 0
}
