import ZeroMQ

extension BusSecurity {
    /// The security settings of the process whose key files are `NAME.key`/`NAME.pub` in
    /// `keysDirectory`, from what a topology's `security:` section says.
    /// - Parameters:
    ///   - ownKey: the name of this process's key files (its `NAME.key` is read, mode 0600).
    ///   - principals: principal name → its key: a key file's name in `keysDirectory` (its
    ///     `NAME.pub` is read) or a Z85 public key. All of them form the allow-list.
    ///   - servers: endpoint this process connects to → the principal of the server there.
    public static func load(
        ownKey: String, keysDirectory: String, principals: [String: String], servers: [String: String] = [:]
    ) throws(KeyFileError) -> BusSecurity {
        let keys = try KeyFiles.loadKeyPair(file: KeyFiles.keyFile(ownKey, in: keysDirectory))
        var publicKeys: [String: String] = [:]  // principal → public key
        var allowList = CurveAllowList()
        for (principal, key) in principals.sorted(by: { $0.key < $1.key }) {
            let publicKey: String
            if (try? CurveKeyPair.validate(key)) != nil {
                publicKey = key
            } else {
                publicKey = try KeyFiles.loadPublicKey(file: KeyFiles.publicFile(key, in: keysDirectory))
            }
            if let other = allowList.principal(for: publicKey) {
                throw KeyFileError(
                    file: KeyFiles.publicFile(key, in: keysDirectory),
                    problem: "principals '\(other)' and '\(principal)' have the same public key; give each its own")
            }
            publicKeys[principal] = publicKey
            allowList.allow(publicKey, as: principal)
        }
        var serverPublicKeys: [String: String] = [:]
        for (endpoint, principal) in servers {
            guard let publicKey = publicKeys[principal] else {
                throw KeyFileError(
                    file: keysDirectory,
                    problem: "the server at \(endpoint) is principal '\(principal)', which is not among the principals")
            }
            serverPublicKeys[endpoint] = publicKey
        }
        return BusSecurity(keys: keys, serverPublicKeys: serverPublicKeys, allowList: allowList)
    }
}
