/// The kind of a health flag, stable across re-assessments (the figures inside a flag change
/// every second; its kind does not).
public enum HealthFlagKind: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case longWait = "long-wait"
    case longSilence = "long-silence"
    case negativeSentiment = "negative-sentiment"
    case repeatedTransfers = "repeated-transfers"

    public static func < (lhs: HealthFlagKind, rhs: HealthFlagKind) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// Something wrong with a conversation, with the figures that show it.
public enum HealthFlag: Codable, Sendable, Hashable {
    /// Waiting for an agent this long.
    case longWait(seconds: Int)
    /// The customer has waited this long for a reply (or the call has been on hold this long).
    case longSilence(seconds: Int, onHold: Bool)
    /// The customer used these words; `score` is their total weight.
    case negativeSentiment(terms: [String], score: Int)
    case repeatedTransfers(count: Int)

    public var kind: HealthFlagKind {
        switch self {
        case .longWait: .longWait
        case .longSilence: .longSilence
        case .negativeSentiment: .negativeSentiment
        case .repeatedTransfers: .repeatedTransfers
        }
    }

    /// A phrase a supervisor reads: "waiting 4m10s for an agent".
    public var phrase: String {
        switch self {
        case .longWait(let seconds):
            "waiting \(formatDuration(seconds)) for an agent"
        case .longSilence(let seconds, let onHold):
            onHold
                ? "on hold for \(formatDuration(seconds))" : "customer waiting \(formatDuration(seconds)) for a reply"
        case .negativeSentiment(let terms, _):
            "negative words: \(terms.map { "\"\($0)\"" }.joined(separator: ", "))"
        case .repeatedTransfers(let count):
            "transferred \(count) times"
        }
    }
}

/// "45s", "4m10s", "2h05m".
func formatDuration(_ seconds: Int) -> String {
    let seconds = max(seconds, 0)
    if seconds < 60 { return "\(seconds)s" }
    if seconds < 3600 {
        let remainder = seconds % 60
        return remainder == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(twoDigits(remainder))s"
    }
    return "\(seconds / 3600)h\(twoDigits((seconds % 3600) / 60))m"
}

func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
