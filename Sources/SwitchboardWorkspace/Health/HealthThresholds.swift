/// When a conversation's health raises a flag. Contact centres tune these per deployment.
public struct HealthThresholds: Codable, Sendable, Equatable {
    /// Waiting for an agent (queued, after a transfer or requeue) at least this long.
    public var longWaitSeconds: Double
    /// The customer waiting for the agent's reply at least this long, per channel.
    public var chatSilenceSeconds: Double
    public var messagingSilenceSeconds: Double
    public var emailSilenceSeconds: Double
    /// A call on hold at least this long.
    public var callHoldSeconds: Double
    /// This many transfers or more.
    public var repeatedTransfers: Int
    /// The customer's last messages considered for sentiment.
    public var sentimentWindowMessages: Int
    /// Lexicon weight over that window at which the sentiment flag is raised.
    public var negativeSentimentScore: Int

    public init(
        longWaitSeconds: Double, chatSilenceSeconds: Double, messagingSilenceSeconds: Double,
        emailSilenceSeconds: Double, callHoldSeconds: Double, repeatedTransfers: Int, sentimentWindowMessages: Int,
        negativeSentimentScore: Int
    ) {
        self.longWaitSeconds = longWaitSeconds
        self.chatSilenceSeconds = chatSilenceSeconds
        self.messagingSilenceSeconds = messagingSilenceSeconds
        self.emailSilenceSeconds = emailSilenceSeconds
        self.callHoldSeconds = callHoldSeconds
        self.repeatedTransfers = repeatedTransfers
        self.sentimentWindowMessages = sentimentWindowMessages
        self.negativeSentimentScore = negativeSentimentScore
    }

    /// Defaults in line with common service levels: answer within two minutes, reply to a
    /// chat within two, to a message within fifteen, to an email within a working day.
    public static let standard = HealthThresholds(
        longWaitSeconds: 120, chatSilenceSeconds: 120, messagingSilenceSeconds: 900, emailSilenceSeconds: 8 * 3600,
        callHoldSeconds: 120, repeatedTransfers: 2, sentimentWindowMessages: 5, negativeSentimentScore: 2)
}
