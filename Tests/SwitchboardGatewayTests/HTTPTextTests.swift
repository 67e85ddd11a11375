import SwitchboardBus
import SwitchboardGateway
import Testing

@Suite("HTTP text the gateway reads and writes")
struct HTTPTextTests {
    @Test("sign-in redirects stay on this site")
    func samePath() {
        #expect(HTTPText.samePath("/desk") == "/desk")
        #expect(HTTPText.samePath("/chat/chat-en-cards?x=1") == "/chat/chat-en-cards?x=1")
        for foreign in ["//evil.example", "https://evil.example/", "/\\evil.example", "desk", "", nil] {
            #expect(HTTPText.samePath(foreign) == nil)
        }
    }

    @Test("placeholders are filled HTML-escaped, unknown ones kept")
    func render() {
        let page = HTTPText.render(
            "<meta content=\"{{person}}\">{{error}}{{nonce}}", ["person": "{\"name\":\"O'Brien\"}", "error": "<b>&"])
        #expect(page == "<meta content=\"{&quot;name&quot;:&quot;O&#39;Brien&quot;}\">&lt;b&gt;&amp;{{nonce}}")
    }

    @Test("form bodies decode percent escapes and plus signs")
    func form() {
        let form = HTTPText.form("username=priya-raman&password=a+b%26c%3D&next=%2Fdesk")
        #expect(form == ["username": "priya-raman", "password": "a b&c=", "next": "/desk"])
    }

    @Test("session cookies are HttpOnly, SameSite=Strict, and Secure when asked")
    func cookie() {
        #expect(
            HTTPText.cookie(name: "sb_session", value: "v", maxAgeSeconds: 60, secure: true)
                == "sb_session=v; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure")
    }
}

@Suite("Errors the pages and the connector API see")
struct GatewayErrorTests {
    @Test("a service's refusal keeps its code, message and details (a closed queue's opening) for the page")
    func serviceDetails() {
        let failure = CommandFailure(
            code: .queueClosed, message: "queue chat-en is closed; it opens Monday 30 March 08:00 (Europe/Paris)",
            details: JSONObject([
                ("queue", "chat-en"), ("opensAt", "2026-03-30T06:00:00Z"), ("timeZone", "Europe/Paris"),
                ("code", "not-this"),
            ]))
        let error = GatewayError(.rejected(failure, id: "gw-1", type: "conversation.open", service: "router"))
        #expect(error.code == "queue_closed")
        #expect(error.json["opensAt"] == "2026-03-30T06:00:00Z")
        #expect(error.json["timeZone"] == "Europe/Paris")
        #expect(error.json["code"] == "queue_closed", "a detail never replaces the code")
    }
}
