import ArgumentParser
import Foundation
import Logging
import SwitchboardBus
import SwitchboardMonitor
import SwitchboardTopology
import ZeroMQ

/// `switchboard explain CONVERSATION`.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print every decision about a conversation with its reason.",
        discussion: """
            Asks the router (conversation.explain) and prints the conversation in one line, then \
            each decision and change about it: when, which agent, the rule (sticky, skills, \
            fallbackStep(N), ...) and the one-sentence reason a supervisor reads. Conversations \
            closed longer ago than the router's retention period are no longer known.

            Example:
              switchboard explain c-42
            """)

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions
    @OptionGroup var principalOptions: PrincipalOptions

    @Argument(help: "The conversation id.")
    var conversation: String

    @Flag(help: "Print the router's answer as JSON.")
    var json = false

    @Option(help: "Give up after this many seconds without an answer.")
    var deadline: Double = 5

    func run() async throws {
        let topology = try topologyOptions.load()
        LogSetup.bootstrapOnce(level: loggingOptions.toolLevel)
        guard let endpoint = topology.service(.router)?.command else {
            throw ValidationError("\(topology.file) places no router with a command endpoint")
        }
        let security = try principalOptions.security(
            topology, defaultPrincipal: "operator", logger: Logger(label: "switchboard.cli"))
        let result = try await sendOnce(
            to: endpoint, service: "router", "conversation.explain", ["conversationId": .string(conversation)],
            deadlineSeconds: deadline, security: security)
        print(json ? result.text : ExplanationRenderer().render(result))
    }
}

/// Sends one command on a socket loop of its own and returns the result; a refusal or a
/// timeout becomes a clean exit with the reason.
func sendOnce(
    to endpoint: String, service: String, _ type: String, _ data: JSON, deadlineSeconds: Double,
    security: BusSecurity? = nil
) async throws -> JSON {
    let logger = Logger(label: "switchboard.cli")
    let loop = try SocketLoop(name: "sb-cli-io", logger: logger)
    let client = try await CommandClient(
        loop: loop, connect: endpoint, serviceName: service, logger: logger, security: security)
    let outcome: Result<JSON, CommandError>
    do {
        outcome = .success(try await client.send(type, data: data, deadlineSeconds: deadlineSeconds))
    } catch {
        outcome = .failure(error)
    }
    await client.close()
    await loop.shutdown()
    switch outcome {
    case .success(let result): return result
    case .failure(let error): throw CommandLineFailure(description: error.failure?.message ?? "\(error)")
    }
}

/// A failure reported as one line (`Error: ...`), without the usage text a `ValidationError` adds.
struct CommandLineFailure: Error, CustomStringConvertible {
    let description: String
}
