import ArgumentParser
import Foundation
import SwitchboardAssist

/// `switchboard assist eval`: stratified k-fold cross-validation, one JSON line.
struct AssistEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Cross-validate the intent model and the knowledge base; print one JSON line.",
        discussion: """
            Stratified, seeded k-fold cross-validation: intent accuracy, macro F1, top-3 intent \
            accuracy, the confidence threshold below which the model is not sure with the share of \
            messages at or above it (coverageAboveThreshold) and the accuracy there \
            (accuracyAboveThreshold), the calibration error of the confidence, knowledge-article \
            hit rate at 3 (the three surfaced articles include one that answers the true intent), \
            classification time per message, and the suggested replies' ranking against reference \
            replies (replyRanking: how often the first suggestion is the reference agent's reply, \
            before and after agents' feedback). Use a release build for the timing. Example: \
            switchboard assist eval --data ../shared/data/banking77/train.csv
            """
    )

    @Option(name: .long, help: "CSV of text,intent to evaluate on (default: the shipped example set).")
    var data: String?

    @Option(name: .long, help: "Instead of folds: train on all of --data and test on this CSV.")
    var test: String?

    @Option(name: .long, help: "Number of folds.")
    var folds: Int = 5

    @Option(name: .long, help: "Use a stratified subset of this many rows.")
    var limit: Int?

    @Option(name: .long, help: "Seed of the folds and the subset.")
    var seed: UInt64 = 7

    @OptionGroup var files: AssistFileOptions
    @OptionGroup var model: AssistModelOptions

    func run() throws {
        let resources = try AssistResources.locate(folder: files.resources)
        let dataPath = data ?? resources.path(of: AssistResources.examplesFileName)
        let dataset = try LabelledDataset.load(path: dataPath)
        let knowledgePath = files.knowledge ?? resources.path(of: AssistResources.knowledgeBaseFileName)
        let knowledgeBase = try KnowledgeBase.load(path: knowledgePath)
        let report: CrossValidationReport
        if let test {
            let testSet = try LabelledDataset.load(path: test)
            report = try CrossValidation.holdOut(
                training: dataset.examples, test: testSet.examples, parameters: model.parameters,
                knowledgeBase: knowledgeBase)
        } else {
            report = try CrossValidation.run(
                examples: dataset.examples, foldCount: folds, limit: limit, parameters: model.parameters, seed: seed,
                knowledgeBase: knowledgeBase)
        }
        var line = EvalLine(data: dataPath, parameters: model.parameters, report: report)
        // Suggested replies' ranking against the reference replies, with the shipped example set's model.
        line.replyRanking = ReplyRankingEvaluation.run(
            assistant: try Assistant.load(
                AssistConfiguration(
                    knowledgeBasePath: files.knowledge, intentCatalogPath: files.catalog,
                    resourcesFolder: files.resources)
            ).assistant)
        print(try AssistJSONLine.encode(line))
    }
}

/// The printed line: the report plus which data it measured.
private struct EvalLine: Encodable {
    var data: String
    var parameters: IntentModelParameters
    var report: CrossValidationReport
    var replyRanking: ReplyRankingEvaluation.Report?

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(data, forKey: .data)
        try container.encode(parameters, forKey: .parameters)
        try container.encodeIfPresent(replyRanking, forKey: .replyRanking)
    }

    private enum Key: String, CodingKey { case data, parameters, replyRanking }
}
