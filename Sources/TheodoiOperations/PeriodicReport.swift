import Foundation
import TheodoiCore
import TheodoiExport
import TheodoiStore

/// What a periodic report covers: a reporting period or a plain "tính đến ngày", and a scope.
public struct PeriodicReportRequest: Sendable, Hashable {
    /// Phạm vi: the whole plan, one part, or the tasks one agency leads.
    public enum Scope: Sendable, Hashable {
        case all
        case part(String)
        case agency(AgencyRecord.ID)

        /// "all", "part:A", "agency:12": the form's and the query's value.
        public var key: String {
            switch self {
            case .all: "all"
            case .part(let code): "part:\(code)"
            case .agency(let id): "agency:\(id)"
            }
        }

        public init?(key: String) {
            if key.isEmpty || key == "all" {
                self = .all
            } else if key.hasPrefix("part:"), key.count > 5 {
                self = .part(String(key.dropFirst(5)))
            } else if key.hasPrefix("agency:"), let id = Int(key.dropFirst(7)) {
                self = .agency(AgencyRecord.ID(id))
            } else {
                return nil
            }
        }
    }

    /// The period reported on; nil for a report "tính đến ngày" since the plan was issued.
    public var period: ReportingPeriod?
    /// The date the figures stand at (the period's end unless an earlier day is asked for).
    public var asOf: LocalDate
    public var scope: Scope
    /// The number the office gives the report ("15"); blank leaves room to write it by hand.
    public var number: String
    /// The date written in the heading ("Gia Lai, ngày …"): the day it is made.
    public var documentDate: LocalDate

    public init(period: ReportingPeriod?, asOf: LocalDate, scope: Scope, number: String, documentDate: LocalDate) {
        self.period = period
        self.asOf = asOf
        self.scope = scope
        self.number = number
        self.documentDate = documentDate
    }
}

/// Báo cáo định kỳ: the office's periodic report on a plan, composed from the statuses as of a date
/// and what agencies reported, as a formal document with its appendix (DESIGN §5, §6).
public struct PeriodicReport: Sendable {
    public let document: OfficialDocument
    /// The appendix as a spreadsheet table (the same rows as the document's appendix).
    public let appendixTable: ExportTable
    /// "Báo cáo quý IV/2025 (tính đến ngày 14/12/2025)": how lists and file names call it.
    public let title: String
    /// The scope as words ("Toàn bộ kế hoạch", "Nhóm A", "Sở Giáo dục và Đào tạo chủ trì").
    public let scopeLabel: String
    /// The statistics sentence of the scope (DESIGN §5).
    public let summary: StatusSummary

    static let appendixColumns = [
        "STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Sản phẩm", "Kết quả thực hiện",
        "Tình trạng", "Khó khăn, vướng mắc", "Đề xuất, kiến nghị",
    ]
    static let appendixWidths = [5, 24, 11, 11, 9, 14, 22, 10, 12, 12]
    /// Room to write the number by hand: non-breaking spaces, which no page or file collapses.
    static let blankNumber = String(repeating: "\u{00A0}", count: 8)

    /// Composes the report. `statuses` are the snapshot's rows as of `request.asOf`, `before` as of
    /// the day before the period starts; `digests` what was sent by then (`ReportStore.digests`).
    public init(
        snapshot: PlanSnapshot, statuses: [AssignmentStatus], before: [AssignmentStatus], digests: [ReportDigest],
        settings: ReportSettings, request: PeriodicReportRequest
    ) {
        let plan = snapshot.plan
        let asOf = request.asOf
        let from = PeriodicReport.start(of: request, plan: plan)
        let inScope = PeriodicReport.scopeMask(snapshot: snapshot, scope: request.scope)
        // Statistics count top-level rows, or rows whose parent is outside the scope (an agency's sub-tasks).
        var counted: [AssignmentStatus] = []
        for (position, assignment) in snapshot.assignments.enumerated() where inScope[position] {
            let parentIn = assignment.parent.flatMap { snapshot.index[$0] }.map { inScope[$0] } ?? false
            if !parentIn { counted.append(statuses[position]) }
        }
        let summary = StatusSummary(counted)
        self.summary = summary

        var leadReport: [AssignmentRecord.ID: ReportDigest] = [:]
        var contributions: [AssignmentRecord.ID: [ReportDigest]] = [:]
        for digest in digests {
            switch digest.kind {
            case .report:
                if let current = leadReport[digest.assignmentID], current.reportID.rawValue > digest.reportID.rawValue {
                    continue
                }
                leadReport[digest.assignmentID] = digest
            case .contribution: contributions[digest.assignmentID, default: []].append(digest)
            }
        }

        let scopeLabel: String
        let scopeLine: String?
        switch request.scope {
        case .all:
            scopeLabel = "Toàn bộ danh mục"
            scopeLine = nil
        case .part(let code):
            let title = snapshot.parts.first { $0.code == code }?.title ?? code
            scopeLabel = "\(code). \(title)"
            scopeLine = "phần \(code). \(title)"
        case .agency(let id):
            let name = snapshot.agencies.first { $0.id == id }?.name ?? "đơn vị"
            scopeLabel = "Nhiệm vụ do \(name) chủ trì"
            scopeLine = "đối với các nhiệm vụ do \(name) chủ trì"
        }
        self.scopeLabel = scopeLabel

        let asOfText = "tính đến ngày \(asOf.vietnameseShort)"
        title = "Báo cáo \(request.period.map { $0.vietnameseName + " " } ?? "")(\(asOfText))"
        let decision = PeriodicReport.citation(plan)

        // MARK: Heading
        let number: String
        let typed = request.number.trimmingCharacters(in: .whitespaces)
        switch settings.format {
        case .party: number = "Số \(typed.isEmpty ? PeriodicReport.blankNumber : typed)\(settings.numberSuffix)"
        case .state: number = "Số: \(typed.isEmpty ? PeriodicReport.blankNumber : typed)\(settings.numberSuffix)"
        }
        var subject = ["kết quả thực hiện \(decision)"]
        if let scopeLine { subject.append(scopeLine) }
        subject.append((request.period.map { $0.vietnameseName + " " } ?? "") + "(\(asOfText))")

        // MARK: I. Tình hình triển khai
        var body: [OfficialDocument.Block] = [.section("I. TÌNH HÌNH TRIỂN KHAI")]
        let agencyCount = Set(
            snapshot.assignments.enumerated().filter { inScope[$0.offset] }.flatMap { $0.element.lead.compactMap(\.agencyID) }
        ).count
        var opening = "Thực hiện \(decision), "
        if case .agency = request.scope {
            opening +=
                "\(scopeLabel.replacingOccurrences(of: "Nhiệm vụ do ", with: "").replacingOccurrences(of: " chủ trì", with: "")) "
            opening += "được giao chủ trì thực hiện \(summary.total) nhiệm vụ."
        } else {
            opening += "\(agencyCount) cơ quan, đơn vị được giao chủ trì thực hiện \(summary.total) nhiệm vụ"
            if request.scope == .all, let declared = plan.declaredCount, declared != summary.total {
                opening += " (văn bản ghi \(declared) nhiệm vụ)"
            }
            opening += "."
        }
        body.append(.paragraph([.init(opening)]))
        body.append(.paragraph([.init("Kết quả \(asOfText): ", bold: true), .init(summary.sentence)]))
        let periodText =
            request.period.map { "Trong \($0.vietnameseName) (từ ngày \(from.vietnameseShort) đến ngày \(asOf.vietnameseShort))" }
            ?? "Từ ngày \(from.vietnameseShort) đến ngày \(asOf.vietnameseShort)"
        var completedInPeriod: [Int] = []
        var reportedInPeriod: [Int] = []
        for (position, assignment) in snapshot.assignments.enumerated() where inScope[position] {
            let status = statuses[position]
            // Newly done: accepted by the report's date and not yet done the day before the period.
            if status.timeliness.isDone, !before[position].timeliness.isDone, snapshot.children[assignment.code] == nil {
                completedInPeriod.append(position)
            } else if let report = leadReport[assignment.id], report.submittedOn >= from {
                reportedInPeriod.append(position)
            }
        }
        let contributed = digests.filter {
            $0.kind == .contribution && $0.submittedOn >= from
                && (snapshot.idIndex[$0.assignmentID].map { inScope[$0] } ?? false)
        }.count
        let reportedTasks = snapshot.assignments.enumerated().filter {
            inScope[$0.offset] && (leadReport[$0.element.id].map { $0.submittedOn >= from } ?? false)
        }.count
        body.append(
            .paragraph([
                .init(
                    "\(periodText), có \(completedInPeriod.count) nhiệm vụ, nhiệm vụ con được xác nhận hoàn thành; "
                        + "\(reportedTasks) nhiệm vụ có báo cáo của đơn vị chủ trì và \(contributed) ý kiến của đơn vị phối hợp.")
            ]))

        // MARK: II. Kết quả thực hiện
        body.append(.section("II. KẾT QUẢ THỰC HIỆN"))
        let sections = PeriodicReport.sections(snapshot: snapshot, inScope: inScope)
        var partNumber = 0
        var groupLetter = 0
        var currentPart: String?
        for section in sections {
            if section.part != currentPart || currentPart == nil {
                currentPart = section.part
                partNumber += 1
                groupLetter = 0
                let partPositions = sections.filter { $0.part == section.part }.flatMap(\.positions)
                let partStatuses = partPositions.filter { position in
                    let parent = snapshot.assignments[position].parent.flatMap { snapshot.index[$0] }
                    return parent.map { !inScope[$0] } ?? true
                }.map { statuses[$0] }
                body.append(.subsection("\(partNumber). \(section.partTitle ?? section.groupTitle ?? "Nhiệm vụ")"))
                body.append(.paragraph([.init(StatusSummary(partStatuses).sentence)]))
            }
            if section.partTitle != nil, let groupTitle = section.groupTitle {
                let letter = Character(UnicodeScalar(UInt8(97 + groupLetter % 26)))
                groupLetter += 1
                body.append(.paragraph([.init("\(letter)) \(groupTitle)", bold: true, italic: true)]))
            }
            let positions = Set(section.positions)
            let done = completedInPeriod.filter(positions.contains)
            let progress = reportedInPeriod.filter(positions.contains)
            if done.isEmpty && progress.isEmpty {
                body.append(.paragraph([.init("Trong kỳ chưa có kết quả mới được báo cáo.", italic: true)]))
                continue
            }
            for position in done {
                let assignment = snapshot.assignments[position]
                let status = statuses[position]
                var text = "\(PeriodicReport.name(assignment)): "
                text += PeriodicReport.clause(leadReport[assignment.id]?.result, fallback: "đã hoàn thành")
                text += " (xác nhận hoàn thành; ngày hoàn thành \(status.completedOn?.vietnameseShort ?? ""), "
                text += status.timeliness == .doneOnTime ? "đúng hạn)." : "quá hạn)."
                body.append(.bullet([.init(text)]))
            }
            for position in progress {
                let assignment = snapshot.assignments[position]
                guard let report = leadReport[assignment.id] else { continue }
                var text = "\(PeriodicReport.name(assignment)): "
                let result = PeriodicReport.clause(report.result, fallback: "")
                if statuses[position].stage == .awaitingReview {
                    text += "đơn vị báo cáo đã hoàn thành ngày \(report.submittedOn.vietnameseShort), đang chờ xác nhận"
                } else {
                    text += "đạt \(report.percent)% (báo cáo ngày \(report.submittedOn.vietnameseShort))"
                }
                text += result.isEmpty ? "." : ". \(result)."
                body.append(.bullet([.init(text)]))
            }
        }

        // MARK: III. Tồn tại, hạn chế
        body.append(.section("III. TỒN TẠI, HẠN CHẾ"))
        let overdue = snapshot.assignments.indices.filter {
            inScope[$0] && statuses[$0].timeliness == .openOverdue && snapshot.children[snapshot.assignments[$0].code] == nil
        }.sorted { (statuses[$0].effectiveDue ?? asOf) < (statuses[$1].effectiveDue ?? asOf) }
        if overdue.isEmpty {
            body.append(.paragraph([.init("Không có nhiệm vụ chưa hoàn thành đã quá hạn \(asOfText).")]))
        } else {
            let rowsNote =
                overdue.count == summary.count(.openOverdue)
                ? "" : " (gồm \(overdue.count) nhiệm vụ, nhiệm vụ con)"
            body.append(
                .paragraph([
                    .init(
                        "Còn \(summary.count(.openOverdue)) nhiệm vụ chưa hoàn thành đã quá hạn \(asOfText)\(rowsNote), cụ thể:")
                ]))
            for position in overdue {
                let assignment = snapshot.assignments[position]
                let status = statuses[position]
                let due = status.effectiveDue
                let days = due.map { asOf.daysSinceEpoch - $0.daysSinceEpoch } ?? 0
                var text = "\(PeriodicReport.name(assignment)), hạn \(due?.vietnameseShort ?? assignment.deadline.text)"
                if let original = status.originalDue, original != due { text += " (hạn ban đầu \(original.vietnameseShort))" }
                text += ", quá hạn \(days) ngày"
                if let report = leadReport[assignment.id], status.stage == .awaitingReview {
                    text += "; đơn vị đã báo cáo hoàn thành ngày \(report.submittedOn.vietnameseShort), đang chờ xác nhận."
                } else if let report = leadReport[assignment.id] {
                    text += "; báo cáo gần nhất ngày \(report.submittedOn.vietnameseShort), đạt \(report.percent)%."
                } else {
                    text += "; chưa có báo cáo."
                }
                body.append(.bullet([.init(text)]))
            }
        }
        let reported = PeriodicReport.statements(
            snapshot: snapshot, inScope: inScope, leadReport: leadReport, contributions: contributions, from: from,
            text: \.difficulties)
        if reported.isEmpty {
            body.append(.paragraph([.init("Trong kỳ, các cơ quan, đơn vị chưa nêu khó khăn, vướng mắc.")]))
        } else {
            body.append(.paragraph([.init("Khó khăn, vướng mắc các cơ quan, đơn vị nêu trong kỳ:")]))
            body += reported.map { .bullet([.init($0)]) }
        }

        // MARK: IV. Đề xuất, kiến nghị
        body.append(.section("IV. ĐỀ XUẤT, KIẾN NGHỊ"))
        let proposals = PeriodicReport.statements(
            snapshot: snapshot, inScope: inScope, leadReport: leadReport, contributions: contributions, from: from,
            text: \.proposals)
        if proposals.isEmpty {
            body.append(.paragraph([.init("Trong kỳ, các cơ quan, đơn vị chưa có đề xuất, kiến nghị.")]))
        } else {
            body.append(.paragraph([.init("Các cơ quan, đơn vị đề xuất, kiến nghị:")]))
            body += proposals.map { .bullet([.init($0)]) }
        }
        body.append(
            .paragraph([
                .init(
                    "Trên đây là báo cáo kết quả thực hiện \(decision)"
                        + (request.period.map { " \($0.vietnameseName)" } ?? "") + " (\(asOfText))./.")
            ]))

        // MARK: Phụ lục
        var rows: [OfficialDocument.Appendix.Row] = []
        var tableRows: [[ExportTable.Cell]] = []
        var appendixPart: String?
        for section in sections {
            if let partTitle = section.partTitle, section.part != appendixPart {
                appendixPart = section.part
                let title = "\(section.part ?? ""). \(partTitle)"
                rows.append(.group(title))
                tableRows.append([.empty, .text(title)])
            }
            if let groupTitle = section.groupTitle {
                let title = "\(section.group ?? ""). \(groupTitle)"
                rows.append(.group(title))
                tableRows.append([.empty, .text(title)])
            }
            for position in section.positions {
                let assignment = snapshot.assignments[position]
                let status = statuses[position]
                let cells = PeriodicReport.appendixCells(
                    assignment, status: status, lead: leadReport[assignment.id], contributions: contributions[assignment.id] ?? []
                )
                rows.append(.cells(cells))
                tableRows.append(cells.map { $0.isEmpty ? .empty : .text($0) })
            }
        }
        let appendixTitle = "PHỤ LỤC"
        let appendixSubtitle =
            "Kết quả thực hiện các nhiệm vụ theo \(decision)" + (scopeLine.map { " (\($0))" } ?? "") + ", \(asOfText)"
        document = OfficialDocument(
            format: settings.format, issuerLines: settings.issuerLines, number: number,
            placeAndDate: "\(settings.place), \(request.documentDate.vietnameseFormal)", kind: "BÁO CÁO", subject: subject,
            body: body, signatureAuthority: settings.signatureAuthority, signer: settings.signer,
            recipients: settings.recipients,
            appendix: OfficialDocument.Appendix(
                title: appendixTitle, subtitle: "(\(appendixSubtitle))", columns: PeriodicReport.appendixColumns,
                widths: PeriodicReport.appendixWidths, rows: rows))
        appendixTable = ExportTable(
            title: "Phụ lục", headers: PeriodicReport.appendixColumns, rows: tableRows,
            widths: [7, 50, 24, 24, 16, 32, 50, 22, 32, 32])
    }

    // MARK: Pieces

    /// The first day the report covers: the period's start, else the plan's date.
    public static func start(of request: PeriodicReportRequest, plan: PlanRecord) -> LocalDate {
        min(request.period?.start ?? plan.date ?? request.asOf, request.asOf)
    }

    /// Which rows the scope takes.
    static func scopeMask(snapshot: PlanSnapshot, scope: PeriodicReportRequest.Scope) -> [Bool] {
        switch scope {
        case .all: return snapshot.assignments.map { _ in true }
        case .part(let code): return snapshot.assignments.map { $0.part == code }
        case .agency(let id): return snapshot.assignments.map { $0.lead.contains { $0.agencyID == id } }
        }
    }

    /// A run of rows of one part and group, in document order.
    struct Section {
        var part: String?
        var partTitle: String?
        var group: String?
        var groupTitle: String?
        var positions: [Int]
    }

    /// The catalogue's parts and groups with their rows in the scope.
    static func sections(snapshot: PlanSnapshot, inScope: [Bool]) -> [Section] {
        var sections: [Section] = []
        for (position, assignment) in snapshot.assignments.enumerated() where inScope[position] {
            if let last = sections.last, last.part == assignment.part, last.group == assignment.group {
                sections[sections.count - 1].positions.append(position)
                continue
            }
            let partTitle = assignment.part.map { part in snapshot.parts.first { $0.code == part }?.title ?? part }
            let groupTitle = assignment.group.map { snapshot.groupTitle(part: assignment.part, group: $0) ?? $0 }
            sections.append(
                Section(
                    part: assignment.part, partTitle: partTitle, group: assignment.group, groupTitle: groupTitle,
                    positions: [position]))
        }
        return sections
    }

    /// "Nhiệm vụ A.17.1 “Xây dựng …” (Sở Giáo dục và Đào tạo)".
    static func name(_ assignment: AssignmentRecord) -> String {
        let lead = assignment.lead.map(\.name).joined(separator: ", ")
        return "Nhiệm vụ \(assignment.code) “\(assignment.title)”" + (lead.isEmpty ? "" : " (\(lead))")
    }

    /// A reported text as a clause: one line, without its closing punctuation (the sentence adds it).
    static func clause(_ text: String?, fallback: String) -> String {
        var value = Substring(VietnameseText.collapsingWhitespace(text ?? ""))
        while let last = value.last, ".;:,".contains(last) { value = value.dropLast() }
        return value.isEmpty ? fallback : String(value)
    }

    /// What agencies wrote in one field during the period: the lead's latest report and each
    /// coordinator's latest contribution, each once, in document order.
    static func statements(
        snapshot: PlanSnapshot, inScope: [Bool], leadReport: [AssignmentRecord.ID: ReportDigest],
        contributions: [AssignmentRecord.ID: [ReportDigest]], from: LocalDate, text: KeyPath<ReportDigest, String>
    ) -> [String] {
        var lines: [String] = []
        for (position, assignment) in snapshot.assignments.enumerated() where inScope[position] {
            let sources = [leadReport[assignment.id]].compactMap { $0 } + (contributions[assignment.id] ?? [])
            for digest in sources where digest.submittedOn >= from {
                let value = VietnameseText.collapsingWhitespace(digest[keyPath: text])
                guard !value.isEmpty else { continue }
                lines.append("\(digest.agencyName) (nhiệm vụ \(assignment.code)): \(clause(value, fallback: "")).")
            }
        }
        return lines
    }

    static func appendixCells(
        _ assignment: AssignmentRecord, status: AssignmentStatus, lead: ReportDigest?, contributions: [ReportDigest]
    ) -> [String] {
        var due = assignment.deadline.text
        if let effective = status.effectiveDue, effective != status.originalDue {
            due += "\n(gia hạn đến \(effective.vietnameseShort))"
        }
        var result = ""
        if let lead {
            result = "Báo cáo ngày \(lead.submittedOn.vietnameseShort): đạt \(lead.percent)%"
            let text = VietnameseText.collapsingWhitespace(lead.result)
            if !text.isEmpty { result += ". " + text }
        }
        if let completed = status.completedOn, status.timeliness.isDone {
            result += (result.isEmpty ? "" : "\n") + "Đã xác nhận hoàn thành ngày \(completed.vietnameseShort)."
        }
        var state = status.timeliness.vietnamese
        if status.stage == .awaitingReview || status.stage == .returned || status.stage == .notStarted {
            state += " (\(status.stage.vietnamese.lowercased()))"
        }
        if status.timeliness == .recurring, let reported = status.reportedThisPeriod {
            state += reported ? " (đã báo cáo kỳ này)" : " (chưa báo cáo kỳ này)"
        }
        func joined(_ keyPath: KeyPath<ReportDigest, String>) -> String {
            var parts: [String] = []
            if let lead {
                let text = VietnameseText.collapsingWhitespace(lead[keyPath: keyPath])
                if !text.isEmpty { parts.append(text) }
            }
            for contribution in contributions {
                let text = VietnameseText.collapsingWhitespace(contribution[keyPath: keyPath])
                if !text.isEmpty { parts.append("\(contribution.agencyName): \(text)") }
            }
            return parts.joined(separator: "\n")
        }
        return [
            assignment.number, assignment.title, assignment.lead.map(\.name).joined(separator: ", "),
            assignment.coordinatorsText.isEmpty
                ? assignment.coordinators.map(\.name).joined(separator: ", ") : assignment.coordinatorsText,
            due, assignment.output, result, state, joined(\.difficulties), joined(\.proposals),
        ]
    }

    /// "Quyết định số 343-QĐ/TU ngày 03/9/2025 của Ban Thường vụ Tỉnh ủy".
    static func citation(_ plan: PlanRecord) -> String {
        let folded = VietnameseText.folded(plan.number)
        let kind =
            folded.contains("-qd") || folded.contains("qd-")
            ? "Quyết định" : folded.contains("kh") ? "Kế hoạch" : folded.contains("ct") ? "Chương trình" : "văn bản"
        var text = "\(kind) số \(plan.number)"
        if let date = plan.date {
            let day = date.day < 10 ? "0\(date.day)" : "\(date.day)"
            let month = date.month <= 2 ? "0\(date.month)" : "\(date.month)"
            text += " ngày \(day)/\(month)/\(date.year)"
        }
        if let issuer = plan.issuer, !issuer.isEmpty { text += " của \(issuer)" }
        return text
    }
}
