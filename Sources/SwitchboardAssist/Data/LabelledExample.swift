/// One training or evaluation example: a customer's text and the intent it expresses.
public struct LabelledExample: Sendable, Hashable, Codable {
    /// The customer's text, with runs of white space (including line breaks) folded into one space.
    public var text: String
    /// The intent's name, as the dataset spells it (for example `card_arrival`).
    public var intent: String

    /// An example; `text` is kept as given (use ``LabelledDataset`` to read and tidy a file).
    public init(text: String, intent: String) {
        self.text = text
        self.intent = intent
    }
}
