import ArgumentParser
import Foundation
import SwitchboardAssist

/// `switchboard assist try "text"`: what the assistance library makes of one customer message.
struct AssistTryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "try",
        abstract: "Show the intent, skill, knowledge articles and suggested replies for one customer message.",
        discussion: """
            With --transcript FILE (lines of role|author|text), the whole conversation is applied first \
            and the summary and case summary are shown too; TEXT, if given, is the customer's next message.
            """
    )

    @Argument(help: "The customer's message.")
    var text: String?

    @Option(name: .long, help: "A conversation so far, one role|author|text line per message.")
    var transcript: String?

    @Option(name: .long, help: "The customer's name, used in replies and the summary.")
    var customer: String?

    @Flag(name: .long, help: "Print one JSON line instead of text.")
    var json = false

    @OptionGroup var training: AssistTrainingOptions

    func run() throws {
        guard text != nil || transcript != nil else {
            throw ValidationError("give the customer's message, a --transcript file, or both")
        }
        let assistant = try training.loadAssistant()
        var messages: [TranscriptMessage] = []
        if let transcript {
            let contents: String
            do {
                contents = try String(contentsOfFile: transcript, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(transcript): \(error.localizedDescription)")
            }
            messages = try TranscriptText.parse(contents, start: Date(), source: transcript)
        }
        if let text {
            let author = customer ?? messages.first { $0.role == .customer }?.author ?? ""
            messages.append(TranscriptMessage(role: .customer, author: author, text: text, timestamp: Date()))
        }
        let state = ConversationAssist.rebuild(
            conversationId: "try", messages: messages, assistant: assistant, feedback: ReplyFeedback())
        guard let intent = state.intent else { throw ValidationError("no intent was detected") }
        if json {
            print(
                try AssistJSONLine.encode(
                    TryLine(
                        intent: intent, articles: state.knowledge, suggestions: state.suggestions,
                        summary: state.summary)))
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
        if let summary = state.summary {
            print("summary: \(summary.sentence)")
            let caseSummary = summary.caseSummary
            print("case summary:")
            print("  customer: \(caseSummary.customer)")
            print("  issue: \(caseSummary.issue)")
            print("  steps taken:" + (caseSummary.stepsTaken.isEmpty ? " none" : ""))
            for step in caseSummary.stepsTaken { print("    - \(step)") }
            print("  status: \(caseSummary.status.rawValue)")
            print("  next action: \(caseSummary.nextAction)")
        }
    }
}

private struct TryLine: Encodable {
    var intent: IntentPrediction
    var articles: [SurfacedArticle]
    var suggestions: [SuggestedReply]
    var summary: ConversationSummary?
}
