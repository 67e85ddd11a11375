import SwitchboardGateway
import SwitchboardTopology
import Testing

@Suite("Gateway secrets, limits and idempotency")
struct SecretsAndLimitsTests {
    @Test("SHA-256 matches the standard's test vectors")
    func sha256Vectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("tokens are 32 random bytes in cookie-safe base64url, never repeated")
    func tokens() {
        let tokens = (0..<200).map { _ in RandomToken.make() }
        #expect(Set(tokens).count == 200)
        for token in tokens {
            #expect(token.count == 43)
            #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        }
    }

    @Test("a rate limit refuses the attempt over the limit with the seconds to wait, and lets it in after")
    func rateLimit() {
        var limiter = RateLimiter(limit: 3, windowSeconds: 60)
        for second in 0..<3 {
            let result = limiter.attempt("priya-raman", now: Double(second))
            #expect(result == .allowed)
        }
        let result1 = limiter.attempt("priya-raman", now: 10)
        #expect(result1 == .limited(retryAfterSeconds: 50))
        let result2 = limiter.attempt("emily-clarke", now: 10)
        #expect(result2 == .allowed)
        // A refused attempt is not counted: at 60 s the first one has left the window.
        let result3 = limiter.attempt("priya-raman", now: 60.5)
        #expect(result3 == .allowed)
        let result4 = limiter.attempt("priya-raman", now: 60.6)
        #expect(result4 == .limited(retryAfterSeconds: 1))
    }

    @Test("a rate limiter forgets quiet keys past its bound")
    func rateLimitBounded() {
        var limiter = RateLimiter(limit: 1, windowSeconds: 60, keysMax: 10)
        for key in 0..<100 { _ = limiter.attempt("address-\(key)", now: Double(key) * 100) }
        let result5 = limiter.attempt("address-99", now: 9_901)
        #expect(result5 == .limited(retryAfterSeconds: 59))
        let result6 = limiter.attempt("address-0", now: 9_901)
        #expect(result6 == .allowed)
    }

    @Test("an Idempotency-Key replays the first answer for the same body and refuses another body")
    func idempotency() {
        let first = Idempotency.Record(bodyHash: "h1", status: 201, body: "{\"conversationId\":\"api-1\"}")
        #expect(Idempotency.decide(stored: nil, bodyHash: "h1") == .proceed)
        #expect(Idempotency.decide(stored: first, bodyHash: "h1") == .replay(status: 201, body: first.body))
        #expect(Idempotency.decide(stored: first, bodyHash: "h2") == .mismatch)
        #expect(Idempotency.problem(with: nil) != nil)
        #expect(Idempotency.problem(with: String(repeating: "k", count: 129)) != nil)
        #expect(Idempotency.problem(with: "retry-7") == nil)
    }
}

@Suite("The gateway's rate limits together")
struct RequestLimitsTests {
    @Test("an attempt refused by one limit is counted by none; another account from the address gets in")
    func refusedAttemptsAreNotCounted() async {
        var settings = Topology.GatewaySettings()
        settings.signinPerAccount = 1
        settings.signinPerAddress = 2
        let limits = RequestLimits(settings)
        #expect(await limits.attempt([(.signinAccount, "priya-raman"), (.signinAddress, "127.0.0.1")]) == nil)
        let refused = await limits.attempt([(.signinAccount, "priya-raman"), (.signinAddress, "127.0.0.1")])
        #expect(refused.map { $0 >= 1 && $0 <= 60 } == true)
        // The refused attempt did not use the address's second place.
        #expect(await limits.attempt([(.signinAccount, "grace-okafor"), (.signinAddress, "127.0.0.1")]) == nil)
        #expect(await limits.attempt([(.signinAccount, "emily-clarke"), (.signinAddress, "127.0.0.1")]) != nil)
    }
}
