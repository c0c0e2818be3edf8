import Foundation
import Hummingbird
import TheodoiCore
import TheodoiForms
import TheodoiOperations
import TheodoiStore

/// The API of the working loop (DESIGN §8): the same use cases and rules as the pages, JSON in and out.
struct ProgressAPIController: Sendable {
    let dependencies: WebDependencies
    var reporting: Reporting { dependencies.reporting }

    /// `POST …/assignments/{code}/reports` (or `/contributions`) → 201 with the report.
    func createReport(_ request: Request, _ context: AppRequestContext, kind: ReportKind) async throws -> Response {
        let identity = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let code = try context.parameters.require("code")
        let body = try await JSONBody.read(request)
        let report = try await reporting.saveReport(
            try body.reportForm(), kind: kind, slug: slug, code: code, reportID: nil, version: nil,
            submit: try body.bool("submit") ?? false, identity: identity, actor: context.auditActor)
        return Responses.json(ReportDTO.json(report, code: code), status: .created)
    }

    /// `GET /api/v1/reports/{id}`.
    func report(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let (workspace, report) = try await reporting.workspace(report: try reportID(context), identity: identity)
        return Responses.json(ReportDTO.json(report, code: workspace.assignment.code))
    }

    /// `PUT /api/v1/reports/{id}`: edits a draft; `version` must be the one read (a stale one → 409).
    func updateReport(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let body = try await JSONBody.read(request)
        guard let version = try body.version() else {
            throw WebError(
                status: .unprocessableContent, message: "Thiếu phiên bản của bản nháp.",
                apiMessage: "version is required: send the version you read, so a concurrent edit is not overwritten")
        }
        let report = try await reporting.updateReport(
            try reportID(context), form: try body.reportForm(), version: version, submit: try body.bool("submit") ?? false,
            identity: identity, actor: context.auditActor)
        return Responses.json(ReportDTO.json(report, code: nil))
    }

    /// `POST /api/v1/reports/{id}/submit` (optional body `{"version": n}`).
    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let body = try await JSONBody.read(request, allowEmpty: true)
        let report = try await reporting.updateReport(
            try reportID(context), form: nil, version: try body.version(), submit: true, identity: identity,
            actor: context.auditActor)
        return Responses.json(ReportDTO.json(report, code: nil))
    }

    /// `POST /api/v1/reports/{id}/review` `{decision: "accept"|"return", reason, completedOn}`.
    func review(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let body = try await JSONBody.read(request)
        guard let decision = try body.string("decision").flatMap(ReviewDecision.init(rawValue:)) else {
            throw WebError(
                status: .unprocessableContent, message: "Hãy chọn xác nhận hoặc trả lại.",
                apiMessage: "decision must be \"accept\" or \"return\"")
        }
        let review = try await reporting.review(
            try reportID(context), decision: decision, reason: try body.string("reason") ?? "",
            completedOn: try body.string("completedOn") ?? "", identity: identity, actor: context.auditActor)
        return Responses.json(ReviewDTO.json(review))
    }

    /// `POST /api/v1/reports/{id}/attachments` (multipart, one or more `file` parts) → the report.
    func attach(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        guard let boundary = CSRFMiddleware.multipartBoundary(request) else {
            throw WebError(
                status: .unsupportedMediaType, message: "Cần gửi tệp dạng multipart/form-data.",
                apiMessage: "send the files as multipart/form-data")
        }
        guard MultipartParser.isValidBoundary(boundary) else { throw CSRFMiddleware.malformedMultipart }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: BodyPolicy.maximumUploadBytes)
        } catch {
            throw BodyPolicy.tooLarge(.upload(maximumBytes: BodyPolicy.maximumUploadBytes))
        }
        let form: FormData
        do {
            form = try FormData(multipart: Array(body.readableBytesView), boundary: boundary)
        } catch {
            throw CSRFMiddleware.malformedMultipart
        }
        guard !form.files.isEmpty else {
            throw WebError(status: .unprocessableContent, message: "Chưa có tệp nào.", apiMessage: "no file part in the body")
        }
        let report = try await reporting.updateReport(
            try reportID(context), form: nil, version: form.text("version").flatMap(RequestNumber.version), submit: false,
            files: form.files.map(\.file), identity: identity, actor: context.auditActor)
        return Responses.json(ReportDTO.json(report, code: nil), status: .created)
    }

    /// `GET /api/v1/attachments/{id}`: the bytes.
    func attachment(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let raw = try context.parameters.require("attachment")
        guard let number = RequestNumber.id(raw) else { throw WebError.notFound("Không có tệp.", api: "no attachment \(raw)") }
        let file = try await reporting.attachment(AttachmentInfo.ID(number), identity: identity)
        return ProgressController.download(file.info, bytes: file.bytes)
    }

    /// `POST …/assignments/{code}/extensions` `{newDue, reason}` → 201.
    func requestExtension(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let body = try await JSONBody.read(request)
        let record = try await reporting.requestExtension(
            slug: try context.parameters.require("plan"), code: try context.parameters.require("code"),
            newDue: try body.string("newDue") ?? "", reason: try body.string("reason") ?? "", identity: identity,
            actor: context.auditActor)
        return Responses.json(ExtensionDTO.json(record), status: .created)
    }

    /// `POST /api/v1/extensions/{id}/decision` `{approve, reason}`.
    func decideExtension(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let raw = try context.parameters.require("extension")
        guard let number = RequestNumber.id(raw) else {
            throw WebError.notFound("Không có đề nghị.", api: "no extension request \(raw)")
        }
        let body = try await JSONBody.read(request)
        guard let approve = try body.bool("approve") else {
            throw WebError(
                status: .unprocessableContent, message: "Hãy chọn đồng ý hoặc không.", apiMessage: "approve must be true or false"
            )
        }
        let record = try await reporting.decideExtension(
            ExtensionRecord.ID(number), approve: approve, reason: try body.string("reason") ?? "", identity: identity,
            actor: context.auditActor)
        return Responses.json(ExtensionDTO.json(record))
    }

    /// `POST /api/v1/reports/{id}/withdraw` `{reason}`: the agency withdraws a report not yet acted on.
    func withdraw(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let id = try reportID(context)
        let body = try await JSONBody.read(request, allowEmpty: true)
        let report = try await reporting.withdraw(
            id, reason: try body.string("reason") ?? "", identity: identity, actor: context.auditActor)
        let code = try await reporting.workspace(report: id, identity: identity).0.assignment.code
        return Responses.json(ReportDTO.json(report, code: code))
    }

    /// `POST /api/v1/reviews/{id}/reverse` `{reason}`: the office reverses its standing decision.
    func reverseReview(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let raw = try context.parameters.require("review")
        guard let number = RequestNumber.id(raw) else { throw WebError.notFound("Không có quyết định.", api: "no review \(raw)") }
        let body = try await JSONBody.read(request, allowEmpty: true)
        let (review, _) = try await reporting.reverseReview(
            ReviewRecord.ID(number), reason: try body.string("reason") ?? "", identity: identity, actor: context.auditActor)
        return Responses.json(ReviewDTO.json(review))
    }

    /// `POST /api/v1/extensions/{id}/reverse` `{reason}`: the office reverses its latest extension decision.
    func reverseExtension(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let raw = try context.parameters.require("extension")
        guard let number = RequestNumber.id(raw) else {
            throw WebError.notFound("Không có đề nghị.", api: "no extension request \(raw)")
        }
        let body = try await JSONBody.read(request, allowEmpty: true)
        let record = try await reporting.reverseExtension(
            ExtensionRecord.ID(number), reason: try body.string("reason") ?? "", identity: identity,
            actor: context.auditActor)
        return Responses.json(ExtensionDTO.json(record))
    }

    /// `PUT …/assignments/{code}/due` `{newDue, reason}`: the office sets an external deadline's date.
    func setDue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let body = try await JSONBody.read(request)
        let record = try await reporting.setDue(
            slug: try context.parameters.require("plan"), code: try context.parameters.require("code"),
            newDue: try body.string("newDue") ?? "", basis: try body.string("reason") ?? "", identity: identity,
            actor: context.auditActor)
        return Responses.json(ExtensionDTO.json(record))
    }

    /// `GET …/assignments/{code}/history`: reports, contributions, reviews and extensions, in order.
    func history(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let code = try context.parameters.require("code")
        guard let workspace = try await reporting.workspace(slug: slug, code: code, identity: identity) else {
            throw WebError.notFound("Không có nhiệm vụ “\(code)”.", api: "no assignment \(code) in plan \(slug)")
        }
        let log = workspace.visibleLog(to: identity)
        var items: [(at: String, order: Int, value: JSONValue)] = []
        for report in log.reports {
            items.append((report.submittedAt ?? report.updatedAt, 0, ReportDTO.json(report, code: code, type: true)))
        }
        for review in log.reviews { items.append((review.decidedAt, 1, ReviewDTO.json(review, type: true))) }
        for request in log.extensions {
            items.append((request.requestedAt, 2, ExtensionDTO.json(request, type: true)))
        }
        let status = workspace.status
        return Responses.json(
            .object([
                ("plan", .string(slug)), ("code", .string(code)),
                (
                    "status",
                    .object([
                        ("timeliness", .string(status.timeliness.rawValue)), ("stage", .string(status.stage.rawValue)),
                        ("effectiveDue", .string(status.effectiveDue?.iso)), ("originalDue", .string(status.originalDue?.iso)),
                        ("completedOn", .string(status.completedOn?.iso)), ("percent", .int(status.percent)),
                    ])
                ),
                ("items", .array(items.sorted { ($0.at, $0.order) < ($1.at, $1.order) }.map(\.value))),
            ]))
    }

    private func reportID(_ context: AppRequestContext) throws -> ReportRecord.ID {
        let raw = try context.parameters.require("report")
        guard let number = RequestNumber.id(raw) else { throw WebError.notFound("Không có báo cáo.", api: "no report \(raw)") }
        return ReportRecord.ID(number)
    }
}

/// A JSON value as received: keeps `true` apart from `1`, so types can be checked precisely.
enum ReceivedJSON: Decodable {
    case null, bool(Bool), number(Double), string(String), array([ReceivedJSON]), object([String: ReceivedJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ReceivedJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ReceivedJSON].self))
        }
    }
}

/// A JSON object body, with typed field access that names the field when its type is wrong.
struct JSONBody {
    var object: [String: ReceivedJSON]

    static func read(_ request: Request, allowEmpty: Bool = false) async throws -> JSONBody {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: 1 << 20)
        } catch {
            throw WebError(status: .contentTooLarge, message: "Dữ liệu quá lớn.", apiMessage: "JSON body larger than 1 MB")
        }
        if allowEmpty && buffer.readableBytes == 0 { return JSONBody(object: [:]) }
        guard case .object(let object)? = try? JSONDecoder().decode(ReceivedJSON.self, from: Data(buffer.readableBytesView))
        else { throw WebError.badRequest("Dữ liệu không phải JSON hợp lệ.", api: "body must be a JSON object") }
        return JSONBody(object: object)
    }

    private func wrongType(_ key: String, _ expected: String) -> WebError {
        WebError(status: .unprocessableContent, message: "Trường “\(key)” sai kiểu.", apiMessage: "\(key) must be \(expected)")
    }

    func string(_ key: String) throws -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw wrongType(key, "a string")
        }
    }

    func bool(_ key: String) throws -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw wrongType(key, "true or false")
        }
    }

    func int(_ key: String) throws -> Int? {
        switch object[key] {
        case nil, .null?: return nil
        case .number(let value)? where value == value.rounded() && abs(value) < 1e12: return Int(value)
        default: throw wrongType(key, "an integer")
        }
    }

    /// `version`: the draft's version as read, 0 to `Int32.max`.
    func version() throws -> Int? {
        switch object["version"] {
        case nil, .null?: return nil
        case .number(let value)? where value == value.rounded() && value >= 0 && value <= Double(Int32.max):
            return Int(value)
        default:
            throw WebError(
                status: .unprocessableContent, message: "Phiên bản không hợp lệ.",
                apiMessage: "version must be an integer from 0 to \(Int32.max)")
        }
    }

    /// The report fields of DESIGN §8: stage, percent, result, achievedOn, evidence, difficulties, proposals.
    func reportForm() throws -> ReportForm {
        var evidence: [ReportForm.EvidenceRow] = []
        switch object["evidence"] {
        case nil, .null?: break
        case .array(let rows)?:
            for (index, row) in rows.enumerated() {
                guard case .object(let fields) = row else {
                    throw wrongType("evidence[\(index)]", "an object {number, date, summary}")
                }
                let item = JSONBody(object: fields)
                evidence.append(
                    ReportForm.EvidenceRow(
                        number: try item.string("number") ?? "", date: try item.string("date") ?? "",
                        summary: try item.string("summary") ?? ""))
            }
        default: throw wrongType("evidence", "an array of {number, date, summary}")
        }
        return ReportForm(
            stage: try string("stage") ?? "in-progress", percent: try int("percent").map(String.init) ?? "",
            result: try string("result") ?? "", achievedOn: try string("achievedOn") ?? "", evidence: evidence,
            difficulties: try string("difficulties") ?? "", proposals: try string("proposals") ?? "")
    }
}

/// Reports on the wire.
enum ReportDTO {
    static func json(_ report: ReportRecord, code: String?, type: Bool = false) -> JSONValue {
        let content = report.content
        var fields: [(String, JSONValue)] = []
        if type { fields.append(("type", .string(report.kind == .report ? "report" : "contribution"))) }
        fields += [
            ("id", .int(report.id.rawValue)), ("kind", .string(report.kind.rawValue)), ("state", .string(report.state.rawValue)),
            ("version", .int(report.version)), ("agency", .string(report.agencyName)), ("author", .string(report.authorName)),
            ("stage", .string(content.claimedStage.rawValue)), ("percent", .int(content.percent)),
            ("result", .string(content.result)), ("achievedOn", .string(content.achievedOn?.iso)),
            (
                "evidence",
                .array(
                    content.evidence.map {
                        .object([
                            ("number", .string($0.number)), ("date", .string($0.date?.iso)), ("summary", .string($0.summary)),
                        ])
                    })
            ),
            ("difficulties", .string(content.difficulties)), ("proposals", .string(content.proposals)),
            ("submittedAt", .string(report.submittedAt)), ("submittedOn", .string(report.submittedOn?.iso)),
            ("updatedAt", .string(report.updatedAt)), ("updatedBy", .string(report.updatedByName)),
            (
                "attachments",
                .array(
                    report.attachments.map {
                        .object([
                            ("id", .int($0.id.rawValue)), ("name", .string($0.fileName)),
                            ("contentType", .string($0.contentType)),
                            ("size", .int($0.size)), ("sha256", .string($0.sha256)),
                            ("href", .string(SiteRoute.apiAttachment(id: $0.id).href)),
                        ])
                    })
            ),
            ("withdrawal", ReversalDTO.json(report.withdrawal)),
        ]
        if let code { fields.insert(("assignment", .string(code)), at: type ? 2 : 1) }
        return .object(fields)
    }
}

/// Reviews on the wire.
enum ReviewDTO {
    static func json(_ review: ReviewRecord, type: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = type ? [("type", .string("review"))] : []
        fields += [
            ("id", .int(review.id.rawValue)), ("report", .int(review.reportID.rawValue)),
            ("decision", .string(review.decision.rawValue)), ("reason", .string(review.reason)),
            ("completedOn", .string(review.completedOn?.iso)), ("reviewer", .string(review.reviewerName)),
            ("decidedAt", .string(review.decidedAt)), ("decidedOn", .string(review.decidedOn.iso)),
            ("reversal", ReversalDTO.json(review.reversal)),
        ]
        return .object(fields)
    }
}

/// Extension requests and set due dates on the wire.
enum ExtensionDTO {
    static func json(_ request: ExtensionRecord, type: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = type ? [("type", .string(request.kind == .setDue ? "due-set" : "extension"))] : []
        fields += [
            ("id", .int(request.id.rawValue)), ("kind", .string(request.kind.rawValue)),
            ("state", .string(request.state.rawValue)),
            ("previousDue", .string(request.previousDue?.iso)), ("newDue", .string(request.newDue.iso)),
            ("reason", .string(request.reason)), ("requester", .string(request.requesterName)),
            ("requestedAt", .string(request.requestedAt)), ("requestedOn", .string(request.requestedOn.iso)),
            ("decider", .string(request.deciderName)), ("decisionReason", .string(request.decisionReason)),
            ("decidedAt", .string(request.decidedAt)), ("decidedOn", .string(request.decidedOn?.iso)),
            ("reversal", ReversalDTO.json(request.reversal)), ("reopens", request.reopensID.map { .int($0.rawValue) } ?? .null),
        ]
        return .object(fields)
    }
}

/// Withdrawals and reversals on the wire.
enum ReversalDTO {
    static func json(_ reversal: Reversal?) -> JSONValue {
        guard let reversal else { return .null }
        return .object([
            ("reason", .string(reversal.reason)), ("by", .string(reversal.byName)), ("at", .string(reversal.at)),
            ("on", .string(reversal.on.iso)),
        ])
    }
}
