import HTTPTypes
import Hummingbird
import NIOCore
import SwitchboardBus

/// How the gateway answers: pages with a strict CSP, JSON bodies and JSON errors, redirects.
enum Responses {
    static func code(_ code: Int) -> HTTPResponse.Status { HTTPResponse.Status(code: code) }

    static func html(_ body: String, status: Int = 200, framable: Bool = false, host: String?) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let sockets = host.map { " ws://\($0) wss://\($0)" } ?? ""
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; connect-src 'self'\(sockets); img-src 'self' data:; base-uri 'none'; form-action "
            + "'self'"
            + (framable ? "" : "; frame-ancestors 'none'")
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(
            status: code(status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func json(_ value: JSON, status: Int = 200, extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(
            status: code(status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.text + "\n")))
    }

    /// Raw JSON text (an idempotent replay sends the stored bytes as they were).
    static func jsonText(_ text: String, status: Int) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(
            status: code(status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ error: GatewayError, status: Int? = nil, retryAfter: Int? = nil) -> Response {
        var headers = HTTPFields()
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return json(["error": error.json], status: status ?? httpStatus(for: error.code), extra: headers)
    }

    /// The HTTP status of an error code of the contract.
    static func httpStatus(for code: String) -> Int {
        switch code {
        case "bad_json", "missing_field", "malformed": 400
        case "unauthenticated": 401
        case "forbidden", "csrf": 403
        case "not_found": 404
        case "conflict": 409
        case "too_large": 413
        case "invalid_argument", "replay_failed": 422
        case "rate_limited": 429
        case "unavailable": 503
        default: 500
        }
    }

    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    static func bytes(_ bytes: [UInt8], contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
