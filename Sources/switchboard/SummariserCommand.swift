import ArgumentParser
import SwitchboardServiceKit
import SwitchboardSummariser
import SwitchboardTopology

/// `switchboard summariser`.
struct SummariserCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summariser",
        abstract: "Run the summariser: intent, summary, suggested replies, articles and case summaries for agents.",
        discussion: """
            Follows the router's conversations and transcripts and publishes assist.<conversation>.<what> \
            events (intent, knowledge, suggestions, summary, caseSummary) with a snapshot of every \
            conversation's assistance on its state endpoint. It keeps no database: at start it rebuilds \
            everything from the router's snapshot. The intent model is trained from the topology's \
            assist.trainingData (the shipped examples by default) and cached in the data directory. \
            Summaries and replies come from the offline library unless assist.backend is openai \
            (the API key, if any, from SWITCHBOARD_ASSIST_API_KEY). Watch it with `switchboard tap assist.`.
            """)

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions

    @Option(help: "Seconds an ended conversation's assistance stays before it is forgotten.")
    var forgetAfterSeconds: Double = 120

    func validate() throws {
        guard forgetAfterSeconds >= 0, forgetAfterSeconds <= 86_400 else {
            throw ValidationError("--forget-after-seconds must be between 0 and 86400")
        }
    }

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.summariser")
        let topology = try topologyOptions.load()
        let service = try SummariserService.build(
            topology: topology, logger: logger,
            settings: SummariserCore.Settings(forgetAfterSeconds: forgetAfterSeconds))
        try await ServiceRunner.run(service, logger: logger)
    }
}
