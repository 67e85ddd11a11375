/// The connector API's `Idempotency-Key` rule: a retry with the same key and the same body gets
/// the first answer (same status, same body); the same key with another body is a mistake (422).
public enum Idempotency {
    /// The longest key accepted (bytes).
    public static let keyBytesMax = 128

    /// A stored answer to a first request.
    public struct Record: Sendable, Equatable {
        public var bodyHash: String
        public var status: Int
        public var body: String

        public init(bodyHash: String, status: Int, body: String) {
            self.bodyHash = bodyHash
            self.status = status
            self.body = body
        }
    }

    public enum Decision: Sendable, Equatable {
        /// No answer yet: carry the request out and store its answer.
        case proceed
        /// Send this stored answer again.
        case replay(status: Int, body: String)
        /// Same key, different body.
        case mismatch
    }

    /// What to do with a request whose body hashes to `bodyHash`, given the answer stored for its key.
    public static func decide(stored: Record?, bodyHash: String) -> Decision {
        guard let stored else { return .proceed }
        return stored.bodyHash == bodyHash ? .replay(status: stored.status, body: stored.body) : .mismatch
    }

    /// Why a key is refused, or nil when it is usable.
    public static func problem(with key: String?) -> String? {
        guard let key, !key.isEmpty else {
            return "every POST needs an Idempotency-Key header (a fresh random value per operation, reused on retry)"
        }
        if key.utf8.count > keyBytesMax { return "Idempotency-Key is longer than \(keyBytesMax) bytes" }
        return nil
    }
}
