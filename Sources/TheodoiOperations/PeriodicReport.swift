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
    /// The issued report this one replaces, named in its opening.
    public var replaces: Replaced?

    /// An issued report as a new one cites it: "Báo cáo số 125-BC/TU ngày 15/12/2025".
    public struct Replaced: Sendable, Hashable {
        public var number: String
        public var issuedOn: LocalDate

        public init(number: String, issuedOn: LocalDate) {
            self.number = number
            self.issuedOn = issuedOn
        }
    }

    public init(
        period: ReportingPeriod?, asOf: LocalDate, scope: Scope, number: String, documentDate: LocalDate,
        replaces: Replaced? = nil
    ) {
        self.period = period
        self.asOf = asOf
        self.scope = scope
        self.number = number
        self.documentDate = documentDate
        self.replaces = replaces
    }
}

/// Báo cáo định kỳ: the office's periodic report on a plan, composed from the statuses as of a date
/// and what agencies reported, as a formal document with its appendix (DESIGN §5, §6).
///
/// Only what the office accepted is a result; a returned or pending report is outstanding and
/// said so. Every sentence about a task names its source (`OfficialDocument.Source`).
public struct PeriodicReport: Sendable {
    public var document: OfficialDocument
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
    /// Room to write the number by hand: non-breaking spaces, which no page or file collapses.
    static let blankNumber = String(repeating: "\u{00A0}", count: 8)
    /// How many of the longest-overdue tasks section III names (the full list is in the appendix).
    static let longestOverdueNamed = 5
    /// How many difficulties or proposals sections III and IV quote; the appendix has them all.
    static let statementsNamed = 30
    /// Overdue by more than this many days: reported to leaders (the reminders' default).
    static let escalationDays = 30

    /// Composes the report. `statuses` are the snapshot's rows as of `request.asOf`, `before` as of
    /// the day before the period starts; `digests` every report sent by then (`ReportStore.digests`).
    public init(
        snapshot: PlanSnapshot, statuses: [AssignmentStatus], before: [AssignmentStatus], digests: [ReportDigest],
        settings: ReportSettings, request: PeriodicReportRequest
    ) {
        let plan = snapshot.plan
        let asOf = request.asOf
        let from = PeriodicReport.start(of: request, plan: plan)
        let inScope = PeriodicReport.scopeMask(snapshot: snapshot, scope: request.scope)
        // Statistics count top-level rows, or rows whose parent is outside the scope (an agency's sub-tasks).
        func isCounted(_ position: Int) -> Bool {
            guard inScope[position] else { return false }
            let parentIn = snapshot.assignments[position].parent.flatMap { snapshot.index[$0] }.map { inScope[$0] } ?? false
            return !parentIn
        }
        let summary = StatusSummary(snapshot.assignments.indices.filter(isCounted).map { statuses[$0] })
        self.summary = summary
        let history = History(digests: digests, from: from)

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
        var subject = ["kết quả thực hiện \(PeriodicReport.citation(plan, withIssuer: false))"]
        if let issuer = plan.issuer, !issuer.isEmpty { subject.append("của \(PeriodicReport.unbreakable(issuer))") }
        if let scopeLine { subject.append(scopeLine) }
        subject.append((request.period.map { $0.vietnameseName + " " } ?? "") + "(\(asOfText))")

        // MARK: I. Tình hình triển khai
        var body: [OfficialDocument.Block] = [.section("I. TÌNH HÌNH TRIỂN KHAI")]
        if let replaced = request.replaces {
            body.append(
                .paragraph([
                    .init(
                        "Báo cáo này thay thế Báo cáo \(replaced.number) ngày \(replaced.issuedOn.vietnameseShort).",
                        italic: true)
                ]))
        }
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
        // Danh mục điều chỉnh: the amendments in force by the report's date.
        let inForce = snapshot.amendments.filter { $0.takesEffect <= asOf }
        if !inForce.isEmpty {
            body.append(
                .paragraph([
                    .init(
                        "Danh mục nhiệm vụ được điều chỉnh theo "
                            + inForce.map { "\($0.citation) (\($0.counts))" }.joined(separator: "; ")
                            + "; số liệu dưới đây tính theo danh mục đã điều chỉnh.")
                ]))
        }
        body.append(.paragraph([.init("Kết quả \(asOfText): ", bold: true), .init(summary.sentence)]))
        let periodText =
            request.period.map { "Trong \($0.vietnameseName) (từ ngày \(from.vietnameseShort) đến ngày \(asOf.vietnameseShort))" }
            ?? "Từ ngày \(from.vietnameseShort) đến ngày \(asOf.vietnameseShort)"
        // Newly done: accepted by the report's date and not yet done the day before the period.
        let completedInPeriod = snapshot.assignments.indices.filter { position in
            inScope[position] && statuses[position].timeliness.isDone && !before[position].timeliness.isDone
                && snapshot.children[snapshot.assignments[position].code] == nil
        }
        let completedSet = Set(completedInPeriod)
        let sentInScope = history.sentInPeriod.filter { digest in
            snapshot.idIndex[digest.assignmentID].map { inScope[$0] } ?? false
        }
        let leadSent = sentInScope.filter { $0.kind == .report }
        let accepted = leadSent.filter { $0.decision == .accept }.count
        let returned = leadSent.filter { $0.decision == .return }.count
        let pending = leadSent.count - accepted - returned
        let contributed = sentInScope.count - leadSent.count
        var activity = "\(periodText), "
        if leadSent.isEmpty {
            activity += "chưa có đơn vị chủ trì nào gửi báo cáo"
        } else {
            activity +=
                "các cơ quan, đơn vị chủ trì gửi \(leadSent.count) báo cáo về \(Set(leadSent.map(\.assignmentID)).count) "
                + "nhiệm vụ (đã ghi nhận, xác nhận \(accepted); trả lại để bổ sung \(returned); đang chờ xem xét \(pending))"
        }
        activity +=
            contributed == 0 ? ", chưa có ý kiến của đơn vị phối hợp; " : ", các đơn vị phối hợp gửi \(contributed) ý kiến; "
        activity +=
            completedInPeriod.isEmpty
            ? "chưa có nhiệm vụ nào được xác nhận hoàn thành."
            : "có \(completedInPeriod.count) nhiệm vụ, nhiệm vụ con được xác nhận hoàn thành."
        body.append(.paragraph([.init(activity)]))

        // MARK: II. Kết quả thực hiện
        body.append(.section("II. KẾT QUẢ THỰC HIỆN"))
        let sections = PeriodicReport.sections(snapshot: snapshot, inScope: inScope)
        var partNumber = 0
        var partStart = 0
        while partStart < sections.count {
            let part = sections[partStart].part
            var partEnd = partStart
            while partEnd < sections.count, sections[partEnd].part == part { partEnd += 1 }
            let partSections = sections[partStart..<partEnd]
            partStart = partEnd
            partNumber += 1
            let partPositions = partSections.flatMap(\.positions)
            let first = partSections[partSections.startIndex]
            body.append(.subsection("\(partNumber). \(first.partTitle ?? first.groupTitle ?? "Nhiệm vụ")"))
            body.append(.paragraph([.init(StatusSummary(partPositions.filter(isCounted).map { statuses[$0] }).sentence)]))
            // What the office accepted in the period, group by group; groups with nothing new are left out.
            var groupLetter = 0
            var any = false
            for section in partSections {
                var bullets: [OfficialDocument.Block] = []
                for position in section.positions {
                    let assignment = snapshot.assignments[position]
                    if completedSet.contains(position) {
                        let status = statuses[position]
                        let report = history.acceptedLead(assignment.id)
                        var text = "\(PeriodicReport.name(assignment)): "
                        text += PeriodicReport.clause(report?.result, fallback: "đã hoàn thành")
                        text += "; hoàn thành ngày \(status.completedOn?.vietnameseShort ?? "")"
                        text += status.timeliness == .doneOnTime ? ", đúng hạn" : ", chậm so với thời hạn"
                        if let decided = report?.decidedOn { text += " (xác nhận hoàn thành ngày \(decided.vietnameseShort))" }
                        bullets.append(
                            .bullet([
                                .init(text + ".", source: report.map { .report($0.reportID.rawValue) } ?? .task(assignment.code))
                            ]))
                    } else if let report = history.acceptedLeadInPeriod(assignment.id) {
                        var text = "\(PeriodicReport.name(assignment)): đạt \(report.percent)% "
                        text += "(báo cáo ngày \(report.submittedOn.vietnameseShort)"
                        if let decided = report.decidedOn { text += ", được ghi nhận ngày \(decided.vietnameseShort)" }
                        text += ")"
                        let result = PeriodicReport.clause(report.result, fallback: "")
                        text += result.isEmpty ? "." : ". \(result)."
                        bullets.append(.bullet([.init(text, source: .report(report.reportID.rawValue))]))
                    }
                }
                guard !bullets.isEmpty else { continue }
                any = true
                if section.partTitle != nil, let groupTitle = section.groupTitle {
                    let letter = Character(UnicodeScalar(UInt8(97 + groupLetter % 26)))
                    groupLetter += 1
                    body.append(.paragraph([.init("\(letter)) \(groupTitle)", bold: true, italic: true)]))
                }
                body += bullets
            }
            if !any {
                body.append(.paragraph([.init("Trong kỳ chưa có kết quả mới được ghi nhận.", italic: true)]))
            }
        }

        // MARK: III. Tồn tại, hạn chế
        body.append(.section("III. TỒN TẠI, HẠN CHẾ"))
        body += PeriodicReport.overdueSummary(
            snapshot: snapshot, statuses: statuses, inScope: inScope, isCounted: isCounted, summary: summary, history: history,
            asOf: asOf, asOfText: asOfText)
        var returnedBullets: [OfficialDocument.Block] = []
        var pendingBullets: [OfficialDocument.Block] = []
        for (position, assignment) in snapshot.assignments.enumerated() where inScope[position] {
            guard let latest = history.latestLead(assignment.id), !completedSet.contains(position),
                !statuses[position].timeliness.isDone
            else { continue }
            switch latest.decision {
            case .return?:
                var text = "\(PeriodicReport.name(assignment)): đã báo cáo ngày \(latest.submittedOn.vietnameseShort)"
                text += latest.claimedStage == .done ? " (báo cáo hoàn thành)" : " (đạt \(latest.percent)%)"
                text += ", bị trả lại"
                if let decided = latest.decidedOn { text += " ngày \(decided.vietnameseShort)" }
                text += " để bổ sung"
                let reason = PeriodicReport.clause(latest.decisionReason, fallback: "")
                text += reason.isEmpty ? "; chưa gửi lại." : " (\(reason)); chưa gửi lại."
                returnedBullets.append(.bullet([.init(text, source: .report(latest.reportID.rawValue))]))
            case nil:
                var text = "\(PeriodicReport.name(assignment)): "
                if latest.claimedStage == .done {
                    text += "đơn vị báo cáo đã hoàn thành ngày \((latest.achievedOn ?? latest.submittedOn).vietnameseShort)"
                    text += " (báo cáo ngày \(latest.submittedOn.vietnameseShort)), đang chờ xác nhận."
                } else {
                    text += "báo cáo ngày \(latest.submittedOn.vietnameseShort), đạt \(latest.percent)%, đang chờ ghi nhận."
                }
                pendingBullets.append(.bullet([.init(text, source: .report(latest.reportID.rawValue))]))
            case .accept?: continue
            }
        }
        if !returnedBullets.isEmpty {
            body.append(.paragraph([.init("Báo cáo bị trả lại để bổ sung, đơn vị chưa gửi lại (\(returnedBullets.count)):")]))
            body += returnedBullets
        }
        if !pendingBullets.isEmpty {
            body.append(.paragraph([.init("Báo cáo đang chờ xem xét (\(pendingBullets.count)):")]))
            body += pendingBullets
        }
        let difficulties = PeriodicReport.statements(
            snapshot: snapshot, inScope: inScope, history: history, field: .difficulties)
        if difficulties.isEmpty {
            body.append(.paragraph([.init("Trong kỳ, các cơ quan, đơn vị chưa nêu khó khăn, vướng mắc.")]))
        } else {
            body.append(.paragraph([.init("Khó khăn, vướng mắc các cơ quan, đơn vị nêu trong kỳ:")]))
            body += PeriodicReport.capped(difficulties, column: "Khó khăn, vướng mắc")
        }

        // MARK: IV. Đề xuất, kiến nghị
        body.append(.section("IV. ĐỀ XUẤT, KIẾN NGHỊ"))
        let proposals = PeriodicReport.statements(
            snapshot: snapshot, inScope: inScope, history: history, field: .proposals)
        if proposals.isEmpty {
            body.append(.paragraph([.init("Trong kỳ, các cơ quan, đơn vị chưa có đề xuất, kiến nghị.")]))
        } else {
            body.append(.paragraph([.init("Các cơ quan, đơn vị đề xuất, kiến nghị:")]))
            body += PeriodicReport.capped(proposals, column: "Đề xuất, kiến nghị")
        }
        body.append(
            .paragraph([
                .init(
                    "Trên đây là báo cáo kết quả thực hiện \(decision)"
                        + (request.period.map { " trong \($0.vietnameseName)" } ?? "") + " (\(asOfText))./.")
            ]))

        // MARK: Phụ lục
        var rows: [OfficialDocument.Appendix.Row] = []
        var tableRows: [[ExportTable.Cell]] = []
        var groupRows: [Int] = []
        var appendixPart: String?
        for section in sections {
            if let partTitle = section.partTitle, section.part != appendixPart {
                appendixPart = section.part
                let title = "\(section.part ?? ""). \(partTitle)"
                rows.append(.group(title))
                groupRows.append(tableRows.count)
                tableRows.append([.empty, .text(title)])
            }
            if let groupTitle = section.groupTitle {
                let title = "\(section.group ?? ""). \(groupTitle)"
                rows.append(.group(title))
                groupRows.append(tableRows.count)
                tableRows.append([.empty, .text(title)])
            }
            for position in section.positions {
                let assignment = snapshot.assignments[position]
                let cells = PeriodicReport.appendixCells(
                    assignment, status: statuses[position], history: history, asOf: asOf)
                rows.append(.cells(cells, source: .task(assignment.code)))
                tableRows.append(
                    cells.enumerated().map { index, cell in
                        if cell.isEmpty { return .empty }
                        // STT as a number where it is one ("12"), as text where it is not ("12.1").
                        if index == 0, let value = Int(cell) { return .number(value) }
                        return .text(cell)
                    })
            }
        }
        let appendixTitle = "PHỤ LỤC"
        let appendixSubtitle =
            "Kết quả thực hiện các nhiệm vụ theo \(decision)" + (scopeLine.map { " (\($0))" } ?? "") + ", \(asOfText)"
        // "(Kèm theo Báo cáo số 125-BC/TU ngày 06/12/2026)": the appendix names the report it belongs to.
        var bareNumber = Substring(number)
        if bareNumber.hasPrefix("Số") { bareNumber = bareNumber.dropFirst(2) }
        if bareNumber.hasPrefix(":") { bareNumber = bareNumber.dropFirst() }
        let attached =
            "(Kèm theo Báo cáo số \(bareNumber.trimmingCharacters(in: CharacterSet(charactersIn: " "))) "
            + "ngày \(request.documentDate.vietnameseShort))"
        let cellRows = rows.compactMap { row -> [String]? in
            if case .cells(let cells, _) = row { return cells }
            return nil
        }
        let widths = OfficialDocument.Appendix.fittedWidths(columns: PeriodicReport.appendixColumns, rows: cellRows)
        document = OfficialDocument(
            format: settings.format, issuerLines: settings.issuerLines, number: number,
            placeAndDate: "\(settings.place), \(request.documentDate.vietnameseFormal)", kind: "BÁO CÁO", subject: subject,
            body: body, signatureAuthority: settings.signatureAuthority, signer: settings.signer,
            recipients: settings.recipients,
            appendix: OfficialDocument.Appendix(
                title: appendixTitle, subtitle: "\(appendixSubtitle)\n\(attached)", columns: PeriodicReport.appendixColumns,
                widths: widths, rows: rows))
        appendixTable = ExportTable(
            title: "Phụ lục", headers: PeriodicReport.appendixColumns, rows: tableRows,
            widths: widths.map { max(6, $0 * 180 / 1_000) },
            heading: [
                "\(appendixTitle): \(appendixSubtitle.prefix(1).uppercased())\(appendixSubtitle.dropFirst())",
                attached,
            ],
            emphasizedRows: groupRows)
    }

    /// Every sent report of the plan by the report's date, and what the period's sections read from it.
    struct History {
        let sentInPeriod: [ReportDigest]
        private let lead: [AssignmentRecord.ID: [ReportDigest]]
        private let periodByAssignment: [AssignmentRecord.ID: [ReportDigest]]
        private let from: LocalDate

        init(digests: [ReportDigest], from: LocalDate) {
            // The store sends them oldest first; sorted only when they are not.
            let ordered = zip(digests, digests.dropFirst()).allSatisfy { $0.reportID.rawValue < $1.reportID.rawValue }
            let all = ordered ? digests : digests.sorted { $0.reportID.rawValue < $1.reportID.rawValue }
            sentInPeriod = all.filter { $0.submittedOn >= from }
            lead = Dictionary(grouping: all.filter { $0.kind == .report }, by: \.assignmentID)
            periodByAssignment = Dictionary(grouping: sentInPeriod, by: \.assignmentID)
            self.from = from
            // Each text of the period read once, for section III/IV and the appendix alike.
            var clauses: [ReportRecord.ID: (difficulties: String, proposals: String)] = [:]
            clauses.reserveCapacity(sentInPeriod.count)
            for digest in sentInPeriod {
                clauses[digest.reportID] = (
                    PeriodicReport.clause(digest.difficulties, fallback: ""),
                    PeriodicReport.clause(digest.proposals, fallback: "")
                )
            }
            self.clauses = clauses
        }

        private let clauses: [ReportRecord.ID: (difficulties: String, proposals: String)]

        /// A report's difficulties or proposals as one clause ("" when it wrote none or said there were none).
        func clause(_ digest: ReportDigest, _ field: Field) -> String {
            let pair = clauses[digest.reportID] ?? ("", "")
            let text = field == .difficulties ? pair.difficulties : pair.proposals
            return PeriodicReport.isNothing(text) ? "" : text
        }

        enum Field { case difficulties, proposals }

        /// The lead agency's latest sent report.
        func latestLead(_ id: AssignmentRecord.ID) -> ReportDigest? { lead[id]?.last }
        /// The lead agency's latest report the office accepted, whenever it was sent.
        func acceptedLead(_ id: AssignmentRecord.ID) -> ReportDigest? { lead[id]?.last { $0.decision == .accept } }
        /// The lead agency's latest report sent in the period that the office accepted.
        func acceptedLeadInPeriod(_ id: AssignmentRecord.ID) -> ReportDigest? {
            lead[id]?.last { $0.decision == .accept && $0.submittedOn >= from }
        }
        /// Everything sent about one task in the period: the lead's reports and the contributions.
        func sentInPeriod(_ id: AssignmentRecord.ID) -> [ReportDigest] { periodByAssignment[id] ?? [] }
    }

    /// Section III's account of overdue tasks, as offices write it: the count, by part and by lead
    /// agency, the longest-overdue named, and the full list left to the appendix.
    static func overdueSummary(
        snapshot: PlanSnapshot, statuses: [AssignmentStatus], inScope: [Bool], isCounted: (Int) -> Bool,
        summary: StatusSummary, history: History, asOf: LocalDate, asOfText: String
    ) -> [OfficialDocument.Block] {
        let overdue = snapshot.assignments.indices.filter {
            inScope[$0] && statuses[$0].timeliness == .openOverdue && snapshot.children[snapshot.assignments[$0].code] == nil
        }
        guard !overdue.isEmpty else {
            return [.paragraph([.init("Không có nhiệm vụ chưa hoàn thành đã quá hạn \(asOfText).")])]
        }
        func days(_ position: Int) -> Int { statuses[position].effectiveDue.map { asOf.daysSinceEpoch - $0.daysSinceEpoch } ?? 0 }
        let countedOverdue = snapshot.assignments.indices.filter { isCounted($0) && statuses[$0].timeliness == .openOverdue }
        var text = "Còn \(summary.count(.openOverdue)) nhiệm vụ chưa hoàn thành đã quá hạn \(asOfText)"
        if overdue.count != summary.count(.openOverdue) { text += " (gồm \(overdue.count) nhiệm vụ, nhiệm vụ con)" }
        let byPart = Dictionary(grouping: countedOverdue) { snapshot.assignments[$0].part ?? "" }
        let partCodes = snapshot.parts.map(\.code).filter { byPart[$0] != nil }
        if partCodes.count > 1 {
            text += ": " + partCodes.map { "phần \($0) có \(byPart[$0]?.count ?? 0)" }.joined(separator: ", ")
        }
        text += "."
        // Counted as the statistics count (top-level rows), so the part is never larger than the whole.
        let escalated = countedOverdue.filter { days($0) > escalationDays }.count
        if escalated > 0 {
            text +=
                escalated == countedOverdue.count
                ? " Tất cả đều đã quá hạn trên \(escalationDays) ngày."
                : " Trong đó \(escalated) nhiệm vụ quá hạn trên \(escalationDays) ngày."
        }
        var blocks: [OfficialDocument.Block] = [.paragraph([.init(text)])]
        var byAgency: [String: Int] = [:]
        for position in countedOverdue {
            for lead in snapshot.assignments[position].lead { byAgency[lead.name, default: 0] += 1 }
        }
        if byAgency.count > 1 {
            let ranked = byAgency.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            blocks.append(
                .paragraph([
                    .init("Theo đơn vị chủ trì: ", italic: true),
                    .init(ranked.map { "\($0.key) \($0.value)" }.joined(separator: "; ") + "."),
                ]))
        }
        let longest = overdue.sorted { (days($0), $1) > (days($1), $0) }.prefix(longestOverdueNamed)
        blocks.append(.paragraph([.init("Các nhiệm vụ quá hạn lâu nhất:")]))
        for position in longest {
            let assignment = snapshot.assignments[position]
            let status = statuses[position]
            var line = "\(name(assignment)), hạn \(status.effectiveDue?.vietnameseShort ?? assignment.deadline.text)"
            if let original = status.originalDue, original != status.effectiveDue {
                line += " (hạn ban đầu \(original.vietnameseShort))"
            }
            line += ", quá hạn \(days(position)) ngày"
            if let report = history.latestLead(assignment.id) {
                line += "; báo cáo gần nhất ngày \(report.submittedOn.vietnameseShort)"
                switch report.decision {
                case .return?: line += ", bị trả lại để bổ sung."
                case nil: line += ", đang chờ xem xét."
                case .accept?: line += ", đạt \(report.percent)%."
                }
                blocks.append(.bullet([.init(line, source: .report(report.reportID.rawValue))]))
            } else {
                blocks.append(.bullet([.init(line + "; chưa có báo cáo.", source: .task(assignment.code))]))
            }
        }
        blocks.append(.paragraph([.init("Danh sách đầy đủ các nhiệm vụ quá hạn tại Phụ lục kèm theo.", italic: true)]))
        return blocks
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

    /// What agencies wrote in one field during the period: every report and contribution sent in
    /// it, each with its agency and date, in document order; the same text about the same task once.
    static func statements(
        snapshot: PlanSnapshot, inScope: [Bool], history: History, field: History.Field
    ) -> [OfficialDocument.Run] {
        var runs: [OfficialDocument.Run] = []
        for (position, assignment) in snapshot.assignments.enumerated() where inScope[position] {
            var seen: Set<String> = []
            for digest in history.sentInPeriod(assignment.id) {
                let value = history.clause(digest, field)
                guard !value.isEmpty, seen.insert(value.lowercased()).inserted else { continue }
                runs.append(
                    .init(
                        "\(digest.agencyName) (nhiệm vụ \(assignment.code), \(digest.kind == .report ? "báo cáo" : "ý kiến phối hợp") "
                            + "ngày \(digest.submittedOn.vietnameseShort)): \(value).",
                        source: .report(digest.reportID.rawValue)))
            }
        }
        return runs
    }

    static func appendixCells(
        _ assignment: AssignmentRecord, status: AssignmentStatus, history: History, asOf: LocalDate
    ) -> [String] {
        var due = assignment.deadline.text
        // The amendment behind the row as it reads on the report's date.
        if let trail = assignment.trail {
            if let added = trail.added, added.takesEffect <= asOf {
                due += "\n(bổ sung theo Quyết định số \(added.amendment))"
            } else if let change = trail.changes.last(where: { $0.takesEffect <= asOf }) {
                due += "\n(điều chỉnh theo Quyết định số \(change.amendment))"
            }
        }
        if let effective = status.effectiveDue, effective != status.originalDue {
            due += "\n(gia hạn đến \(effective.vietnameseShort))"
        }
        var result = ""
        if let lead = history.latestLead(assignment.id) {
            result = "Báo cáo ngày \(lead.submittedOn.vietnameseShort): "
            result += lead.claimedStage == .done ? "hoàn thành" : "đạt \(lead.percent)%"
            let text = VietnameseText.collapsingWhitespace(lead.result)
            if !text.isEmpty { result += ". " + text }
            switch lead.decision {
            case .return?: result += " (bị trả lại để bổ sung)"
            case nil: result += " (đang chờ xem xét)"
            case .accept?: break
            }
        }
        if let completed = status.completedOn, status.timeliness.isDone {
            result += (result.isEmpty ? "" : "\n") + "Đã xác nhận hoàn thành ngày \(completed.vietnameseShort)."
        }
        var state = status.timeliness.vietnamese
        if status.stage == .awaitingReview || status.stage == .returned || status.stage == .notStarted {
            state += " (\(status.stage.vietnamese.lowercased()))"
        }
        if status.timeliness == .recurring, let reported = status.reportedThisPeriod {
            let note = reported ? "đã báo cáo kỳ này" : "chưa báo cáo kỳ này"
            state = state.hasSuffix(")") ? String(state.dropLast()) + "; \(note))" : state + " (\(note))"
        }
        func joined(_ field: History.Field) -> String {
            var parts: [String] = []
            var seen: Set<String> = []
            for digest in history.sentInPeriod(assignment.id) {
                let text = history.clause(digest, field)
                guard !text.isEmpty, seen.insert(text.lowercased()).inserted else { continue }
                parts.append(digest.kind == .report ? text : "\(digest.agencyName): \(text)")
            }
            return parts.joined(separator: "\n")
        }
        return [
            assignment.number, assignment.title, assignment.lead.map(\.name).joined(separator: ", "),
            assignment.coordinatorsText.isEmpty
                ? assignment.coordinators.map(\.name).joined(separator: ", ") : assignment.coordinatorsText,
            due, assignment.output, result, state, joined(.difficulties), joined(.proposals),
        ]
    }

    /// At most `statementsNamed` statements in the body, in document order; the rest are counted and
    /// left to the appendix's column, which has every one.
    static func capped(_ runs: [OfficialDocument.Run], column: String) -> [OfficialDocument.Block] {
        var blocks: [OfficialDocument.Block] = runs.prefix(statementsNamed).map { .bullet([$0]) }
        if runs.count > statementsNamed {
            blocks.append(
                .paragraph([
                    .init(
                        "Và \(runs.count - statementsNamed) ý kiến khác, đầy đủ tại Phụ lục (cột “\(column)”).", italic: true)
                ]))
        }
        return blocks
    }

    /// "Không có.", "Chưa có": an answer that says there is nothing to say, which the report leaves out.
    static func isNothing(_ text: String) -> Bool {
        guard text.utf8.count < 64 else { return false }
        let words = VietnameseText.folded(text).split { !$0.isLetter }.joined(separator: " ")
        let empty = [
            "khong", "khong co", "chua co", "khong co gi", "khong co kho khan", "khong co vuong mac",
            "khong co kho khan vuong mac",
            "khong co de xuat", "khong co kien nghi", "khong co de xuat kien nghi", "khong co y kien",
        ]
        return empty.contains(words)
    }

    /// A name that must not break across lines ("Ban Thường vụ Tỉnh ủy"): its spaces made non-breaking.
    static func unbreakable(_ text: String) -> String { text.replacingOccurrences(of: " ", with: "\u{00A0}") }

    /// "Quyết định số 343-QĐ/TU ngày 03/9/2025 của Ban Thường vụ Tỉnh ủy".
    static func citation(_ plan: PlanRecord, withIssuer: Bool = true) -> String {
        let folded = VietnameseText.folded(plan.number)
        let kind =
            folded.contains("-qd") || folded.contains("qd-")
            ? "Quyết định" : folded.contains("kh") ? "Kế hoạch" : folded.contains("ct") ? "Chương trình" : "văn bản"
        var text = "\(kind) số \(plan.number)"
        if let date = plan.date { text += " ngày \(date.vietnameseShort)" }
        if withIssuer, let issuer = plan.issuer, !issuer.isEmpty { text += " của \(issuer)" }
        return text
    }
}
