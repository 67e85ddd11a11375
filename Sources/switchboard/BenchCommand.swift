import ArgumentParser

/// `switchboard bench`: measurements that print one JSON line each.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure a layer of Switchboard and print one JSON line (use a release build).",
        subcommands: [
            BenchBusCommand.self,
            BenchBusSubscriberCommand.self,
            BenchRoutingCommand.self,
            BenchE2ECommand.self,
            BenchMemoryCommand.self,
            BenchRecoveryCommand.self,
            BenchSnapshotCommand.self,
            BenchGatewayCommand.self,
            BenchStoreCommand.self,
            BenchQualityCommand.self,
            BenchReplayCommand.self,
        ]
    )
}
