/// The page between a form and an act that cannot be taken back (sending a report, accepting or
/// returning it, publishing a plan, resetting a password, deciding or reversing): what will be
/// recorded, in the words it will be recorded in, and one button that does it. Enter in the
/// original form never reaches the act; only this page's button does.
public struct ConfirmPage: Sendable {
    /// A field the confirming form posts again.
    public struct Hidden: Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var layout: Layout
    public var csrf: String
    /// "Nhiệm vụ A.17" and where it leads.
    public var backCrumb: String
    public var backHref: String
    /// "Gửi báo cáo".
    public var crumb: String
    /// "Gửi báo cáo này?"
    public var heading: String
    /// One sentence saying what happens.
    public var lead: String
    /// Something the user should decide before confirming (a completion at 60%), shown as an alert.
    public var question: String
    public var fields: [Field]
    /// Files or rows listed under the fields.
    public var items: [String]
    public var itemsLabel: String
    /// Why this cannot be undone, or how it can be corrected later.
    public var warning: String
    public var action: String
    public var hidden: [Hidden]
    /// "Xác nhận gửi".
    public var confirmLabel: String
    /// "Quay lại sửa".
    public var backLabel: String
    /// The button looks like what it does: returning, refusing, reversing are `danger`.
    public var danger: Bool
    /// A choice the confirming form makes, posted as `choice` (the final report closing a plan).
    public var choiceLabel = ""
    public var choices: [Option] = [] {
        didSet { hasChoices = !choices.isEmpty }
    }
    public private(set) var hasChoices = false
    /// A reason the confirming form asks for, posted as `reason` (reopening a closed plan).
    public var reasonLabel = "" {
        didSet { hasReason = !reasonLabel.isEmpty }
    }
    public private(set) var hasReason = false
    public var reason = ""
    public let hasLead: Bool
    public let hasQuestion: Bool
    public let hasItems: Bool
    public let hasWarning: Bool

    public init(
        layout: Layout, csrf: String, backCrumb: String, backHref: String, crumb: String, heading: String,
        lead: String = "", question: String = "", fields: [Field], items: [String] = [], itemsLabel: String = "",
        warning: String, action: String, hidden: [Hidden], confirmLabel: String, backLabel: String,
        danger: Bool = false
    ) {
        self.layout = layout
        self.csrf = csrf
        self.backCrumb = backCrumb
        self.backHref = backHref
        self.crumb = crumb
        self.heading = heading
        self.lead = lead
        self.question = question
        // An empty value reads "—" (nothing written), not a blank that looks like a fault.
        self.fields = fields.map { $0.value.isEmpty ? Field(label: $0.label, value: "—") : $0 }
        self.items = items
        self.itemsLabel = itemsLabel
        self.warning = warning
        self.action = action
        self.hidden = hidden + [Hidden(name: "confirm", value: "yes")]
        self.confirmLabel = confirmLabel
        self.backLabel = backLabel
        self.danger = danger
        hasLead = !lead.isEmpty
        hasQuestion = !question.isEmpty
        hasItems = !items.isEmpty
        hasWarning = !warning.isEmpty
    }
}
