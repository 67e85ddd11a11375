import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SwitchboardBus
import SwitchboardTopology

/// The pages (HTML shells of `Web/` with their placeholders filled), sign-in and sign-out, the
/// session endpoint and the static files.
extension Gateway {
    func addPageRoutes(to router: Router<GatewayRequestContext>) {
        router.get("/") { request, _ in
            self.page("index.html", request: request, values: [:])
        }
        router.get("/signin") { request, _ in
            let query = HTTPText.form(request.uri.query ?? "")
            let expired = query["expired"] == "1"
            return self.signinPage(
                request: request, next: query["next"], error: expired ? "Your session has ended; sign in again." : "",
                status: 200)
        }
        router.post("/signin") { request, context in
            try await self.signin(request, context: context)
        }
        router.post("/signout") { request, context in
            try await self.signout(request, context: context)
        }
        router.get("/api/session") { request, _ in
            let (signedIn, _) = await self.signedIn(request)
            guard let signedIn else {
                return Responses.error(
                    GatewayError("unauthenticated", "your session has expired or was signed out; sign in again"))
            }
            return Responses.json(["person": signedIn.personJSON, "csrf": .string(signedIn.session.csrf)])
        }
        router.get("/desk") { request, _ in
            let (signedIn, hadCookie) = await self.signedIn(request)
            guard let signedIn else { return self.toSignin(next: "/desk", expired: hadCookie) }
            return self.page("desk.html", request: request, values: self.personValues(signedIn))
        }
        router.get("/supervisor") { request, _ in
            let (signedIn, hadCookie) = await self.signedIn(request)
            guard let signedIn else { return self.toSignin(next: "/supervisor", expired: hadCookie) }
            guard signedIn.person.maySupervise else {
                return self.page(
                    "forbidden.html", request: request,
                    values: ["error": "Your role '\(signedIn.person.role)' cannot supervise; sign in as a supervisor."],
                    status: 403)
            }
            return self.page("supervisor.html", request: request, values: self.personValues(signedIn))
        }
        router.get("/chat/:queue") { request, context in
            let name = context.parameters.get("queue") ?? ""
            guard let queue = self.queues[name], queue.takesCustomers else {
                return self.page(
                    "notfound.html", request: request, values: ["error": "There is no chat called '\(name)' here."],
                    status: 404)
            }
            return self.page(
                "chat.html", request: request, values: ["queue": queue.json.text, "lang": queue.language],
                framable: true)
        }
        router.get("/embed.js") { _, _ in
            guard let bytes = self.web.bytes("embed.js") else { throw HTTPError(.notFound) }
            return Responses.bytes(bytes, contentType: "text/javascript; charset=utf-8")
        }
        router.get("/static/:file") { request, context in
            let name = context.parameters.get("file") ?? ""
            guard WebFiles.isServable(name), let type = WebFiles.contentType(name), let bytes = self.web.bytes(name)
            else {
                return self.page(
                    "notfound.html", request: request, values: ["error": "No file '\(name)' here."], status: 404)
            }
            return Responses.bytes(bytes, contentType: type)
        }
    }

    func personValues(_ signedIn: SignedIn) -> [String: String] {
        ["csrf": signedIn.session.csrf, "person": signedIn.personJSON.text]
    }

    func page(
        _ name: String, request: Request, values: [String: String], status: Int = 200, framable: Bool = false
    ) -> Response {
        guard let template = web.text(name) else {
            return Responses.error(GatewayError("internal", "the page \(name) is missing from this build"))
        }
        var filled = ["lang": "en", "person": "{}", "csrf": "", "error": ""]
        for (key, value) in values { filled[key] = value }
        return Responses.html(
            HTTPText.render(template, filled), status: status, framable: framable, host: requestHost(request))
    }

    func toSignin(next: String, expired: Bool) -> Response {
        Responses.redirect("/signin?next=\(HTTPText.percentEncode(next))" + (expired ? "&expired=1" : ""))
    }

    /// The sign-in form with its pre-session CSRF token (cookie `sb_csrf` and hidden field `csrf`).
    func signinPage(request: Request, next: String?, error: String, status: Int, retryAfter: Int? = nil) -> Response {
        let token = request.cookies[Self.signinCSRFCookie]?.value ?? RandomToken.make()
        var response = page(
            "signin.html", request: request,
            values: ["csrf": token, "next": HTTPText.samePath(next) ?? "", "error": error], status: status)
        response.headers.append(
            HTTPField(
                name: .setCookie,
                value: HTTPText.cookie(
                    name: Self.signinCSRFCookie, value: token, maxAgeSeconds: 3_600, secure: settings.cookiesSecure)
            ))
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    func signin(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 16 * 1024)
        } catch {
            return Responses.error(GatewayError("too_large", "the sign-in form is larger than 16 KiB"), status: 413)
        }
        let form = HTTPText.form(String(buffer: buffer))
        let username = (form["username"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let next = form["next"]
        guard let expected = request.cookies[Self.signinCSRFCookie]?.value, !expected.isEmpty, form["csrf"] == expected
        else {
            return signinPage(
                request: request, next: next, error: "The sign-in form had expired; please sign in again.", status: 403)
        }
        if let wait = await limits.attempt([(.signinAccount, username), (.signinAddress, context.clientAddress)]) {
            return signinPage(
                request: request, next: next,
                error: "Too many sign-in attempts; try again in \(wait) second\(wait == 1 ? "" : "s").", status: 429,
                retryAfter: wait)
        }
        let password = form["password"] ?? ""
        let hash = people.person(username) == nil ? nil : try? await store.passwordHash(agentId: username)
        let routerLive = await view.isLive(.router)
        let routerAgent = await view.item(.router, "agent.\(username)")
        let routerDropped = routerLive && routerAgent == nil
        guard let hash, !routerDropped, await hasher.verify(password, hash: hash), let person = people.person(username)
        else {
            return signinPage(request: request, next: next, error: "Wrong user name or password.", status: 401)
        }
        let csrf = RandomToken.make()
        let id: String
        do {
            id = try await store.createSession(
                agentId: username, csrf: csrf, lifetimeSeconds: Double(sessionLifetimeSeconds))
        } catch {
            return Responses.error(
                GatewayError("unavailable", "the gateway cannot save the session just now; try again"))
        }
        logger.info("\(username) signed in from \(context.clientAddress)")
        let target =
            HTTPText.samePath(next).flatMap { $0 == "/signin" ? nil : $0 }
            ?? (person.maySupervise ? "/supervisor" : "/desk")
        return Responses.redirect(target, cookies: [sessionCookie(id), expiredCookie(Self.signinCSRFCookie)])
    }

    func signout(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (signedIn, _) = await signedIn(request)
        guard let signedIn else {
            return Responses.error(
                GatewayError("unauthenticated", "your session has expired or was signed out; sign in again"))
        }
        var token = request.headers[HTTPField.Name("X-CSRF-Token")!]
        if token == nil, let buffer = try? await request.body.collect(upTo: 16 * 1024) {
            token = HTTPText.form(String(buffer: buffer))["csrf"]
        }
        guard token == signedIn.session.csrf else {
            return Responses.error(
                GatewayError(
                    "csrf", "the request lacks this session's X-CSRF-Token header; reload the page and try again"))
        }
        try? await store.deleteSession(id: signedIn.sessionId)
        return Responses.redirect("/signin", cookies: [expiredCookie(Self.sessionCookie)])
    }
}
