/// Giai đoạn đơn vị tự nhận trong báo cáo: what the agency says about its work.
public enum ClaimedStage: String, Sendable, Hashable, CaseIterable, Codable {
    case inProgress = "in-progress"
    /// Đã hoàn thành: a completion claim, which the office accepts or returns.
    case done
    case blocked

    /// The label officials read.
    public var vietnamese: String {
        switch self {
        case .inProgress: "Đang thực hiện"
        case .done: "Đã hoàn thành"
        case .blocked: "Gặp khó khăn, vướng mắc"
        }
    }
}

/// Báo cáo tiến độ of the lead agency, or ý kiến phối hợp of a coordinating one.
public enum ReportKind: String, Sendable, Hashable, CaseIterable, Codable {
    case report
    case contribution

    /// The label officials read.
    public var vietnamese: String {
        switch self {
        case .report: "Báo cáo tiến độ"
        case .contribution: "Ý kiến phối hợp"
        }
    }
}

/// Where a report is: a draft the agency still edits, or sent and then decided by the office.
public enum ReportState: String, Sendable, Hashable, CaseIterable, Codable {
    case draft
    case submitted
    /// Xác nhận: accepted as done (a completion claim) or noted (a progress report).
    case accepted
    /// Trả lại, with the office's reason.
    case returned
    /// Rút lại by its agency before the office acted on it; kept, and no longer counted.
    case withdrawn

    /// The label officials read.
    public var vietnamese: String {
        switch self {
        case .draft: "Bản nháp"
        case .submitted: "Đã gửi, chờ xem xét"
        case .accepted: "Đã được xác nhận"
        case .returned: "Bị trả lại"
        case .withdrawn: "Đã rút lại"
        }
    }
}

/// The office's decision on a report.
public enum ReviewDecision: String, Sendable, Hashable, CaseIterable, Codable {
    /// Xác nhận hoàn thành (a completion claim) or ghi nhận (a progress report).
    case accept
    /// Trả lại: needs a reason.
    case `return`
}

/// Đề nghị gia hạn, or the office setting the due date of a deadline that had none.
public enum ExtensionKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// An agency asks for a new date; the office decides.
    case request
    /// The office sets the date of an external deadline ("Theo KH của Trung ương") once it is known.
    case setDue = "set-due"
}

/// Where an extension request is.
public enum ExtensionState: String, Sendable, Hashable, CaseIterable, Codable {
    case pending
    case approved
    case refused

    /// The label officials read.
    public var vietnamese: String {
        switch self {
        case .pending: "Chờ quyết định"
        case .approved: "Đã đồng ý"
        case .refused: "Không đồng ý"
        }
    }
}

/// Minh chứng: a document that shows the result (số/ký hiệu, ngày, trích yếu).
public struct EvidenceReference: Sendable, Hashable, Codable {
    /// "Số 12/QĐ-SGDĐT".
    public var number: String
    public var date: LocalDate?
    /// Trích yếu.
    public var summary: String

    public init(number: String, date: LocalDate?, summary: String) {
        self.number = number
        self.date = date
        self.summary = summary
    }

    /// One line as officials cite a document: "Quyết định số 12/QĐ-SGDĐT ngày 05/10/2025 về …".
    public var citation: String {
        var parts: [String] = []
        if !number.isEmpty { parts.append(number) }
        if let date { parts.append("ngày \(date.vietnameseShort)") }
        let head = parts.joined(separator: " ")
        if summary.isEmpty { return head }
        return head.isEmpty ? summary : "\(head): \(summary)"
    }
}
