import ArgumentParser
import Foundation
import SwitchboardAssist

/// `switchboard assist try "text"`: what the assistance library makes of one customer message.
struct AssistTryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "try",
        abstract: "Show the intent, skill, knowledge articles and suggested replies for one customer message."
    )

    @Argument(help: "The customer's message.")
    var text: String

    @Option(name: .long, help: "The customer's name, used in replies and the summary.")
    var customer: String?

    @Flag(name: .long, help: "Print one JSON line instead of text.")
    var json = false

    @OptionGroup var training: AssistTrainingOptions

    func run() throws {
        let assistant = try training.loadAssistant()
        var state = ConversationAssist(conversationId: "try")
        let message = TranscriptMessage(role: .customer, author: customer ?? "", text: text, timestamp: Date())
        _ = state.apply(message, assistant: assistant, feedback: ReplyFeedback())
        guard let intent = state.intent else { throw ValidationError("no intent was detected") }
        if json {
            print(
                try JSONLine.encode(TryLine(intent: intent, articles: state.knowledge, suggestions: state.suggestions)))
            return
        }
        let percent = { (probability: Double) in String(format: "%.0f%%", probability * 100) }
        print("intent: \(intent.intent) (\(percent(intent.confidence))), skill: \(intent.skill)")
        print(
            "runners-up: "
                + intent.ranked.dropFirst().prefix(2).map { "\($0.intent) \(percent($0.probability))" }
                .joined(separator: ", "))
        print("articles:")
        for article in state.knowledge { print("  \(article.articleId): \(article.title). \(article.reason)") }
        print("suggested replies:")
        for (index, reply) in state.suggestions.enumerated() {
            print("  \(index + 1). \(reply.text)\n     (\(reply.reason))")
        }
        if let summary = state.summary { print("summary: \(summary.sentence)") }
    }
}

private struct TryLine: Encodable {
    var intent: IntentPrediction
    var articles: [SurfacedArticle]
    var suggestions: [SuggestedReply]
}
