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
