public import SwitchboardBus
import SwitchboardRouting
import SwitchboardTopology
import SwitchboardWire

/// The monitor's command endpoint. A supervision command is authorised by the core; its
/// messages are then delivered by the router (whisper: the agent only; barge: everyone), each
/// with a command id derived from the monitor's, so a retried command is delivered once; only
/// then is the intervention recorded and the command answered. The command server hands
/// batches over one at a time, so supervision commands never overlap.
///
/// A reassignment or a presence change is checked by the core and then forwarded, with a command
/// id derived from the monitor's, to the router (`conversation.transfer`) or the presence tracker
/// (`presence.set`), whose answer is the command's: the monitor records nothing of its own.
public struct MonitorCommandHandler: CommandHandler {
    let core: MonitorCore
    let router: CommandClient?
    let presence: CommandClient?
    /// How long the router may take to deliver a supervisor's message.
    public static let routerDeadlineSeconds = 20.0

    public init(core: MonitorCore, router: CommandClient?, presence: CommandClient? = nil) {
        self.core = core
        self.router = router
        self.presence = presence
    }

    public func handle(_ commands: [CommandRequest]) async -> [CommandOutcome] {
        var outcomes: [CommandOutcome] = []
        outcomes.reserveCapacity(commands.count)
        for command in commands { outcomes.append(await handle(command)) }
        return outcomes
    }

    private func handle(_ request: CommandRequest) async -> CommandOutcome {
        if request.type == "monitor.view" { return .ok(await core.view()) }
        var facts: MonitorCore.ConversationFacts?
        // Two rounds at most: the second has the router's word on the conversation.
        for _ in 0..<2 {
            switch await core.prepare(request, facts: facts) {
            case .answer(let outcome):
                return outcome
            case .lookup(let conversation):
                switch await lookUp(conversation) {
                case .success(let found): facts = found
                case .failure(let failure): return .failed(failure)
                }
            case .forward(let forward, let supervisor):
                return await send(forward, supervisor: supervisor, id: request.id)
            case .deliver(let delivery):
                guard let router else {
                    return .failed(
                        CommandFailure(
                            code: .unavailable, message: "the topology places no router to deliver the message"))
                }
                var results: [JSON] = []
                for message in delivery.messages {
                    do {
                        results.append(
                            try await router.send(
                                "conversation.message", data: message.data,
                                id: Self.derivedID(request.id, suffix: message.idSuffix),
                                deadlineSeconds: Self.routerDeadlineSeconds))
                    } catch {
                        return .failed(Self.failure(error, delivered: results.count))
                    }
                }
                return await core.complete(request, delivery, routerResults: results)
            }
        }
        return .failed(CommandFailure(code: .notFound, message: "the conversation is not known to the router"))
    }

    /// Sends a reassignment to the router or a presence change to the presence tracker.
    private func send(_ forward: SupervisorForward, supervisor: AgentID, id: String) async -> CommandOutcome {
        let what = forward.service == .router ? "reassignment" : "presence change"
        guard let client = forward.service == .router ? router : presence else {
            return .failed(
                CommandFailure(
                    code: .unavailable,
                    message: "the topology places no \(forward.service.rawValue) to carry out the \(what)"))
        }
        do {
            let result = try await client.send(
                forward.type, data: forward.data, id: Self.derivedID(id, suffix: forward.idSuffix),
                deadlineSeconds: Self.routerDeadlineSeconds)
            return .ok(forward.answer(result, supervisor: supervisor))
        } catch {
            if let refused = error.failure {
                return .failed(
                    CommandFailure(
                        code: refused.code,
                        message: "the \(forward.service.rawValue) refused the \(what): \(refused.message)",
                        details: refused.details))
            }
            return .failed(
                CommandFailure(
                    code: .unavailable,
                    message: "the \(forward.service.rawValue) did not answer the \(what) (\(error)); send the "
                        + "command again with the same id: it is applied once"))
        }
    }

    /// The conversation's channel and state from the router (`conversation.explain`).
    private func lookUp(_ conversation: ConversationID) async -> Result<MonitorCore.ConversationFacts, CommandFailure> {
        guard let router else { return .success(.missing) }
        do {
            let result = try await router.send(
                "conversation.explain", data: ["conversationId": .string(conversation.rawValue)], deadlineSeconds: 10)
            guard let item = result["conversation"], let wire = try? ConversationItem(json: item) else {
                return .success(.missing)
            }
            let followed = MonitoredConversation(item: wire)
            return .success(.known(channel: followed.channel, ended: followed.isOverForCustomer))
        } catch {
            if error.failure?.code == .notFound {
                return .failure(
                    CommandFailure(
                        code: .notFound,
                        message:
                            "no conversation \(conversation) at the router (or it ended over the retention period ago)")
                )
            }
            return .failure(
                CommandFailure(
                    code: .unavailable, message: "the router could not say what \(conversation) is: \(error)"))
        }
    }

    static func failure(_ error: CommandError, delivered: Int) -> CommandFailure {
        if let refused = error.failure {
            return CommandFailure(code: refused.code, message: "the router refused the message: \(refused.message)")
        }
        return CommandFailure(
            code: .unavailable,
            message: "the router did not deliver the message (\(error)); \(delivered) of the command's messages were "
                + "delivered; look at the transcript (switchboard explain) before sending it again")
    }

    /// The router command id for one message of a monitor command: the monitor's id and a
    /// suffix, or a hash of the id when that would be longer than a command id may be.
    public static func derivedID(_ id: String, suffix: String) -> String {
        let plain = "\(id):\(suffix)"
        if plain.utf8.count <= CommandRequest.idBytesMax { return plain }
        // FNV-1a, 64 bits: stable across runs (Swift's Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return "monitor-\(String(hash, radix: 16)):\(suffix)"
    }
}
