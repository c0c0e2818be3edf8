import Foundation
import TheodoiCore
import TheodoiForms
import TheodoiOperations
import TheodoiStore

/// The query string of a request, decoded as browsers encode forms (`+` is a space).
struct QueryParameters {
    private var values: [String: String] = [:]

    init(_ rawQuery: String?) {
        guard let rawQuery else { return }
        for (key, value) in URLEncodedForm.pairs(rawQuery) where values[key] == nil { values[key] = value }
    }

    /// What makes an API query ambiguous, if anything: a parameter given twice, or a value with white
    /// space around it where the description constrains the value (pages forgive both; the API
    /// answers exactly what its description says). Free-text parameters (`q`, `part`, `group`) keep
    /// their tolerance: trimmed, and blank means no filter.
    static func apiProblem(_ rawQuery: String?) -> (message: String, api: String)? {
        guard let rawQuery else { return nil }
        var seen: Set<String> = []
        for (name, value) in URLEncodedForm.pairs(rawQuery) {
            if !seen.insert(name).inserted {
                return ("Tham số “\(name)” được gửi nhiều lần.", "query parameter \(name) is given more than once")
            }
            if !["q", "part", "group"].contains(name), value.trimmingCharacters(in: .whitespacesAndNewlines) != value {
                return (
                    "Giá trị của “\(name)” có khoảng trắng thừa ở đầu hoặc cuối.",
                    "query parameter \(name) has white space around its value"
                )
            }
        }
        return nil
    }

    /// `page`: 1 when absent; a whole number from 1 to `RequestNumber.maximumPage`, else a 400 saying so.
    func page() throws -> Int {
        guard let page = RequestNumber.page(self["page"]) else {
            throw WebError.badRequest(
                "Số trang “\(self["page"] ?? "")” không hợp lệ (từ 1 đến \(RequestNumber.maximumPage)).",
                api: "page must be an integer from 1 to \(RequestNumber.maximumPage) (got \"\(self["page"] ?? "")\")")
        }
        return page
    }

    /// The trimmed value, or nil when absent or empty (an empty form field means "no filter").
    subscript(_ key: String) -> String? {
        guard let value = values[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// The value as sent, empty included; nil when absent (the API refuses an empty number).
    func raw(_ key: String) -> String? { values[key] }

    /// `asOf`: an ISO date (or dd/MM/yyyy); the default is today.
    func asOf(default today: LocalDate) throws -> LocalDate {
        guard let text = self["asOf"] else { return today }
        guard let date = LocalDate(iso: text) ?? LocalDate(vietnamese: text) else {
            throw WebError.badRequest(
                "Ngày “\(text)” không hợp lệ. Hãy chọn ngày trong ô “Tính đến ngày” (dạng dd/MM/yyyy).",
                api: "asOf must be a valid date YYYY-MM-DD (got \"\(text)\")")
        }
        return date
    }

    /// An optional date field (ISO or dd/MM/yyyy) with a precise message when it is not a date.
    func isoDate(_ key: String) throws -> LocalDate? {
        guard let text = self[key] else { return nil }
        guard let date = LocalDate(iso: text) ?? LocalDate(vietnamese: text) else {
            throw WebError.badRequest(
                "Ngày “\(text)” không hợp lệ (dạng dd/MM/yyyy).", api: "\(key) must be a valid date YYYY-MM-DD (got \"\(text)\")")
        }
        return date
    }

    /// The plan filters of DESIGN §8, each validated with a precise message.
    func planQuery(today: LocalDate, snapshot: PlanSnapshot, perPageDefault: Int) throws -> PlanQuery {
        var query = PlanQuery(asOf: try asOf(default: today), perPage: perPageDefault)
        // 200 characters as the description counts them: Unicode code points of the value as sent.
        if let sent = values["q"], sent.unicodeScalars.count > 200 {
            throw WebError.badRequest("Từ khóa tìm kiếm quá dài (tối đa 200 ký tự).", api: "q is longer than 200 characters")
        }
        query.text = self["q"]
        if let agency = self["agency"] {
            guard let id = RequestNumber.id(agency) else {
                throw WebError.badRequest(
                    "Mã cơ quan “\(agency)” không hợp lệ. Hãy chọn cơ quan trong danh sách.",
                    api: "agency must be a positive integer, the id of an agency from /api/v1/agencies (got \"\(agency)\")")
            }
            guard snapshot.agencies.contains(where: { $0.id.rawValue == id }) else {
                throw WebError.notFound(
                    "Không có cơ quan mã “\(agency)” trong kế hoạch này. Hãy chọn cơ quan trong danh sách.",
                    api: "agency must be the id of an agency this plan names, from /api/v1/agencies (got \"\(agency)\")")
            }
            query.agency = AgencyRecord.ID(id)
        }
        if let role = self["role"] {
            guard let value = PlanQuery.AgencyRole(rawValue: role) else {
                throw WebError.badRequest(
                    "Vai trò “\(role)” không hợp lệ (chủ trì, phối hợp hoặc cả hai).",
                    api: "role must be one of lead, coordinator, any (got \"\(role)\")")
            }
            query.agencyRole = value
        }
        query.part = self["part"]
        query.group = self["group"]
        if let timeliness = self["timeliness"] {
            guard let value = Timeliness(rawValue: timeliness) else {
                throw WebError.badRequest(
                    "Tình trạng “\(timeliness)” không hợp lệ. Hãy chọn trong danh sách “Tình trạng”.",
                    api:
                        "timeliness must be one of \(Timeliness.allCases.map(\.rawValue).joined(separator: ", ")) (got \"\(timeliness)\")"
                )
            }
            query.timeliness = value
        }
        if let stage = self["stage"] {
            guard let value = Stage(rawValue: stage) else {
                throw WebError.badRequest(
                    "Giai đoạn “\(stage)” không hợp lệ. Hãy chọn trong danh sách “Giai đoạn”.",
                    api: "stage must be one of \(Stage.allCases.map(\.rawValue).joined(separator: ", ")) (got \"\(stage)\")")
            }
            query.stage = value
        }
        func month(_ name: String) throws -> (year: Int, month: Int)? {
            guard let month = self[name] else { return nil }
            let parts = month.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, let year = RequestNumber.parse(String(parts[0]), in: 1...9999),
                parts[1].count <= 2, let number = RequestNumber.parse(String(parts[1]), in: 1...12)
            else {
                throw WebError.badRequest(
                    "Tháng “\(month)” không hợp lệ (dạng yyyy-MM, ví dụ 2025-10).",
                    api: "\(name) must be YYYY-MM (got \"\(month)\")")
            }
            return (year, number)
        }
        query.dueMonth = try month("month")
        query.completedMonth = try month("completed")
        if let due = self["due"] {
            guard due == "passed" else {
                throw WebError.badRequest("Giá trị “\(due)” không hợp lệ.", api: "due must be passed (got \"\(due)\")")
            }
            query.duePassed = true
        }
        if let level = self["level"] {
            guard level == "top" || level == "all" else {
                throw WebError.badRequest(
                    "Mức “\(level)” không hợp lệ (top: chỉ nhiệm vụ, all: cả nhiệm vụ con).",
                    api: "level must be top or all (got \"\(level)\")")
            }
            query.topLevelOnly = level == "top"
        }
        query.page = try page()
        if let perPage = self["perPage"] {
            guard let value = RequestNumber.parse(perPage, in: 1...1000) else {
                throw WebError.badRequest(
                    "Số dòng mỗi trang phải từ 1 đến 1000.", api: "perPage must be an integer from 1 to 1000 (got \"\(perPage)\")"
                )
            }
            query.perPage = value
        }
        return query
    }
}

extension PlanQuery {
    /// The query as URL parameters, to rebuild links (pages, cards) that keep the filters.
    func parameters(page: Int? = nil, timeliness override: Timeliness?? = nil) -> [(String, String)] {
        var items: [(String, String)] = [("asOf", asOf.iso)]
        if let text { items.append(("q", text)) }
        if let agency { items.append(("agency", String(agency.rawValue))) }
        if agency != nil, agencyRole != .any { items.append(("role", agencyRole.rawValue)) }
        if let part { items.append(("part", part)) }
        if let group { items.append(("group", group)) }
        let chosen = override ?? timeliness
        if let chosen { items.append(("timeliness", chosen.rawValue)) }
        if let stage { items.append(("stage", stage.rawValue)) }
        if let dueMonth { items.append(("month", String(format: "%04d-%02d", dueMonth.year, dueMonth.month))) }
        if let completedMonth {
            items.append(("completed", String(format: "%04d-%02d", completedMonth.year, completedMonth.month)))
        }
        if topLevelOnly { items.append(("level", "top")) }
        if duePassed { items.append(("due", "passed")) }
        if let page, page > 1 { items.append(("page", String(page))) }
        return items
    }
}
