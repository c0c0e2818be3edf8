import TheodoiCatalog
import TheodoiCore

/// What re-importing a catalogue compares, with the Vietnamese names of the fields: the store applies
/// it, the import preview shows it before anything is stored.
public enum CatalogueChanges {
    /// The fields of an assignment that make it "changed".
    public static let assignmentFieldNames = [
        "phần", "nhóm", "số thứ tự", "nhiệm vụ cha", "nội dung", "chủ trì", "phối hợp", "thời hạn", "sản phẩm",
    ]

    public static func assignmentFields(_ assignment: Catalogue.Assignment) -> [String?] {
        [
            assignment.part, assignment.group, assignment.number, assignment.parent, assignment.title,
            assignment.leadText, assignment.coordinatorsText, assignment.deadline.text, assignment.output,
        ]
    }

    public static func assignmentFields(_ record: AssignmentRecord) -> [String?] {
        [
            record.part, record.group, record.number, record.parent, record.title, record.leadText,
            record.coordinatorsText, record.deadline.text, record.output,
        ]
    }

    /// What an amendment compares of a catalogue row, in the order of `AssignmentWording.values`.
    public static func wordingValues(_ assignment: Catalogue.Assignment) -> [String] {
        [assignment.title, assignment.leadText, assignment.coordinatorsText, assignment.deadline.text, assignment.output]
    }

    /// The plan-level fields.
    public static let planFieldNames = ["số hiệu", "ngày", "cơ quan ban hành", "tên", "số nhiệm vụ ghi trong văn bản"]

    public static func planFields(number: String, header: Catalogue.PlanHeader) -> [String?] {
        [number, header.date?.iso, header.issuer, header.title, header.declaredCount.map(String.init)]
    }

    public static func planFields(_ plan: PlanRecord) -> [String?] {
        [plan.number, plan.date?.iso, plan.issuer, plan.title, plan.declaredCount.map(String.init)]
    }

    /// The names of the fields whose values differ.
    public static func differences(_ names: [String], stored: [String?], incoming: [String?]) -> [String] {
        zip(names, zip(stored, incoming)).filter { $0.1.0 != $0.1.1 }.map(\.0)
    }
}
