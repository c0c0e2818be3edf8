import TheodoiCore
import TheodoiExport
import TheodoiStore

/// The spreadsheets' columns for rows of a plan, shared by the web downloads and `theodoi export`.
public enum ExportTables {
    public static let rowHeaders = [
        "Mã", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn (văn bản ghi)", "Hạn ban đầu", "Hạn hiện hành",
        "Mục tiêu, sản phẩm đầu ra", "Tình trạng", "Giai đoạn", "Tỷ lệ (%)", "Ngày hoàn thành",
    ]
    public static let rowWidths = [9, 60, 28, 28, 18, 12, 12, 45, 24, 16, 9, 14]

    /// One row: the catalogue's fields and where it stands.
    public static func row(_ assignment: AssignmentRecord, _ status: AssignmentStatus) -> [ExportTable.Cell] {
        [
            .text(assignment.code), .text(assignment.title), .text(assignment.lead.map(\.name).joined(separator: "; ")),
            .text(assignment.coordinators.map(\.name).joined(separator: "; ")), .text(assignment.deadline.text),
            status.originalDue.map { .date($0) } ?? .empty, status.effectiveDue.map { .date($0) } ?? .empty,
            .text(assignment.output), .text(status.timeliness.vietnamese), .text(status.stage.vietnamese),
            .number(status.percent),
            status.completedOn.map { .date($0) } ?? .empty,
        ]
    }

    /// The rows of a plan view as a table.
    public static func plan(_ snapshot: PlanSnapshot, rows: [PlanRow]) -> ExportTable {
        ExportTable(
            title: "Danh mục \(snapshot.plan.number)", headers: rowHeaders,
            rows: rows.map { row($0.assignment, $0.status) }, widths: rowWidths)
    }
}
