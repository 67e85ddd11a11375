public import SwitchboardBus

/// A wire item that is not what docs/PROTOCOL.md says it is: which item, which field (a path
/// such as `intent.confidence` or `requiredSkills[0].skill`), what the protocol expects there,
/// and what came instead (nil: the field is missing).
///
/// Reads as `conv item: "state" must be one of queued, offered, …; got "done"`.
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The item being read, e.g. `conv item`, `agent item`, `transcript message`.
    public var item: String
    /// The field at fault, as a path inside the item; empty when the item itself is at fault.
    public var field: String
    /// What the protocol expects there, e.g. `a string`, `one of voice, chat, …`.
    public var expected: String
    /// What came instead, written as JSON (shortened); nil when the field is missing.
    public var got: String?

    public init(item: String, field: String, expected: String, got: String?) {
        self.item = item
        self.field = field
        self.expected = expected
        self.got = got
    }

    /// The error for `value` found where `expected` was due.
    public init(item: String, field: String, expected: String, found value: JSON?) {
        self.init(item: item, field: field, expected: expected, got: value.map(Self.shortText))
    }

    public var description: String {
        let subject = field.isEmpty ? "the item" : "\"\(field)\""
        guard let got else { return "\(item): \(subject) is missing; it must be \(expected)" }
        return "\(item): \(subject) must be \(expected); got \(got)"
    }

    /// A value as JSON text, cut to a readable length (an error message is not a dump).
    static func shortText(_ value: JSON) -> String {
        let text = value.text
        let limit = 80
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…"
    }
}
