import HTTPTypes
import Hummingbird
public import SwitchboardBus
import SwitchboardTopology

/// Who is signed in: the session cookie, checked on every request against the store.
extension Gateway {
    static let sessionCookie = "sb_session"
    static let signinCSRFCookie = "sb_csrf"

    /// A signed-in person on this request.
    public struct SignedIn: Sendable {
        public var sessionId: String
        public var session: GatewayStore.Session
        public var person: People.Person

        /// The `person` meta tag and `/api/session`'s person.
        public var personJSON: JSON {
            ["id": .string(person.id), "name": .string(person.name), "role": .string(person.role)]
        }
    }

    /// The request's live session: nil when there is none, and whether a cookie was sent (an
    /// expired or signed-out session, which the sign-in page says).
    func signedIn(_ request: Request) async -> (SignedIn?, hadCookie: Bool) {
        guard let id = request.cookies[Self.sessionCookie]?.value, !id.isEmpty else { return (nil, false) }
        guard let session = try? await store.session(id: id), let person = people.person(session.agentId) else {
            return (nil, true)
        }
        return (SignedIn(sessionId: id, session: session, person: person), true)
    }

    /// The gateway's own origin check for sockets: the `Origin` must name the host the browser
    /// asked for (its `Host`), with http, or https behind a TLS proxy. A page of another site
    /// cannot open a socket with the person's cookie.
    func originAllowed(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin],
            let host = request.head.authority ?? request.headers[HTTPField.Name("Host")!]
        else { return false }
        let schemes = settings.cookiesSecure ? ["https://"] : ["http://", "https://"]
        return schemes.contains { origin == $0 + host }
    }

    /// The host the browser asked for (for the CSP's socket sources).
    func requestHost(_ request: Request) -> String? {
        request.head.authority ?? request.headers[HTTPField.Name("Host")!]
    }

    var sessionLifetimeSeconds: Int { Int(settings.sessionHours * 3_600) }

    func sessionCookie(_ id: String) -> String {
        HTTPText.cookie(
            name: Self.sessionCookie, value: id, maxAgeSeconds: sessionLifetimeSeconds, secure: settings.cookiesSecure)
    }

    func expiredCookie(_ name: String) -> String {
        HTTPText.cookie(name: name, value: "", maxAgeSeconds: 0, secure: settings.cookiesSecure)
    }
}
