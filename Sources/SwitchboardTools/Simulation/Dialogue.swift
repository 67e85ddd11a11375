import Foundation
public import SwitchboardRouting

/// The turns of one conversation after the customer's opening message: who speaks and what
/// they say. Chat and messaging alternate agent and customer and end with the agent's
/// closing line; an email gets one answer; a call or a case carries no text.
public struct Dialogue: Sendable, Equatable {
    public enum Speaker: String, Sendable, Equatable {
        case customer
        case agent
    }

    public struct Turn: Sendable, Equatable {
        public var speaker: Speaker
        public var text: String

        public init(speaker: Speaker, text: String) {
            self.speaker = speaker
            self.text = text
        }
    }

    public var turns: [Turn]

    public init(turns: [Turn]) {
        self.turns = turns
    }

    /// A dialogue for a conversation on `channel` in `language`. English agents answer with
    /// the intent's reply templates when there are some (`replies`). A call and a case carry
    /// no text turns (a case is worked in its tabs, not answered in a chat).
    public static func make(
        channel: Channel, language: String, replies: [String], centreName: String, random: inout SimulationRandom
    ) -> Dialogue {
        let lines = ScriptedLines.dialogue(for: language)
        func line(_ options: [String], _ fallback: String) -> String {
            (random.pick(options) ?? fallback).replacingOccurrences(of: "{centre}", with: centreName)
        }
        func answer() -> String {
            let template = random.pick(replies) ?? line(lines.answers, "That's done now.")
            return template.replacingOccurrences(of: "{customer}", with: "there")
        }
        switch channel {
        case .voice, .case:
            return Dialogue(turns: [])
        case .email:
            return Dialogue(turns: [Turn(speaker: .agent, text: answer())])
        case .chat, .messaging:
            var turns = [Turn(speaker: .agent, text: line(lines.greetings, "Hello, I'm looking into this now."))]
            // One to three exchanges before the closing line.
            let exchanges = 1 + random.index(below: 3)
            for exchange in 0..<exchanges {
                let last = exchange == exchanges - 1
                turns.append(Turn(speaker: .customer, text: line(lines.followUps, "Thanks.")))
                turns.append(Turn(speaker: .agent, text: last ? answer() : line(lines.working, "One moment please.")))
            }
            turns.append(Turn(speaker: .customer, text: line(lines.thanks, "Thank you.")))
            turns.append(Turn(speaker: .agent, text: line(lines.closings, "Have a good day!")))
            return Dialogue(turns: turns)
        }
    }
}
