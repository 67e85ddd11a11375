import ArgumentParser
import Foundation
import SwitchboardAssist

/// `switchboard assist classify`: one JSON line per input message, with the model trained once.
struct AssistClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify customer messages, one per line; print one JSON line each.",
        discussion: """
            Trains on --train (the shipped example set by default) or loads --model-cache once, then \
            reads one message per line from INPUT (standard input when absent) and prints \
            {"text", "language", "intent", "confidence", "skill", "articles"} for each: the language \
            the message is written in, and the intent and articles of that language's model and \
            files (English when the message is too short to tell). Empty lines are skipped.
            """
    )

    @Argument(help: "File of messages, one per line (default: standard input).")
    var input: String?

    @OptionGroup var training: AssistTrainingOptions

    func run() throws {
        let assistant = try training.loadAssistant()
        let classifyLine = { (line: String) throws in
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return }
            let language = assistant.detectLanguage(text, hint: assistant.language).language
            let local = assistant.assistant(for: language)
            let prediction = local.detectIntent(text)
            let articles = local.surfaceArticles(text: text, prediction: prediction)
            print(
                try AssistJSONLine.encode(
                    ClassifyLine(
                        text: text, language: local.language, intent: prediction.intent,
                        confidence: prediction.confidence,
                        skill: prediction.skill, articles: articles.map(\.articleId))))
        }
        if let input {
            let contents: String
            do {
                contents = try String(contentsOfFile: input, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(input): \(error.localizedDescription)")
            }
            for line in contents.split(whereSeparator: \.isNewline) { try classifyLine(String(line)) }
        } else {
            while let line = readLine(strippingNewline: true) { try classifyLine(line) }
        }
    }
}

private struct ClassifyLine: Encodable {
    var text: String
    var language: String
    var intent: String
    var confidence: Double
    var skill: String
    var articles: [String]
}
