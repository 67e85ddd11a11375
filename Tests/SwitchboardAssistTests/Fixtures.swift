import Foundation
import SwitchboardAssist

/// Shared test fixtures: the shipped files, an assistant trained on the shipped examples (once per
/// test process), and BANKING77 found by path when it is present.
enum Fixtures {
    static let resources: Result<AssistResources, AssistError> = Result { () throws(AssistError) in
        try AssistResources.locate()
    }

    /// The assistant of the shipped files, trained on the shipped example set.
    static let assistant: Result<Assistant, AssistError> = Result { () throws(AssistError) in
        try Assistant.load(AssistConfiguration()).assistant
    }

    static func loadAssistant() throws -> Assistant { try assistant.get() }

    static func catalog() throws -> IntentCatalog { try loadAssistant().catalog }

    static func knowledgeBase() throws -> KnowledgeBase { try loadAssistant().knowledgeBase }

    static func shippedExamples() throws -> LabelledDataset {
        try LabelledDataset.load(path: try resources.get().path(of: AssistResources.examplesFileName))
    }

    /// `../shared/data/banking77/` beside the package (or beside any folder above it), if present.
    static let banking77Folder: URL? = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = folder.appendingPathComponent("shared/data/banking77")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("train.csv").path) {
                return candidate
            }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    static var banking77TrainPath: String? { banking77Folder?.appendingPathComponent("train.csv").path }

    static let banking77Missing =
        "BANKING77 is not at ../shared/data/banking77/train.csv beside the package: test skipped"

    /// The 77 intent names of BANKING77's categories.json, when present.
    static func banking77Categories() throws -> [String]? {
        guard let folder = banking77Folder else { return nil }
        let data = try Data(contentsOf: folder.appendingPathComponent("categories.json"))
        return try JSONDecoder().decode([String].self, from: data)
    }

    static func message(
        _ role: TranscriptMessage.Role, _ author: String, _ text: String, at second: Double
    ) -> TranscriptMessage {
        TranscriptMessage(
            role: role, author: author, text: text, timestamp: Date(timeIntervalSince1970: 1_800_000_000 + second))
    }
}
