public import Foundation
public import SwitchboardAssist
import SwitchboardServiceKit
public import SwitchboardTopology

/// The backend the topology asks for: the offline one unless `assist.backend` is `openai`.
public enum AssistBackendChoice {
    /// The environment variable holding the endpoint's API key (never the topology file).
    public static let apiKeyVariable = "SWITCHBOARD_ASSIST_API_KEY"

    /// nil for `offline` (the library's own results are published as they are); the remote backend
    /// for `openai`. Throws when the endpoint is not a URL.
    public static func backend(
        for settings: Topology.AssistSettings, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> (any AssistBackend)? {
        guard settings.backend == "openai" else { return nil }
        guard let endpoint = settings.endpoint, let url = URL(string: endpoint), url.scheme?.hasPrefix("http") == true
        else {
            throw RuntimeError(
                "assist.endpoint '\(settings.endpoint ?? "")' is not an http(s) URL; write e.g. "
                    + "http://127.0.0.1:8000/v1"
            )
        }
        return OpenAICompatibleBackend(
            configuration: .init(baseURL: url, model: settings.model ?? "default"),
            apiKey: environment[apiKeyVariable])
    }
}
