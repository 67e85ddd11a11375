public import Foundation

/// Reads a CSV of `text,intent` rows (a header row is optional) into labelled examples.
///
/// The header may name the columns `text` and one of `intent`, `category` or `label`, in any
/// order; without a recognisable header the first column is the text and the second the intent.
/// Texts are tidied (white space folded, ends trimmed); rows whose text or intent is empty are
/// counted and skipped rather than trained on.
public struct LabelledDataset: Sendable, Equatable {
    /// The examples in file order.
    public var examples: [LabelledExample]
    /// Rows skipped because their text or intent was empty.
    public var skippedRowCount: Int

    /// A dataset of `examples` (for tests and for subsets).
    public init(examples: [LabelledExample], skippedRowCount: Int = 0) {
        self.examples = examples
        self.skippedRowCount = skippedRowCount
    }

    /// The distinct intents, sorted by name.
    public var intents: [String] { Array(Set(examples.map(\.intent))).sorted() }

    /// Parses CSV `text` (see the type's description).
    public static func parse(csv text: String, source: String = "CSV") throws(AssistError) -> LabelledDataset {
        try parse(csv: Data(text.utf8), source: source)
    }

    /// Parses CSV bytes (UTF-8).
    public static func parse(csv data: Data, source: String = "CSV") throws(AssistError) -> LabelledDataset {
        let parsed: Result<[[String]], CSVError> = [UInt8](data).withUnsafeBufferPointer { bytes in
            do throws(CSVError) {
                return .success(try CSVParser().parse(bytes: bytes))
            } catch {
                return .failure(error)
            }
        }
        let records: [[String]]
        do {
            records = try parsed.get()
        } catch {
            throw .malformedFile(path: source, reason: error.description)
        }
        guard let first = records.first else {
            throw .malformedFile(path: source, reason: "the file holds no rows: give it `text,intent` rows")
        }
        var textColumn = 0
        var intentColumn = 1
        var dataStart = 0
        let header = first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let headerText = header.firstIndex(of: "text"),
            let headerIntent = header.firstIndex(where: { ["intent", "category", "label"].contains($0) })
        {
            textColumn = headerText
            intentColumn = headerIntent
            dataStart = 1
        }
        var examples: [LabelledExample] = []
        examples.reserveCapacity(records.count)
        var skipped = 0
        for record in records[dataStart...] {
            guard record.count > max(textColumn, intentColumn) else {
                skipped += 1
                continue
            }
            let example = LabelledExample(
                text: tidy(record[textColumn]),
                intent: record[intentColumn].trimmingCharacters(in: .whitespacesAndNewlines))
            if example.text.isEmpty || example.intent.isEmpty {
                skipped += 1
                continue
            }
            examples.append(example)
        }
        guard !examples.isEmpty else {
            throw .malformedFile(path: source, reason: "no row has both a text and an intent")
        }
        return LabelledDataset(examples: examples, skippedRowCount: skipped)
    }

    /// Reads and parses the CSV file at `path`.
    public static func load(path: String) throws(AssistError) -> LabelledDataset {
        try parse(csv: try readFile(path), source: path)
    }

    /// Folds every run of white space into one space and trims both ends.
    static func tidy(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.unicodeScalars.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
