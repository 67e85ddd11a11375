import ArgumentParser

/// `switchboard assist`: the assistance library from the command line (intent, knowledge, replies).
struct AssistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assist",
        abstract: "Evaluate and try the assistance library: intent detection, knowledge articles, suggested replies.",
        discussion: """
            The library trains its intent model at start from a CSV of text,intent (the shipped
            example set unless --train or --data names another, such as BANKING77's train.csv).
            """,
        subcommands: [AssistEvalCommand.self]
    )
}

/// Options every assist subcommand shares: which files to read.
struct AssistFileOptions: ParsableArguments {
    @Option(name: .long, help: "Knowledge base JSON (default: the shipped one).")
    var knowledge: String?

    @Option(name: .long, help: "Intent catalogue JSON: skills and reply templates (default: the shipped one).")
    var catalog: String?

    @Option(name: .long, help: "Folder of the shipped assistance files, if it is not found by itself.")
    var resources: String?
}
