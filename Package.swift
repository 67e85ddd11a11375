// swift-tools-version: 6.1
import PackageDescription

/// One strict setting set for every target: Swift 6 language mode (the tools default),
/// plus the upcoming features the Swift server ecosystem has adopted.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "switchboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchboard", targets: ["switchboard"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The web gateway. No default traits (swift-configuration, full Foundation): faster builds.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", exact: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // The text format of /metrics (each process serves it with hummingbird).
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        // Child processes. No default traits (its Foundation conveniences): nothing here needs them.
        .package(url: "https://github.com/swiftlang/swift-subprocess", exact: "1.0.2", traits: []),
    ],
    targets: [
        // Layer 0: the C library, from Debian's libzmq3-dev (stable API only, no draft).
        .systemLibrary(
            name: "CZeroMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        // Layer 1: our ZeroMQ binding: sockets confined to one I/O thread per process.
        .target(
            name: "ZeroMQ",
            dependencies: ["CZeroMQ", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // Layer 2: the bus protocol: envelopes, PUB/SUB with sequences, Clone snapshots, commands.
        .target(
            name: "SwitchboardBus",
            dependencies: [
                "ZeroMQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            ],
            swiftSettings: swiftSettings
        ),
        // The typed wire contract: one value per item of docs/PROTOCOL.md, shared by every consumer.
        .target(
            name: "SwitchboardWire",
            dependencies: ["SwitchboardBus", "SwitchboardRouting"],
            swiftSettings: swiftSettings
        ),
        // Topology files (deployment and contact centre), validated.
        .target(
            name: "SwitchboardTopology",
            dependencies: ["SwitchboardRouting", "SwitchboardWorkspace", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Pure logic: the routing decision, offers, invariants. No I/O.
        .target(
            name: "SwitchboardRouting",
            dependencies: [.product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        // Pure logic: the agent's multi-session workspace.
        .target(
            name: "SwitchboardWorkspace",
            dependencies: ["SwitchboardRouting"],
            swiftSettings: swiftSettings
        ),
        // Intent, knowledge, suggested replies, summaries: offline logic, and an optional HTTP backend.
        .target(
            name: "SwitchboardAssist",
            dependencies: ["SwitchboardRouting"],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // Durable state of an authority: SQLite (WAL), epochs, transactional outbox, command replies.
        .target(
            name: "SwitchboardStore",
            dependencies: [
                "SwitchboardBus",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // What every service process shares: the authority runtime, command field reading, outgoing events, the mailbox.
        .target(
            name: "SwitchboardServiceKit",
            dependencies: [
                "ZeroMQ", "SwitchboardBus", "SwitchboardStore", "SwitchboardTopology", "SwitchboardRouting",
                "SwitchboardAssist",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // The router process: the routing engine behind commands, a journal and checkpoints.
        .target(
            name: "SwitchboardRouter",
            dependencies: [
                "SwitchboardServiceKit", "SwitchboardBus", "SwitchboardStore", "SwitchboardTopology",
                "SwitchboardRouting", "SwitchboardAssist", "SwitchboardWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The presence tracker process: one actor per agent, heartbeats and status.
        .target(
            name: "SwitchboardPresence",
            dependencies: [
                "SwitchboardServiceKit", "SwitchboardBus", "SwitchboardStore", "SwitchboardTopology",
                "SwitchboardRouting", "SwitchboardWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The agent desk process: one workspace actor per agent over the router's and summariser's streams.
        .target(
            name: "SwitchboardDesk",
            dependencies: [
                "SwitchboardServiceKit", "ZeroMQ", "SwitchboardBus", "SwitchboardStore", "SwitchboardTopology",
                "SwitchboardRouting", "SwitchboardWorkspace", "SwitchboardWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The summariser process: assistance (intent, replies, knowledge, summaries) for live conversations.
        .target(
            name: "SwitchboardSummariser",
            dependencies: [
                "SwitchboardServiceKit", "ZeroMQ", "SwitchboardBus", "SwitchboardTopology", "SwitchboardRouting",
                "SwitchboardAssist", "SwitchboardWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The supervisor monitor process: the live view, alerts and supervision commands.
        .target(
            name: "SwitchboardMonitor",
            dependencies: [
                "SwitchboardServiceKit", "ZeroMQ", "SwitchboardBus", "SwitchboardStore", "SwitchboardTopology",
                "SwitchboardRouting", "SwitchboardWorkspace", "SwitchboardWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Child processes and the supervisor that `up` runs them under.
        .target(
            name: "SwitchboardProcesses",
            dependencies: [
                "SwitchboardServiceKit", "SwitchboardBus", "SwitchboardTopology",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: swiftSettings
        ),
        // Tools beside the product that talk to a running system as any outside consumer does: simulation and demo, chaos, tap.
        .target(
            name: "SwitchboardTools",
            dependencies: [
                "SwitchboardProcesses", "SwitchboardServiceKit", "ZeroMQ", "SwitchboardBus", "SwitchboardTopology",
                "SwitchboardRouting", "SwitchboardAssist", "SwitchboardWire",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // What-if replay of a recorded window of the router's journal, with a changed centre.
        .target(
            name: "SwitchboardReplay",
            dependencies: [
                "SwitchboardRouter", "SwitchboardRouting", "SwitchboardTopology",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The web gateway: the pages and sockets through which people use the system. One more
        // consumer of the bus; it depends on no other service's code (a what-if replay runs as a
        // child process of the same binary, started through SwitchboardProcesses).
        .target(
            name: "SwitchboardGateway",
            dependencies: [
                "ZeroMQ", "SwitchboardBus", "SwitchboardServiceKit", "SwitchboardTopology", "SwitchboardRouting",
                "SwitchboardWorkspace", "SwitchboardProcesses",
                "SwitchboardWire", "SwitchboardAssist",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            resources: [.copy("Web")],
            swiftSettings: swiftSettings
        ),
        // Tools beside the product: the benchmarks of the bus, the routing decision, the store and
        // the whole system (which it drives over the wire, as any outside consumer would).
        .target(
            name: "SwitchboardBenchmarks",
            dependencies: [
                "CZeroMQ", "ZeroMQ", "SwitchboardBus", "SwitchboardStore", "SwitchboardRouting",
                "SwitchboardServiceKit", "SwitchboardProcesses", "SwitchboardRouter", "SwitchboardReplay",
                "SwitchboardTools", "SwitchboardWire", "SwitchboardTopology",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Thin command line: parses arguments and calls the libraries.
        .executableTarget(
            name: "switchboard",
            dependencies: [
                "SwitchboardServiceKit", "SwitchboardRouter", "SwitchboardPresence", "SwitchboardDesk",
                "SwitchboardSummariser", "SwitchboardMonitor", "SwitchboardGateway", "SwitchboardProcesses",
                "SwitchboardTools", "SwitchboardBenchmarks", "SwitchboardReplay",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // What tests share: CPU-heavy work off the cooperative pool.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SwitchboardBusTests",
            dependencies: ["SwitchboardBus", "SwitchboardRouting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardStoreTests",
            dependencies: ["SwitchboardStore", "SwitchboardRouting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardWireTests",
            dependencies: ["SwitchboardWire", "SwitchboardBus", "SwitchboardRouting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardTopologyTests",
            dependencies: ["SwitchboardTopology"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardRoutingTests",
            dependencies: ["SwitchboardRouting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardWorkspaceTests",
            dependencies: ["SwitchboardWorkspace"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardAssistTests",
            dependencies: ["SwitchboardAssist", "SwitchboardRouting", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardGatewayTests",
            dependencies: ["SwitchboardGateway", "SwitchboardBus", "SwitchboardWire", "SwitchboardRouting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardServicesTests",
            dependencies: [
                "SwitchboardServiceKit", "SwitchboardRouter", "SwitchboardPresence", "SwitchboardDesk",
                "SwitchboardSummariser", "SwitchboardMonitor", "SwitchboardProcesses", "SwitchboardTools",
                "SwitchboardWire",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardReplayTests",
            dependencies: [
                "SwitchboardReplay", "SwitchboardRouter", "SwitchboardRouting", "SwitchboardStore",
                "SwitchboardTopology", "SwitchboardBenchmarks",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardBenchmarksTests",
            dependencies: [
                "SwitchboardBenchmarks", "SwitchboardRouting", "SwitchboardStore", "SwitchboardBus", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Start the real binary: depending on the executable makes `swift test` build it first.
        .testTarget(
            name: "ProcessTests",
            dependencies: [
                "switchboard", "SwitchboardBus", "SwitchboardTopology", "SwitchboardProcesses", "SwitchboardTools",
                "SwitchboardServiceKit", "SwitchboardRouting",
                "SwitchboardWire",
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
