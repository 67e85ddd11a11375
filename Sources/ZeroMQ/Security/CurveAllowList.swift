/// Who may connect to this process's CURVE servers: each client's public key (Z85) and the
/// principal name it authenticates as. The principal reaches received messages as their
/// `User-Id` (`Message.userID`).
public struct CurveAllowList: Sendable, Equatable {
    /// Public key (Z85) → principal name.
    public private(set) var principals: [String: String]

    /// - Parameter principals: public key (Z85) → principal name.
    public init(_ principals: [String: String] = [:]) {
        self.principals = principals
    }

    /// The principal a public key authenticates as; nil when the key is not listed.
    public func principal(for publicKey: String) -> String? {
        principals[publicKey]
    }

    /// Lists `publicKey` as `principal` (replacing an earlier entry for the key).
    public mutating func allow(_ publicKey: String, as principal: String) {
        principals[publicKey] = principal
    }

    public var count: Int { principals.count }
}
