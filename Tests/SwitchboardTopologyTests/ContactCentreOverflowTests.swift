import SwitchboardRouting
import SwitchboardTopology
import Testing

@Suite("Overflow routing in the contact-centre file")
struct ContactCentreOverflowTests {
    /// The valid file with `overflow` on the chat-en queue.
    static func withOverflow(_ overflow: String) -> String {
        ContactCentreRefusalTests.broken(
            "    channel: chat\n    requiredSkills: {english: 2}\n    intentSkill: true\n",
            "    channel: chat\n    requiredSkills: {english: 2}\n    intentSkill: true\n    overflow: \(overflow)\n")
    }

    @Test("overflow loads its limits and the queue work goes to")
    func loads() throws {
        let centre = try ContactCentreRefusalTests.parse(
            Self.withOverflow("{maxWaiting: 5, maxWaitSeconds: 120, to: chat-en-cards}"))
        #expect(
            centre.routing.queues.first { $0.id == "chat-en" }?.overflow
                == OverflowLimits(maxWaiting: 5, maxWaitSeconds: 120, to: "chat-en-cards"))
        let alertOnly = try ContactCentreRefusalTests.parse(Self.withOverflow("{maxWaiting: 5}"))
        #expect(alertOnly.routing.queues.first { $0.id == "chat-en" }?.overflow.to == nil)
    }

    @Test(
        "bad overflow targets are refused naming the queue and what to write",
        arguments: [
            ("{maxWaiting: 5, to: chat-en}", "queues.chat-en", "overflow.to is the queue itself"),
            ("{maxWaiting: 5, to: nowhere}", "queues.chat-en", "overflow.to names unknown queue nowhere"),
            ("{to: chat-en-cards}", "queues.chat-en", "needs maxWaiting or maxWaitSeconds"),
            ("{maxWaiting: 5, to: \"\"}", "to", "empty"),
            ("{maxWaiting: 5, goesTo: chat-en-cards}", "goesTo", "to"),
        ])
    func refusals(overflow: String, keySuffix: String, problem: String) throws {
        let yaml = Self.withOverflow(overflow)
        let error = try #require(ContactCentreRefusalTests.refusal(yaml), "accepted:\n\(yaml)")
        #expect(error.key.hasSuffix(keySuffix), "\(error)")
        #expect(error.description.contains(problem), "\(error)")
    }
}
