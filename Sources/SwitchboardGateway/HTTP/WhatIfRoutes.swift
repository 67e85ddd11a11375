import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SwitchboardBus
import SwitchboardTopology

/// The supervisor's "What if" page: replay a window of the router's journal, unchanged or against
/// a changed contact centre, and compare what was recorded with what the replay decided.
extension Gateway {
    func addWhatIfRoutes(to router: Router<GatewayRequestContext>) {
        router.get("/whatif") { request, _ in
            let (signedIn, hadCookie) = await self.signedIn(request)
            guard let signedIn else { return self.toSignin(next: "/whatif", expired: hadCookie) }
            guard signedIn.person.maySupervise else {
                return self.page(
                    "forbidden.html", request: request,
                    values: ["error": Self.cannotSupervise(signedIn)], status: 403)
            }
            return self.page("whatif.html", request: request, values: self.personValues(signedIn))
        }
        router.get("/api/whatif") { request, _ in
            if case .failure(let error) = await self.supervisorOnly(request) { return Responses.error(error) }
            return Responses.json(await self.whatIfSetting())
        }
        router.post("/api/whatif/replay") { request, _ in
            await self.whatIfReplay(request)
        }
    }

    static func cannotSupervise(_ signedIn: SignedIn) -> String {
        "Your role '\(signedIn.person.role)' cannot supervise; sign in as a supervisor."
    }

    /// The signed-in person when their role may supervise; else 401 or 403 saying why.
    func supervisorOnly(_ request: Request) async -> Result<SignedIn, GatewayError> {
        let (signedIn, _) = await signedIn(request)
        guard let signedIn else {
            return .failure(
                GatewayError("unauthenticated", "your session has expired or was signed out; sign in again"))
        }
        guard signedIn.person.maySupervise else {
            return .failure(GatewayError("forbidden", Self.cannotSupervise(signedIn)))
        }
        return .success(signedIn)
    }

    /// What the page starts from: the centre in force (to edit), the journal's span (the window's
    /// choices), whether a replay can run here, and its time limit.
    func whatIfSetting() async -> JSON {
        var setting = JSONObject()
        setting["timeLimitSeconds"] = .int(Int64(whatIf.timeLimitSeconds))
        if let file = topology.contactCentreFile {
            let text = await FileWork.run { FileManager.default.contents(atPath: file) }
            var centre = JSONObject()
            centre["file"] = .string((file as NSString).lastPathComponent)
            centre["text"] = text.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null
            setting["centre"] = .object(centre)
        } else {
            setting["centre"] = .null
        }
        switch WhatIfStore.locate(topology) {
        case .success(let path):
            setting["available"] = true
            let span = await WhatIfStore.journalSpan(path: path)
            if let span {
                var journal = JSONObject()
                journal["firstInput"] = .string(WhatIfRequest.iso(span.firstInput))
                journal["lastInput"] = .string(WhatIfRequest.iso(span.lastInput))
                journal["replayableFrom"] = span.replayableFrom.map { .string(WhatIfRequest.iso($0)) } ?? .null
                setting["journal"] = .object(journal)
            } else {
                setting["journal"] = .null
            }
        case .failure(let error):
            setting["available"] = false
            setting["problem"] = .string(error.message)
            setting["journal"] = .null
        }
        return .object(setting)
    }

    /// `POST /api/whatif/replay`: a supervisor's session and CSRF token, a valid window and
    /// centre, the router's store on this host, no other replay running; then the replay's
    /// report (200), or its own error (422), or why it did not run.
    func whatIfReplay(_ request: Request) async -> Response {
        let signedIn: SignedIn
        switch await supervisorOnly(request) {
        case .success(let person): signedIn = person
        case .failure(let error): return Responses.error(error)
        }
        guard request.headers[HTTPField.Name("X-CSRF-Token")!] == signedIn.session.csrf else {
            return Responses.error(
                GatewayError(
                    "csrf", "the request lacks this session's X-CSRF-Token header; reload the page and try again"))
        }
        let bodyBytesMax = WhatIfRequest.centreBytesMax * 2
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: bodyBytesMax)
        } catch {
            return Responses.error(
                GatewayError("too_large", "the body is larger than \(bodyBytesMax / 1024) KiB", field: "body"))
        }
        let replay: WhatIfRequest
        do throws(GatewayError) {
            guard let json = try? JSON(parsing: String(buffer: buffer)) else {
                throw GatewayError("bad_json", "the body is not JSON; send {\"since\", \"until\", \"centre\"?}")
            }
            replay = try WhatIfRequest(json: json)
        } catch {
            return Responses.error(error)
        }
        let store: String
        switch WhatIfStore.locate(topology) {
        case .success(let path): store = path
        case .failure(let error): return Responses.error(error)
        }
        guard await FileWork.run({ FileManager.default.fileExists(atPath: store) }) else {
            return Responses.error(
                GatewayError(
                    "unavailable", "the router's store \(store) does not exist yet; start the router, then replay"))
        }
        let centreName = topology.contactCentreFile.map { ($0 as NSString).lastPathComponent } ?? "contact-centre.yaml"
        logger.notice(
            "\(signedIn.person.id) runs a what-if replay",
            metadata: [
                "since": "\(replay.since.map(WhatIfRequest.iso) ?? "journal start")",
                "until": "\(replay.until.map(WhatIfRequest.iso) ?? "journal end")",
                "changedCentre": "\(replay.centre != nil)",
            ])
        switch await whatIf.run(replay, store: store, centreName: centreName) {
        case .report(let text):
            return Responses.jsonText(text + "\n", status: 200)
        case .failed(let message):
            return Responses.error(GatewayError("replay_failed", message))
        case .timedOut:
            return Responses.error(
                GatewayError(
                    "unavailable",
                    "the replay did not finish within \(Int(whatIf.timeLimitSeconds)) s and was stopped; "
                        + "choose a shorter window"))
        case .busy:
            return Responses.error(
                GatewayError(
                    "rate_limited", "another what-if replay is running; wait for it to finish, then run again",
                    retryAfterSeconds: 5),
                retryAfter: 5)
        case .notStarted(let problem):
            return Responses.error(GatewayError("internal", "the replay did not run: \(problem)"))
        }
    }
}
