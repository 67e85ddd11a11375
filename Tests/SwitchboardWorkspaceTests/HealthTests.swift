import Foundation
import SwitchboardRouting
import Testing

@testable import SwitchboardWorkspace

@Suite("Conversation health")
struct HealthTests {
    private func timeline(_ channel: Channel, _ entries: [(Double, ConversationTimeline.Event)]) -> ConversationTimeline
    {
        ConversationTimeline(
            conversation: chat1, channel: channel,
            entries: entries.map { ConversationTimeline.Entry(at: at($0.0), event: $0.1) })
    }

    @Test("a long wait for an agent raises a flag with the wait")
    func longWait() {
        let waiting = timeline(.chat, [(0, .queued(queue: "cards")), (5, .customerMessage(text: "Hello?"))])
        #expect(ConversationHealth.assess(waiting, now: at(119)).isHealthy)
        let late = ConversationHealth.assess(waiting, now: at(130))
        #expect(late.flags == [.longWait(seconds: 130)])
        #expect(late.escalation == Escalation(level: .watch, reason: "Watch: waiting 2m10s for an agent."))
    }

    @Test("a customer left without a reply raises long silence; the agent's reply clears it")
    func longSilence() {
        var chat = timeline(
            .chat,
            [
                (0, .queued(queue: "cards")), (10, .assigned(agent: "a-7")),
                (20, .customerMessage(text: "My card was declined")),
            ])
        #expect(ConversationHealth.assess(chat, now: at(139)).isHealthy)
        #expect(ConversationHealth.assess(chat, now: at(200)).flags == [.longSilence(seconds: 180, onHold: false)])
        chat.record(.supervisorMessage(kind: .whisper), at: at(150))
        #expect(ConversationHealth.assess(chat, now: at(200)).flagKinds == [.longSilence])
        chat.record(.agentMessage, at: at(160))
        #expect(ConversationHealth.assess(chat, now: at(600)).isHealthy)
    }

    @Test("silence limits follow the channel: messaging waits longer than chat, voice counts hold time")
    func silencePerChannel() {
        let messaging = timeline(.messaging, [(0, .assigned(agent: "a-7")), (0, .customerMessage(text: "hi"))])
        #expect(ConversationHealth.assess(messaging, now: at(600)).isHealthy)
        #expect(ConversationHealth.assess(messaging, now: at(900)).flagKinds == [.longSilence])

        let call = timeline(.voice, [(0, .assigned(agent: "a-7")), (30, .callHeld)])
        #expect(ConversationHealth.assess(call, now: at(200)).flags == [.longSilence(seconds: 170, onHold: true)])
        var resumed = call
        resumed.record(.callResumed, at: at(100))
        #expect(ConversationHealth.assess(resumed, now: at(400)).isHealthy)
    }

    @Test("negative words raise sentiment: two mild words or one strong word; negation does not count")
    func negativeSentiment() {
        let mild = timeline(.chat, [(0, .assigned(agent: "a-7")), (1, .customerMessage(text: "This is frustrating."))])
        #expect(ConversationHealth.assess(mild, now: at(2)).isHealthy)

        let twoMild = timeline(
            .chat,
            [
                (0, .assigned(agent: "a-7")), (1, .customerMessage(text: "This is frustrating.")),
                (2, .agentMessage), (3, .customerMessage(text: "Your app is USELESS!")),
            ])
        #expect(
            ConversationHealth.assess(twoMild, now: at(4)).flags
                == [.negativeSentiment(terms: ["frustrating", "useless"], score: 2)])

        let strong = timeline(
            .chat, [(0, .assigned(agent: "a-7")), (1, .customerMessage(text: "I will make a complaint"))])
        #expect(ConversationHealth.assess(strong, now: at(2)).flagKinds == [.negativeSentiment])

        let negated = timeline(
            .chat,
            [
                (0, .assigned(agent: "a-7")), (1, .customerMessage(text: "Not bad, not terrible either")),
            ])
        #expect(ConversationHealth.assess(negated, now: at(2)).isHealthy)

        let phrase = SentimentLexicon.standard.hits(in: "I'm fed up, what a waste of time")
        #expect(phrase.map(\.term) == ["fed up", "waste of time"])
    }

    @Test("repeated transfers raise a flag")
    func repeatedTransfers() {
        let bounced = timeline(
            .chat,
            [
                (0, .queued(queue: "cards")), (5, .assigned(agent: "a-1")), (30, .transferred),
                (32, .assigned(agent: "a-2")),
                (60, .transferred), (61, .assigned(agent: "a-7")),
            ])
        #expect(ConversationHealth.assess(bounced, now: at(62)).flags == [.repeatedTransfers(count: 2)])
    }

    @Test("several flags escalate to intervene, with every reason in the sentence")
    func escalation() {
        let bad = timeline(
            .chat,
            [
                (0, .queued(queue: "cards")), (5, .assigned(agent: "a-1")), (30, .transferred),
                (32, .assigned(agent: "a-2")),
                (60, .transferred), (61, .assigned(agent: "a-7")),
                (70, .customerMessage(text: "This is ridiculous, I want to cancel")),
            ])
        let health = ConversationHealth.assess(bad, now: at(320))
        #expect(health.flagKinds == [.longSilence, .negativeSentiment, .repeatedTransfers])
        #expect(health.escalation?.level == .intervene)
        #expect(
            health.escalation?.reason
                == "Intervene: customer waiting 4m10s for a reply; negative words: \"ridiculous\", \"cancel\"; "
                    + "transferred 2 times."
        )
    }

    @Test("a closed conversation is healthy")
    func closedIsHealthy() {
        let closed = timeline(.chat, [(0, .queued(queue: "cards")), (500, .closed)])
        #expect(ConversationHealth.assess(closed, now: at(1000)).isHealthy)
    }

    @Test("changes report flags raised and cleared, not flags that persist")
    func changes() {
        var chat = timeline(.chat, [(0, .queued(queue: "cards"))])
        let first = ConversationHealth.assess(chat, now: at(130))
        #expect(
            ConversationHealth.changes(from: nil, to: first)
                == HealthChange(raised: [.longWait], cleared: [], escalated: true))
        let second = ConversationHealth.assess(chat, now: at(140))
        #expect(ConversationHealth.changes(from: first, to: second).isEmpty)
        chat.record(.assigned(agent: "a-7"), at: at(150))
        let third = ConversationHealth.assess(chat, now: at(151))
        #expect(
            ConversationHealth.changes(from: second, to: third)
                == HealthChange(raised: [], cleared: [.longWait], escalated: false))
    }

    @Test("a timeline is bounded, dropping old messages before lifecycle entries")
    func timelineBounded() {
        var chat = ConversationTimeline(conversation: chat1, channel: .chat)
        chat.record(.queued(queue: "cards"), at: start)
        chat.record(.transferred, at: at(1))
        for second in 0..<(ConversationTimeline.entriesMax + 50) {
            chat.record(.customerMessage(text: "ping"), at: at(Double(second + 2)))
        }
        #expect(chat.entries.count == ConversationTimeline.entriesMax)
        #expect(chat.entries.prefix(2).map(\.event) == [.queued(queue: "cards"), .transferred])
    }
}
