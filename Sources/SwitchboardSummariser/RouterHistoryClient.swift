import Logging
public import SwitchboardBus

/// The router's history of a conversation through its `conversation.explain` command (read-only).
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
}
