public import Logging
import Synchronization
public import ZeroMQ

/// The Clone pattern's state endpoint: a ROUTER that answers
/// `{"v":1,"type":"snapshot","prefix":"conv."}` with `item` messages and one `end`.
/// A bad request is answered with `error` + `{"code":…,"message":…}`; a state that cannot be
/// read now with `error` + `{"code":"unavailable",…}` (the client asks again).
public final class SnapshotServer: Sendable {
    public let endpoint: String
    public let sourceName: String
    private let loop: SocketLoop
    private let handle: SocketHandle
    private let source: any SnapshotSource
    private let logger: Logger
    public let malformed: MalformedInputLog
    private let requests = Mutex(0)

    /// Snapshot requests read so far (answered, refused or unavailable).
    public var requestCount: Int { requests.withLock { $0 } }

    /// Binds the state endpoint; with `security`, a CURVE server that only listed clients reach.
    public init(
        loop: SocketLoop, bind endpoint: String, sourceName: String, source: any SnapshotSource, logger: Logger,
        options: SocketOptions = SocketOptions(), security: BusSecurity? = nil
    ) async throws(ZMQError) {
        var options = options
        // A snapshot is as large as the state; it must not be cut at a high-water mark (the
        // client checks the count and retries if it were).
        options.sendHighWaterMark = 0
        options.routerMandatory = true
        handle = try await BusSecurity.openServer(
            SocketSpec(type: .router, options: options, bind: [endpoint]), security: security, loop: loop,
            logger: logger)
        self.endpoint = handle.boundEndpoints.first ?? endpoint
        self.loop = loop
        self.sourceName = sourceName
        self.source = source
        self.logger = logger
        self.malformed = MalformedInputLog(logger: logger, context: "state endpoint \(endpoint)")
    }

    /// Answers requests until the socket closes or the task is cancelled. One request at a
    /// time: a snapshot is taken and sent whole before the next is read.
    public func run() async {
        for await batch in handle.inbound {
            for message in batch.messages {
                if Task.isCancelled { return }
                await answer(message)
            }
        }
    }

    public func close() async {
        await loop.close(handle.id)
    }

    private func answer(_ message: Message) async {
        guard let identity = message.frames.first, !identity.isEmpty else { return }
        requests.withLock { $0 += 1 }
        let prefix: String?
        do {
            prefix = try Self.parseRequest(message)
        } catch {
            malformed.record(error)
            let body: JSON = ["code": .string(error.code), "message": .string(error.message)]
            loop.send(Message(frames: [identity, Array("error".utf8), body.bytes]), on: handle.id)
            return
        }
        let snapshot: Snapshot
        do {
            snapshot = try await source.snapshot(prefix: prefix)
        } catch {
            logger.warning("cannot take a snapshot now: \(error)")
            let body: JSON = [
                "code": "unavailable", "message": .string("the state cannot be read now (\(error)); ask again"),
            ]
            loop.send(Message(frames: [identity, Array("error".utf8), body.bytes]), on: handle.id)
            return
        }
        var count = 0
        for item in snapshot.items where item.matches(prefix: prefix) {
            var writer = JSONWriter(capacity: item.valueBytes.count + item.key.utf8.count + 20)
            writer.appendLiteral("{")
            writer.writeKey("key")
            writer.write(item.key)
            writer.appendLiteral(",")
            writer.writeKey("value")
            writer.writeRaw(item.valueBytes)
            writer.appendLiteral("}")
            guard await loop.sendWaiting(Message(frames: [identity, Array("item".utf8), writer.bytes]), on: handle.id)
            else { return }
            count += 1
        }
        let family = prefix.map { String(Topic.family(of: $0)) }
        let end = SnapshotEnd(
            source: sourceName, epoch: snapshot.epoch, seq: family.flatMap { snapshot.sequences[$0] } ?? 0,
            sequences: snapshot.sequences, count: count)
        _ = await loop.sendWaiting(Message(frames: [identity, Array("end".utf8), end.json.bytes]), on: handle.id)
        logger.debug("sent snapshot", metadata: ["prefix": "\(prefix ?? "")", "items": "\(count)"])
    }

    /// Validates a request and returns its prefix (nil for everything).
    static func parseRequest(_ message: Message) throws(MalformedInput) -> String? {
        guard message.frames.count == 2 else {
            throw MalformedInput(
                code: "bad_frames",
                message: "a snapshot request is one frame of JSON; this one has \(message.frames.count - 1)")
        }
        let body = message.frames[1]
        guard body.count <= BusLimits.snapshotRequestBytesMax else {
            throw MalformedInput(
                code: "too_large", message: "a snapshot request is at most \(BusLimits.snapshotRequestBytesMax) bytes")
        }
        let json: JSON
        do {
            json = try JSONParser.parse(body)
        } catch {
            throw MalformedInput(code: "malformed_json", message: "the snapshot request is not valid JSON: \(error)")
        }
        guard json.objectValue != nil else {
            throw MalformedInput(code: "malformed_json", message: "the snapshot request must be a JSON object")
        }
        guard json["v"]?.intValue == 1 else {
            throw MalformedInput(code: "unsupported_version", message: "the snapshot request needs \"v\":1")
        }
        guard json["type"]?.stringValue == "snapshot" else {
            throw MalformedInput(
                code: "unknown_request", message: "the state endpoint answers only {\"type\":\"snapshot\"}")
        }
        switch json["prefix"] {
        case nil, .null?: return nil
        case .string(let prefix)?:
            if prefix.isEmpty { return nil }
            guard prefix.utf8.count <= Topic.bytesMax, !prefix.hasPrefix("."), !prefix.contains(" ") else {
                throw MalformedInput(code: "bad_prefix", message: "the prefix must start with a family, e.g. \"conv.\"")
            }
            return prefix
        default:
            throw MalformedInput(code: "bad_prefix", message: "the prefix must be a string such as \"conv.\"")
        }
    }
}
