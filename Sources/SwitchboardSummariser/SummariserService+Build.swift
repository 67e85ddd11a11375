public import Logging
import SwitchboardServiceKit
public import SwitchboardTopology

extension SummariserService {
    /// The summariser as `switchboard summariser` runs it: the assistance backend and the intent
    /// model the topology's `assist:` section names.
    public static func build(
        topology: Topology, logger: Logger, settings: SummariserCore.Settings = SummariserCore.Settings()
    ) throws -> SummariserService {
        let backend = try AssistBackendChoice.backend(for: topology.assist)
        let assistant = try AssistantLoader.assistant(for: topology, logger: logger)
        return SummariserService(
            topology: topology, assistant: assistant, backend: backend, logger: logger, settings: settings)
    }
}
