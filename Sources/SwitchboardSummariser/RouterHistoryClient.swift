import Logging
public import SwitchboardBus
public import SwitchboardWire

/// The router's history and transcript of a conversation through its `conversation.explain` and
/// `conversation.transcript` commands (read-only).
public struct RouterHistoryClient: ConversationHistorySource {
    public let client: CommandClient
    /// A rebuild waits this long for the router before placing transfers by itself.
    public var deadlineSeconds: Double

    public init(client: CommandClient, deadlineSeconds: Double = 5) {
        self.client = client
        self.deadlineSeconds = deadlineSeconds
    }

    public func history(of conversationId: String) async -> [RouterHistoryStep]? {
        do {
            let result = try await client.send(
                "conversation.explain", data: ["conversationId": .string(conversationId)],
                deadlineSeconds: deadlineSeconds)
            return RouterHistoryStep.steps(fromExplainResult: result)
        } catch {
            return nil
        }
    }

    public func transcript(of conversationId: String) async -> [TranscriptMessage]? {
        do {
            let result = try await client.send(
                "conversation.transcript", data: ["conversationId": .string(conversationId)],
                deadlineSeconds: deadlineSeconds)
            guard case .array(let lines)? = result["messages"] else { return nil }
            // A line that cannot be read is left out; the rest still counts.
            return lines.compactMap { try? TranscriptMessage(json: $0) }.sorted { $0.number < $1.number }
        } catch {
            return nil
        }
    }
}
