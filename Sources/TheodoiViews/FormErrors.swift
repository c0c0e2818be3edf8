import Mustache
import TheodoiCore

/// A form's problems for a page: a summary at the top whose lines link to the fields, and each
/// field's message beside it. A field's input carries the id `f-<prefix><field>`, its message the id
/// `e-<prefix><field>`; the prefix tells apart two forms of one page that share a field name.
///
/// Templates: `{{> form-errors}}` for the summary; beside a field `{{#errors.on.result}}…{{/errors.on.result}}`
/// (the message, or nothing when the field is fine).
public struct FormErrors: Sendable {
    public struct Item: Sendable {
        public var message: String
        /// `#f-…`, or "" for a problem with the form as a whole.
        public var href: String
    }

    /// "Chưa lưu được", "Chưa gửi được đề nghị".
    public var heading: String
    public let items: [Item]
    public let prefix: String
    let byField: [String: String]

    public static let none = FormErrors([])

    public init(_ problems: [FieldProblem], prefix: String = "", heading: String = "Chưa lưu được") {
        self.heading = heading
        self.prefix = prefix
        var byField: [String: String] = [:]
        var items: [Item] = []
        for problem in problems where !problem.message.isEmpty {
            let href = problem.field.isEmpty ? "" : "#f-\(prefix)\(problem.field)"
            items.append(Item(message: problem.message, href: href))
            guard !problem.field.isEmpty else { continue }
            byField[problem.field] = byField[problem.field].map { $0 + " " + problem.message } ?? problem.message
        }
        self.items = items
        self.byField = byField
    }

    /// Messages not tied to a field (older forms): a summary without links.
    public init(messages: [String], heading: String = "Chưa lưu được") {
        self.init(messages.map { FieldProblem(field: "", message: $0) }, heading: heading)
    }

    public var hasAny: Bool { !items.isEmpty }

    /// The message beside `field`, if it has one.
    public func message(for field: String) -> String? { byField[field] }
}

/// `errors.on.<field>`: the field's message or nothing.
struct FieldMessages: MustacheParent {
    let errors: FormErrors
    func child(named key: String) -> Any? { errors.byField[key] }
}

extension FormErrors: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "hasAny": hasAny
        case "heading": heading
        case "items": items
        case "on": FieldMessages(errors: self)
        case "prefix": prefix
        case "countText": items.count == 1 ? "1 chỗ" : "\(items.count) chỗ"
        default: nil
        }
    }
}

extension FormErrors.Item: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "message": message
        case "href": href
        case "hasHref": !href.isEmpty
        default: nil
        }
    }
}
