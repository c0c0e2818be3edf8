import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TheodoiCore
import TheodoiExport
import TheodoiOperations
import TheodoiStore

@testable import TheodoiWeb

/// Issue 14's reproductions, each answered with a 4xx while the server stays up, and the controls
/// that could be bent, each held.
@Suite("No request can take the server down")
struct HardeningTests {
    /// The server still answers after whatever came before.
    static func alive(_ client: any TestClientProtocol) async throws -> Bool {
        try await HTTP.get(client, "/healthz").status == .ok
    }

    static func raw(
        _ client: any TestClientProtocol, _ uri: String, contentType: String, body: [UInt8], headers: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, body: String) {
        var all: HTTPFields = [.contentType: contentType]
        for field in headers { all.append(field) }
        return try await client.execute(uri: uri, method: .post, headers: all, body: ByteBuffer(bytes: body)) {
            ($0.status, String(buffer: $0.body))
        }
    }

    /// Defect 1: a part header name with a byte ≥ 0x80.
    static let brokenHeader =
        Array("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n".utf8) + [0xC3, 0xA9]
        + Array(": 1\r\n\r\nv\r\n--x--\r\n".utf8)

    @Test("a multipart part header with a non-ASCII name: 415 on sign-in, 400 where files go, and the server stays up")
    func multipartHeaderName() async throws {
        try await World.run { world, client in
            let signIn = try await Self.raw(
                client, "/sign-in", contentType: "multipart/form-data; boundary=x", body: Self.brokenHeader)
            #expect(signIn.status == .unsupportedMediaType)
            #expect(try await Self.alive(client))

            let officer = try #require(world.session(.officer))
            let withToken =
                Array("--x\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(officer.csrf)\r\n".utf8)
                + Self.brokenHeader
            let page = try await Self.raw(
                world.client(client, as: .officer), "/plans/343-qd-tu/assignments/A.1/report",
                contentType: "multipart/form-data; boundary=x", body: withToken)
            #expect(page.status == .badRequest)
            #expect(page.body.contains("bị hỏng"))

            let (_, token) = try await world.accounts.createAPIToken(for: officer.user, label: "t", by: .commandLine)
            let api = try await Self.raw(
                client, "/api/v1/reports/1/attachments", contentType: "multipart/form-data; boundary=x", body: Self.brokenHeader,
                headers: [.authorization: "Bearer \(token)"])
            #expect(api.status == .badRequest)
            #expect(api.body == #"{"error":{"message":"malformed multipart body"}}"#)
            #expect(try await Self.alive(client))
        }
    }

    @Test(
        "a page number past any list is a 400 everywhere a list pages",
        arguments: [
            "/plans/343-qd-tu?page=9223372036854775807", "/api/v1/plans/343-qd-tu/assignments?page=9223372036854775807",
            "/api/v1/plans/343-qd-tu/assignments?page=92233720368547759&perPage=1000",
            "/plans/343-qd-tu/lists/overdue?page=9223372036854775807", "/notifications?page=9223372036854775807",
            "/audit?page=9223372036854775807", "/audit?page=-1", "/notifications?page=abc",
        ])
    func hugePage(uri: String) async throws {
        try await World.run { world, client in
            let response = try await HTTP.get(world.client(client, as: .admin), uri)
            #expect(response.status == .badRequest)
            #expect(response.body.contains("1000000") || response.body.contains("1 đến"))
            #expect(try await Self.alive(client))
        }
    }

    @Test(
        "what the API description allows it takes, and what it does not it refuses (schemathesis's finds)",
        arguments: [
            ("/api/v1/plans/343-qd-tu/assignments?agency=&page=&perPage=", 200),
            ("/api/v1/plans/343-qd-tu/assignments?q=" + String(repeating: "e%CC%81", count: 100) + "e", 400),
            ("/api/v1/plans/343-qd-tu/assignments?month=2025--1", 400),
            ("/api/v1/plans/343-qd-tu/assignments?month=0000-05", 400),
            ("/api/v1/plans/343-qd-tu/assignments/A.1?asOf=%2B202-01-01", 400),
        ])
    func apiContract(uri: String, status: Int) async throws {
        try await World.run { world, client in
            let response = try await HTTP.get(world.client(client, as: .admin), uri)
            #expect(response.status.code == status, "\(uri): \(response.body.prefix(200))")
        }
    }

    @Test("the changes of the first days of the calendar start at 01/01/0001, a date the API takes back")
    func earliestPeriod() async throws {
        try await World.run { world, client in
            let response = try await HTTP.get(world.client(client, as: .admin), "/api/v1/plans/343-qd-tu/changes?to=0001-01-01")
            #expect(response.status == .ok)
            #expect(response.body.contains(#""from":"0001-01-01""#))
        }
    }

    @Test("the last page that exists still pages; a page past the end is empty, not an error")
    func pastTheEnd() async throws {
        try await World.run { world, client in
            let response = try await HTTP.get(
                world.client(client, as: .admin), "/api/v1/plans/343-qd-tu/assignments?page=1000000")
            #expect(response.status == .ok)
            #expect(response.body.contains(#""items":[]"#))
        }
    }

    @Test("an upload is refused before its body is read: anonymous, or over the route's limit, or without the token first")
    func uploadsBeforeReading() async throws {
        try await World.run { world, client in
            // Over the route's limit (a catalogue: 16 MB), with the right token: 413, nothing stored.
            let monitor = try #require(world.session(.monitor))
            let plans = try await world.catalogue.plans().count
            let huge = try await HTTP.multipart(
                world.client(client, as: .monitor), "/catalogues/import", [("_csrf", monitor.csrf)],
                files: [("file", "lon.csv", [UInt8](repeating: 0x41, count: 17 << 20))])
            #expect(huge.status == .contentTooLarge)
            #expect(try await world.catalogue.plans().count == plans)
            // Anonymous: refused before the body is read.
            let anonymous = try await Self.raw(
                client, "/plans/343-qd-tu/assignments/A.1/report", contentType: "multipart/form-data; boundary=x",
                body: Array("--x\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nx\r\n--x--\r\n".utf8))
            #expect(anonymous.status == .forbidden)
            // Signed in, but the first part is not the session's token: refused after the first part.
            let officer = world.client(client, as: .officer)
            let forged = try await HTTP.multipart(
                officer, "/plans/343-qd-tu/assignments/A.1/report", [("_csrf", "gia-mao"), ("do", "save")],
                files: [("files", "a.pdf", ProgressFlowTests.pdf)])
            #expect(forged.status == .forbidden)
            // Files where no form takes them: 415.
            let admin = try #require(world.session(.admin))
            let users = try await HTTP.multipart(world.client(client, as: .admin), "/admin/users", [("_csrf", admin.csrf)])
            #expect(users.status == .unsupportedMediaType)
            // A visitor's url-encoded form is small: 16 KB.
            let big = try await HTTP.post(client, "/sign-in", [("_csrf", "x"), ("email", String(repeating: "a", count: 20_000))])
            #expect(big.status == .contentTooLarge)
            #expect(try await Self.alive(client))
        }
    }

    @Test("a crafted workbook is refused with a reason through the web import, and the server stays up")
    func craftedWorkbook() async throws {
        try await World.run { world, client in
            let monitor = try #require(world.session(.monitor))
            let workbook =
                Array(#"<?xml version="1.0"?><workbook><sheets><"#.utf8) + [0xFF, 0xFE] + Array("/></sheets></workbook>".utf8)
            let bytes = StoredZip.bytes([
                ("[Content_Types].xml", Array("<Types/>".utf8)), ("xl/workbook.xml", workbook),
            ])
            let response = try await HTTP.multipart(
                world.client(client, as: .monitor), "/catalogues/import", [("_csrf", monitor.csrf), ("number", "")],
                files: [("file", "ke-hoach.xlsx", bytes)])
            #expect(response.status == .unprocessableContent)
            #expect(response.body.contains("Bảng tính bị hỏng"))
            // Offsets that point past the end of the file.
            var corrupt = bytes
            corrupt[corrupt.count - 6] = 0xFF
            corrupt[corrupt.count - 5] = 0xFF
            let second = try await HTTP.multipart(
                world.client(client, as: .monitor), "/catalogues/import", [("_csrf", monitor.csrf), ("number", "")],
                files: [("file", "ke-hoach.xlsx", corrupt)])
            #expect(second.status == .unprocessableContent)
            #expect(try await Self.alive(client))
        }
    }

    @Test(
        "only a path on this site is a place to return to after sign-in",
        arguments: [
            ("/plans/343-qd-tu", true), ("/\t/evil.example/phish", false), ("/\n/evil.example", false), ("//evil.example", false),
            ("/\\evil.example", false), ("/a\\b", false), ("https://evil.example", false), ("/ /evil.example", false),
            ("/\u{7F}/x", false), ("/plans?q=a b", false), ("/plans?q=a+b", true),
        ])
    func safeNext(path: String, kept: Bool) {
        #expect((AccountController.safeNext(path) != nil) == kept)
    }

    @Test("the sign-in page drops a `next` that browsers would read as another site")
    func openRedirect() async throws {
        try await World.run { _, client in
            let page = try await HTTP.get(client, "/sign-in?next=/%09/evil.example/phish")
            #expect(page.status == .ok)
            #expect(!page.body.contains("evil.example"))
        }
    }

    @Test("signed in, the pre-sign-in cookie token is no token; signing in clears it")
    func preSignInToken() async throws {
        try await World.run { world, client in
            let admin = world.client(client, as: .admin)
            let before = try await world.accountStore.users()
            let forged = try await HTTP.post(
                admin, "/admin/users", [("_csrf", "X"), ("email", "moi@gialai.gov.vn"), ("name", "Mới"), ("role", "leader")],
                headers: [.cookie: "theodoi_session=\(try #require(world.session(.admin)).token); theodoi_csrf=X"])
            #expect(forged.status == .forbidden)
            #expect(try await world.accountStore.users() == before)
            let signedIn = try await AccountTests.signIn(client, email: "leader@gialai.gov.vn", password: World.password)
            #expect(signedIn.status == .found)
            #expect(signedIn.headers[values: .setCookie].contains { $0.hasPrefix("theodoi_csrf=;") && $0.contains("Max-Age=0") })
        }
    }

    @Test("the trusted proxy's own entry, the last, is the client's address; what the client wrote before it is not")
    func forwardedFor() {
        #expect(IdentityMiddleware.forwardedAddress(["6.6.6.6, 203.0.113.9"]) == "203.0.113.9")
        #expect(IdentityMiddleware.forwardedAddress(["6.6.6.6", "203.0.113.9"]) == "203.0.113.9")
        #expect(IdentityMiddleware.forwardedAddress(["2001:db8::1"]) == "2001:db8::1")
        #expect(IdentityMiddleware.forwardedAddress(["203.0.113.9, not-an-address"]) == nil)
        #expect(IdentityMiddleware.forwardedAddress([""]) == nil)
        #expect(IdentityMiddleware.forwardedAddress([]) == nil)
    }

    @Test("the audit log shows that a draft was saved, not what another agency is still writing")
    func auditDrafts() async throws {
        try await World.run { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let fields = ProgressFlowTests.reportFields(
                education, stage: "in-progress", result: "Nội dung nháp bí mật 4711", achievedOn: "", submit: false)
            let saved = try await HTTP.multipart(
                SessionClient(base: client, cookie: education.cookie), "/plans/343-qd-tu/assignments/A.17.6/report", fields)
            #expect(saved.status == .found)
            let audit = try await HTTP.get(world.client(client, as: .admin), "/audit?action=report.create")
            #expect(audit.status == .ok)
            #expect(audit.body.contains("Lập báo cáo (nháp)"))
            #expect(!audit.body.contains("Nội dung nháp bí mật 4711"))
            #expect(audit.body.contains("chỉ đơn vị soạn thảo xem được"))
        }
    }

    @Test("removing files the report does not have does not lift its 20-file limit")
    func removeUnknownAttachments() async throws {
        try await World.run { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let path = "/plans/343-qd-tu/assignments/A.17.6/report"
            let fields = ProgressFlowTests.reportFields(
                education, stage: "in-progress", result: "Đang làm", achievedOn: "", submit: false)
            let twenty = (0..<20).map { ("files", "tep-\($0).pdf", ProgressFlowTests.pdf) }
            #expect(try await HTTP.multipart(officer, path, fields, files: twenty).status == .found)
            let assignment = try #require(try await ProgressFlowTests.assignmentID(world, "A.17.6"))
            let draft = try #require(try await world.progress.assignmentLog(assignment).reports.first)
            var again = fields
            again[1] = ("report", "\(draft.id)")
            again[2] = ("version", "\(draft.version)")
            again += [
                ("remove", "999999"), ("remove", "999998"), ("remove", "\(draft.attachments[0].id)"),
                ("remove", "\(draft.attachments[0].id)"),
            ]
            let refused = try await HTTP.multipart(
                officer, path, again,
                files: [("files", "a.pdf", ProgressFlowTests.pdf), ("files", "b.pdf", ProgressFlowTests.pdf)])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("tối đa 20 tệp"))
            #expect(try await world.progress.report(draft.id)?.attachments.count == 20)
        }
    }

    @Test("a downloaded file keeps its sandboxing policy")
    func downloadPolicy() async throws {
        try await World.run { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let fields = ProgressFlowTests.reportFields(
                education, stage: "in-progress", result: "Đang làm", achievedOn: "", submit: false)
            _ = try await HTTP.multipart(
                officer, "/plans/343-qd-tu/assignments/A.17.6/report", fields, files: [("files", "a.pdf", ProgressFlowTests.pdf)])
            let assignment = try #require(try await ProgressFlowTests.assignmentID(world, "A.17.6"))
            let file = try #require(try await world.progress.assignmentLog(assignment).reports.first?.attachments.first)
            let download = try await HTTP.get(officer, "/attachments/\(file.id)")
            #expect(download.status == .ok)
            #expect(download.headers[.contentSecurityPolicy] == "default-src 'none'; frame-ancestors 'none'; sandbox")
            #expect(
                try await HTTP.get(officer, "/plans/343-qd-tu").headers[.contentSecurityPolicy]?.contains("style-src 'self'")
                    == true)
        }
    }

    @Test("a new password or a disabled account ends the API tokens, and enabling again does not bring them back")
    func tokensEnd() async throws {
        try await World.run { world, client in
            let monitor = try #require(world.session(.monitor))
            let (_, first) = try await world.accounts.createAPIToken(for: monitor.user, label: "a", by: .commandLine)
            let bearer: (String) -> HTTPFields = { [.authorization: "Bearer \($0)"] }
            #expect(try await HTTP.get(client, "/api/v1/plans", headers: bearer(first)).status == .ok)
            _ = try await world.accounts.resetPassword(monitor.user.id, by: .commandLine)
            #expect(try await HTTP.get(client, "/api/v1/plans", headers: bearer(first)).status == .unauthorized)

            let leader = try #require(world.session(.leader))
            let (_, second) = try await world.accounts.createAPIToken(for: leader.user, label: "b", by: .commandLine)
            let change = { (disabled: Bool) in
                UserChange(name: leader.user.name, role: leader.user.role, agencyID: leader.user.agencyID, disabled: disabled)
            }
            _ = try await world.accountStore.updateUser(leader.user.id, change(true), .commandLine)
            _ = try await world.accountStore.updateUser(leader.user.id, change(false), .commandLine)
            #expect(try await HTTP.get(client, "/api/v1/plans", headers: bearer(second)).status == .unauthorized)
        }
    }

    @Test("the API holds to its description: 405 with Allow, one value a parameter, JSON booleans, versions in range")
    func apiContract() async throws {
        try await World.run { world, client in
            let leader = try #require(world.session(.leader))
            let (_, token) = try await world.accounts.createAPIToken(for: leader.user, label: "t", by: .commandLine)
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            for (method, path) in [(HTTPRequest.Method.trace, "/api/v1/plans"), (.put, "/healthz"), (.delete, "/api/v1/plans")] {
                let response = try await client.execute(uri: path, method: method, headers: bearer) { ($0.status, $0.headers) }
                #expect(response.0 == .methodNotAllowed)
                #expect(response.1[.allow] == "GET, HEAD")
            }
            let repeated = try await HTTP.get(client, "/api/v1/plans/343-qd-tu/assignments?perPage=&perPage=5", headers: bearer)
            #expect(repeated.status == .badRequest)
            #expect(repeated.body == #"{"error":{"message":"query parameter perPage is given more than once"}}"#)
            let padded = try await HTTP.get(client, "/api/v1/plans/343-qd-tu/lists/overdue?asOf=+", headers: bearer)
            #expect(padded.status == .badRequest)
            #expect(padded.body == #"{"error":{"message":"query parameter asOf has white space around its value"}}"#)
            let search = try await HTTP.get(client, "/api/v1/plans/343-qd-tu/assignments?q=+kho+", headers: bearer)
            #expect(search.status == .ok)

            let monitor = try #require(world.session(.monitor))
            let (_, monitorToken) = try await world.accounts.createAPIToken(for: monitor.user, label: "t", by: .commandLine)
            for body in [#"{"published": 0}"#, #"{"published": "true"}"#, "not json"] {
                let published = try await HTTP.json(
                    client, .put, "/api/v1/plans/343-qd-tu/publication", body, token: monitorToken)
                #expect(published.status == .unprocessableContent)
            }
            #expect(try await world.catalogue.plan("343-qd-tu")?.published == false)

            let officer = try #require(world.session(.officer))
            let (_, officerToken) = try await world.accounts.createAPIToken(for: officer.user, label: "t", by: .commandLine)
            let stale = try await HTTP.json(
                client, .put, "/api/v1/reports/1", #"{"version": -3274034524573}"#, token: officerToken)
            #expect(stale.status == .unprocessableContent)
            #expect(stale.body.contains("version must be an integer from 0 to 2147483647"))
        }
    }
}
