import ArgumentParser
import Foundation
import Logging
import SwitchboardGateway
import SwitchboardServiceKit
import SwitchboardTopology

/// `switchboard gateway`: the web gateway and its administration.
struct GatewayCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Run the web gateway: customers' chat, agents' desk, supervisors' dashboard, connectors' API.",
        discussion: """
            Serves the pages on the topology's services.gateway http: address, follows the router, \
            desk, presence tracker, summariser and monitor, and sends their commands for people \
            who signed in. People are the contact-centre file's agents; set a password with \
            `switchboard gateway passwords set AGENT` (from standard input).
            """,
        subcommands: [GatewayRunCommand.self, GatewayPasswordsCommand.self, GatewayAPIKeysCommand.self],
        defaultSubcommand: GatewayRunCommand.self)
}

/// `switchboard gateway run` (the default).
struct GatewayRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the gateway (the default of `switchboard gateway`).")

    @OptionGroup var topologyOptions: TopologyOptions
    @OptionGroup var loggingOptions: LoggingOptions

    func run() async throws {
        let logger = loggingOptions.bootstrap(label: "switchboard.gateway")
        let topology = try topologyOptions.load()
        let gateway = try await Gateway(
            topology: topology, contactCentre: try topology.loadContactCentre(), logger: logger)
        do {
            try await ServiceRunner.run(gateway.services(), logger: logger)
        } catch {
            await gateway.close()
            throw error
        }
        await gateway.close()
    }
}

/// `switchboard gateway passwords set AGENT`.
struct GatewayPasswordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwords", abstract: "Set people's passwords.", subcommands: [Set.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set agents' or supervisors' password, read from standard input; ends their sessions.",
            discussion: """
                Example: printf '%s' 'a long secret' | switchboard gateway passwords set priya-raman
                Several agents given at once get the same password (a test or demo centre).
                """)

        @OptionGroup var topologyOptions: TopologyOptions
        @Option(help: "Read the password from this file instead of standard input (keep it mode 0600).")
        var passwordFile: String?
        @Argument(help: "Agent ids of the contact-centre file (e.g. priya-raman).")
        var agents: [String]

        func validate() throws {
            if agents.isEmpty { throw ValidationError("name at least one agent id (e.g. priya-raman)") }
        }

        func run() async throws {
            let topology = try topologyOptions.load()
            let input: Data
            if let passwordFile {
                guard let data = FileManager.default.contents(atPath: passwordFile) else {
                    throw ValidationError("cannot read the password file \(passwordFile); check the path")
                }
                input = data
            } else {
                input = FileHandle.standardInput.readDataToEndOfFile()
            }
            var password = String(decoding: input, as: UTF8.self)
            while password.hasSuffix("\n") || password.hasSuffix("\r") { password.removeLast() }
            let centre = try topology.loadContactCentre()
            // One after the other: each call opens the gateway's store, and concurrent first
            // opens of a new SQLite file contend for the switch to WAL.
            for agent in agents {
                do {
                    try await GatewayAdmin.setPassword(
                        topology: topology, contactCentre: centre, agentId: agent, password: password)
                } catch let error as GatewayError {
                    throw ValidationError(error.message)
                }
                print("password set for \(agent); their sessions ended")
            }
        }
    }
}

/// `switchboard gateway apikeys create NAME`.
struct GatewayAPIKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikeys", abstract: "Manage the connectors' API keys.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create an API key for a channel connector and print it once (only its hash is kept).")

        @OptionGroup var topologyOptions: TopologyOptions
        @Argument(help: "The connector's name (letters, digits, '-', '_'); customers' ids are namespaced by it.")
        var name: String

        func run() async throws {
            let topology = try topologyOptions.load()
            do {
                print(try await GatewayAdmin.createAPIKey(topology: topology, name: name))
            } catch let error as GatewayError {
                throw ValidationError(error.message)
            }
        }
    }
}
