import ArgumentParser
import SwitchboardProcesses

/// The `switchboard` command: every process and tool of the system is one of its subcommands.
@main
struct Switchboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "Switchboard: a contact-centre routing engine over a ZeroMQ message bus.",
        discussion: """
            Every command reads Topology/local.yaml unless --topology names another file.
            """,
        subcommands: [
            UpCommand.self,
            RouterCommandLine.self,
            PresenceCommandLine.self,
            DeskCommandLine.self,
            SummariserCommandLine.self,
            MonitorCommandLine.self,
            ExplainCommand.self,
            ReplayCommand.self,
            ReloadCommand.self,
            TapCommand.self,
            AssistCommand.self,
            BenchCommand.self,
            SimulateCommand.self,
            DemoCommand.self,
            ChaosCommand.self,
            GatewayCommandLine.self,
            KeysCommand.self,
            AuditCommand.self,
        ]
    )

    static func main() async {
        // A child of `up`, `bench` or a test dies with its parent.
        ParentWatch.installIfChild()
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
