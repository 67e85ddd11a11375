public import Foundation

/// A plain-text transcript for scripts and the command line: one message per line,
/// `role|author|text` (role: customer, agent, system or supervisor); blank lines and lines
/// starting with `#` are skipped. Timestamps are the start time plus one second per message.
public enum TranscriptText {
    /// Parses `text` (see the type's description); `source` names it in errors.
    public static func parse(_ text: String, start: Date, source: String = "transcript") throws(AssistError)
        -> [TranscriptMessage]
    {
        var messages: [TranscriptMessage] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3,
                let role = TranscriptMessage.Role(rawValue: parts[0].trimmingCharacters(in: .whitespaces).lowercased())
            else {
                throw .malformedFile(
                    path: source,
                    reason: "line \(number + 1) is not role|author|text with role customer, agent, system or supervisor"
                )
            }
            messages.append(
                TranscriptMessage(
                    role: role, author: parts[1].trimmingCharacters(in: .whitespaces),
                    text: parts[2].trimmingCharacters(in: .whitespaces),
                    timestamp: start.addingTimeInterval(Double(messages.count))))
        }
        return messages
    }
}
