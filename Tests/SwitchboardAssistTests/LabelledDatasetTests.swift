import Foundation
import Testing

@testable import SwitchboardAssist

@Suite("Labelled datasets")
struct LabelledDatasetTests {
    @Test("a header names the columns, in any order, and texts are tidied")
    func headerAndTidy() throws {
        let dataset = try LabelledDataset.parse(csv: "category,text\ncard_arrival,\"\n  Where is\n my card? \"\n")
        #expect(dataset.examples == [LabelledExample(text: "Where is my card?", intent: "card_arrival")])
    }

    @Test("without a header the first column is the text")
    func noHeader() throws {
        let dataset = try LabelledDataset.parse(csv: "I lost my card,lost_or_stolen_card\nPIN blocked,pin_blocked\n")
        #expect(dataset.examples.map(\.intent) == ["lost_or_stolen_card", "pin_blocked"])
        #expect(dataset.intents == ["lost_or_stolen_card", "pin_blocked"])
    }

    @Test("rows without a text or an intent are counted and skipped")
    func skipsIncompleteRows() throws {
        let dataset = try LabelledDataset.parse(csv: "text,intent\nfine,a\n,b\nno intent,\nlonely\n")
        #expect(dataset.examples.count == 1)
        #expect(dataset.skippedRowCount == 3)
    }

    @Test("a file with no usable row is an error that names it")
    func emptyIsError() {
        #expect(throws: AssistError.self) { try LabelledDataset.parse(csv: "text,intent\n", source: "empty.csv") }
    }

    @Test("a missing file is an error naming the path")
    func missingFile() {
        #expect(throws: AssistError.self) { try LabelledDataset.load(path: "/nonexistent/train.csv") }
    }

    @Test(
        "BANKING77's training split reads as 10,003 examples of 77 intents, quoted line breaks included",
        .enabled(if: Fixtures.banking77TrainPath != nil, Comment(rawValue: Fixtures.banking77Missing)))
    func banking77() throws {
        let dataset = try LabelledDataset.load(path: try #require(Fixtures.banking77TrainPath))
        #expect(dataset.examples.count == 10_003)
        #expect(dataset.intents.count == 77)
        #expect(dataset.skippedRowCount == 0)
        #expect(!dataset.examples.contains { $0.text.contains("\n") || $0.text.hasPrefix(" ") })
    }

    @Test("the shipped example set covers every intent of the catalogue with at least four phrasings")
    func shippedExamplesCoverCatalogue() throws {
        let dataset = try Fixtures.shippedExamples()
        let catalog = try Fixtures.catalog()
        var counts: [String: Int] = [:]
        for example in dataset.examples { counts[example.intent, default: 0] += 1 }
        #expect(Set(counts.keys) == Set(catalog.intents))
        #expect(counts.values.allSatisfy { $0 >= 4 })
    }

    @Test(
        "no shipped example repeats a BANKING77 row",
        .enabled(if: Fixtures.banking77TrainPath != nil, Comment(rawValue: Fixtures.banking77Missing)))
    func shippedExamplesAreOurOwn() throws {
        let banking = try LabelledDataset.load(path: try #require(Fixtures.banking77TrainPath))
        func normalised(_ text: String) -> String {
            text.lowercased().filter { $0.isLetter || $0.isNumber || $0 == " " }
                .split(separator: " ").joined(separator: " ")
        }
        let theirs = Set(banking.examples.map { normalised($0.text) })
        let copied = try Fixtures.shippedExamples().examples.filter { theirs.contains(normalised($0.text)) }
        #expect(copied.isEmpty, "rows equal to BANKING77: \(copied.map(\.text))")
    }
}
