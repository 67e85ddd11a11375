import Foundation
import SwitchboardBus
import SwitchboardGateway
import SwitchboardTopology
import Testing

@Suite("What-if replays: what the page may ask for, and where the journal is")
struct WhatIfRequestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    func refusal(_ body: JSON) -> GatewayError? {
        do {
            _ = try WhatIfRequest(json: body)
            return nil
        } catch {
            return error
        }
    }

    @Test("a window and a changed centre become the replay command's arguments")
    func arguments() throws {
        let body: JSON = [
            "since": "2026-12-06T04:00:00Z", "until": "2026-12-06T06:30:00.250+01:00", "centre": "version: 1\n",
        ]
        let request = try WhatIfRequest(json: body)
        #expect(request.centre == "version: 1\n")
        #expect(
            request.arguments(store: "/var/sb/router/router.sqlite", centreFile: "/tmp/x/contact-centre.yaml") == [
                "replay", "--from", "/var/sb/router/router.sqlite", "--since", "2026-12-06T04:00:00.000Z",
                "--until", "2026-12-06T05:30:00.250Z", "--centre", "/tmp/x/contact-centre.yaml", "--json",
            ])
    }

    @Test("without a centre the replay runs the one in force")
    func unchanged() throws {
        let request = try WhatIfRequest(json: ["since": "2026-12-06T04:00:00Z", "until": "2026-12-06T05:00:00Z"])
        #expect(request.centre == nil)
        let arguments = request.arguments(store: "/s.sqlite", centreFile: nil)
        #expect(!arguments.contains("--centre"))
        #expect(arguments.last == "--json")
        #expect(arguments[arguments.firstIndex(of: "--until")! + 1] == "2026-12-06T05:00:00.000Z")
    }

    @Test("a window left open runs from the journal's start or to its end")
    func openWindow() throws {
        let whole = try WhatIfRequest(json: [:])
        #expect(whole.arguments(store: "/s.sqlite", centreFile: nil) == ["replay", "--from", "/s.sqlite", "--json"])
        let recent = try WhatIfRequest(json: ["since": "2026-12-06T04:00:00.805Z", "until": .null])
        #expect(
            recent.arguments(store: "/s.sqlite", centreFile: nil) == [
                "replay", "--from", "/s.sqlite", "--since", "2026-12-06T04:00:00.805Z", "--json",
            ])
    }

    @Test("each bad field is refused by name")
    func refusals() {
        let cases: [(JSON, String, String)] = [
            (["since": "yesterday", "until": "2026-12-06T05:00:00Z"], "invalid_argument", "since"),
            (["since": "2026-12-06T04:00:00", "until": "2026-12-06T05:00:00Z"], "invalid_argument", "since"),
            (["since": "2026-12-06T05:00:00Z", "until": "2026-12-06T05:00:00Z"], "invalid_argument", "until"),
            (["since": "2026-10-01T00:00:00Z", "until": "2026-12-06T05:00:00Z"], "invalid_argument", "since"),
            (
                ["since": "2026-12-06T04:00:00Z", "until": "2026-12-06T05:00:00Z", "centre": 3], "invalid_argument",
                "centre"
            ),
            (
                ["since": "2026-12-06T04:00:00Z", "until": "2026-12-06T05:00:00Z", "centre": " \n"], "invalid_argument",
                "centre"
            ),
            ([1, 2], "bad_json", "body"),
        ]
        for (body, code, field) in cases {
            let error = refusal(body)
            #expect(error?.code == code, "\(body.text)")
            #expect(error?.field == field, "\(body.text)")
        }
    }

    @Test("a centre larger than the limit is refused as too large")
    func largeCentre() {
        let text = String(repeating: "#", count: WhatIfRequest.centreBytesMax + 1)
        let error = refusal(["since": "2026-12-06T04:00:00Z", "until": "2026-12-06T05:00:00Z", "centre": .string(text)])
        #expect(error?.code == "too_large")
        #expect(error?.field == "centre")
    }

    @Test("the router's store is replayed from the gateway's host only")
    func storeOnThisHost() throws {
        let local = try Topology.load(file: "\(Self.root)/Topology/local.yaml")
        let path = try WhatIfStore.locate(local).get()
        #expect(path == "\(local.service(.router)!.dataDirectory)/router.sqlite")

        var apart = local
        apart.services[.router]?.host = "elsewhere"
        guard case .failure(let error) = WhatIfStore.locate(apart) else {
            Issue.record("a router on another host was accepted")
            return
        }
        #expect(error.code == "conflict")
        #expect(error.message.contains("on this host"))
        #expect(error.message.contains("'elsewhere'"))
    }
}
