import ArgumentParser
import SwitchboardBus
import ZeroMQ

/// `switchboard keys`: the CURVE key files of the bus.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the CURVE key files that secure the bus.",
        subcommands: [KeysGenerateCommand.self]
    )
}

/// `switchboard keys generate NAME... [--dir DIR] [--force]`.
struct KeysGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a CURVE key pair for each name.",
        discussion: """
            Writes NAME.key (public and secret key, mode 0600: keep it on the host that runs NAME) \
            and NAME.pub (the public key alone, to copy to the hosts that must trust NAME), in Z85 \
            text. The directory is created with mode 0700. An existing key is never replaced \
            without --force. List each name under security.principals of the topology.
            """)

    @Argument(help: "The names to generate keys for, e.g. router presence desk summariser monitor gateway.")
    var names: [String]

    @Option(help: "The directory of key files.")
    var dir = "var/keys"

    @Flag(help: "Replace existing keys (peers holding the old public keys will be refused).")
    var force = false

    func run() throws {
        let pairs = try KeyFiles.generate(names: names, directory: dir, force: force)
        for name in names {
            guard let pair = pairs[name] else { continue }
            print(
                "\(KeyFiles.keyFile(name, in: dir))  \(KeyFiles.publicFile(name, in: dir))  public key "
                    + "\(pair.publicKey)"
            )
        }
    }
}
