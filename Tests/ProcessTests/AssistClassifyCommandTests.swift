import Foundation
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import Testing

/// `switchboard assist classify`, run as the real binary: one message per line on standard input,
/// one JSON line per message on standard output, with at least `intent` and `confidence`.
@Suite("switchboard assist classify as a command", .serialized)
struct AssistClassifyCommandTests {
    /// A training set of two intents with words of their own, so that the answers are known.
    static let training = [
        "text,intent",
        "my card has not arrived yet,card_arrival",
        "when will my new card arrive in the post,card_arrival",
        "the card I ordered never came,card_arrival",
        "still waiting for my card to be delivered,card_arrival",
        "where is the card you sent me,card_arrival",
        "what is the exchange rate for euros,exchange_rate",
        "how much is a dollar worth in pounds today,exchange_rate",
        "which rate do you use to convert currency,exchange_rate",
        "is the euro exchange rate good right now,exchange_rate",
        "what rate will I get converting dollars,exchange_rate",
    ].joined(separator: "\n")

    @Test("it reads one message per line on standard input and prints one JSON line each, empty lines skipped")
    func standardInput() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "assist-classify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let trainingPath = folder.appendingPathComponent("train.csv").path
        try Self.training.write(toFile: trainingPath, atomically: true, encoding: .utf8)
        let messages = ["my card never arrived", "", "what exchange rate do you give for dollars"]
        let inputPath = folder.appendingPathComponent("messages.txt").path
        try (messages.joined(separator: "\n") + "\n").write(toFile: inputPath, atomically: true, encoding: .utf8)
        // The shell replaces itself with the binary (so that it stays the test's child, which the
        // binary checks at start) with the messages file as its standard input.
        let child = try await ChildProcess(
            name: "assist-classify", executable: "/bin/sh",
            arguments: [
                "-c", "exec \"$0\" assist classify --train \"$1\" < \"$2\"", SystemHarness.binary, trainingPath,
                inputPath,
            ])
        var lines: [String] = []
        for await line in child.lines where !line.isEmpty { lines.append(line) }
        let status = await child.waitForExit()
        #expect(status == 0, "assist classify exited with \(status)")
        try #require(lines.count == 2, "one JSON line per non-empty message: \(lines)")
        let answers = try lines.map { try JSON(parsing: $0) }
        #expect(answers.map { $0["text"]?.stringValue } == ["my card never arrived", messages[2]])
        #expect(answers.map { $0["intent"]?.stringValue } == ["card_arrival", "exchange_rate"])
        for answer in answers {
            let confidence = try #require(answer["confidence"]?.doubleValue)
            // Two intents: the chosen one is the more probable of the two.
            #expect(confidence >= 0.5 && confidence <= 1)
        }
    }
}
