import ArgumentParser

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
            AssistCommand.self,
            BenchCommand.self,
        ]
    )
}
