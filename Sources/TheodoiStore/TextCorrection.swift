import TheodoiCore

/// A correction of a plan's text on record: which field of which part, group or task, the text
/// as the decision wrote it and as corrected. The plan then reads corrected; the original stays.
public struct TextCorrection: Sendable, Hashable {
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case planTitle = "plan-title"
        case partTitle = "part-title"
        case groupTitle = "group-title"
        case title
        case output
        case coordinators

        /// "Nội dung", "Sản phẩm", …: what the field is called on the page.
        public var vietnamese: String {
            switch self {
            case .planTitle: "Tên văn bản"
            case .partTitle: "Tên phần"
            case .groupTitle: "Tên nhóm"
            case .title: "Nội dung nhiệm vụ"
            case .output: "Sản phẩm"
            case .coordinators: "Đơn vị phối hợp"
            }
        }
    }

    public var field: Field
    /// The task's code ("A.1"), the part's code ("B"), the group as "part/group" ("A/I"); "" for the plan.
    public var subject: String
    public var original: String
    public var corrected: String
    /// Who corrected it and when (ISO-8601); empty on a correction not yet stored.
    public var correctedByName: String
    public var correctedAt: String

    public init(
        field: Field, subject: String, original: String, corrected: String, correctedByName: String = "",
        correctedAt: String = ""
    ) {
        self.field = field
        self.subject = subject
        self.original = original
        self.corrected = corrected
        self.correctedByName = correctedByName
        self.correctedAt = correctedAt
    }

    /// A key naming the field ("title:A.1"), as a form sends it.
    public var key: String { "\(field.rawValue):\(subject)" }
}
