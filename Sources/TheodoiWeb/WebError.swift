import Hummingbird

/// An error the web layer answers with a status and a message (Vietnamese for pages, precise for the API).
struct WebError: Error {
    var status: HTTPResponse.Status
    /// For people: shown on the error page.
    var message: String
    /// For integrations: the API's `{"error":{"message"}}`.
    var apiMessage: String

    static func notFound(_ message: String, api: String) -> WebError {
        WebError(status: .notFound, message: message, apiMessage: api)
    }

    static func badRequest(_ message: String, api: String) -> WebError {
        WebError(status: .badRequest, message: message, apiMessage: api)
    }
}

extension WebError {
    /// Not signed in: pages go to the sign-in page, the API answers 401.
    static func unauthenticated(api: String = "sign in or send `Authorization: Bearer <token>`") -> WebError {
        WebError(status: .unauthorized, message: "Bạn cần đăng nhập để xem trang này.", apiMessage: api)
    }

    /// Signed in, but the role does not allow it.
    static func forbidden(_ message: String, api: String) -> WebError {
        WebError(status: .forbidden, message: message, apiMessage: api)
    }
}
