import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// Signing in and out, sessions, CSRF, throttling, API tokens and what never leaks.
@Suite("Accounts and sessions")
struct AccountTests {
    /// Signs in through the form like a browser: fetches the form (and its CSRF cookie), posts it.
    static func signIn(
        _ client: any TestClientProtocol, email: String, password: String, address: String = "203.0.113.7"
    ) async throws -> (status: HTTPResponse.Status, body: String, location: String?, headers: HTTPFields) {
        let form = try await HTTP.get(client, "/sign-in", headers: [.xForwardedForTest: address])
        let cookie = form.headers[values: .setCookie].first { $0.hasPrefix("theodoi_csrf=") }
        let token = cookie.map { String($0.dropFirst("theodoi_csrf=".count).prefix { $0 != ";" }) } ?? ""
        return try await HTTP.post(
            client, "/sign-in", [("_csrf", token), ("email", email), ("password", password)],
            headers: [.cookie: "theodoi_csrf=\(token)", .xForwardedForTest: address])
    }

    static func sessionCookie(_ headers: HTTPFields) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix("theodoi_session=") }.map { String($0.prefix { $0 != ";" }) }
    }

    @Test("signing in with the right password opens a session; the cookie is HttpOnly and SameSite", arguments: WebBackends.all)
    func signIn(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            let result = try await AccountTests.signIn(client, email: "  Officer@GiaLai.gov.vn ", password: World.password)
            #expect(result.status == .found)
            #expect(result.location == "/")
            let setCookie = try #require(result.headers[values: .setCookie].first { $0.hasPrefix("theodoi_session=") })
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && !setCookie.contains("Secure"))
            let cookie = try #require(AccountTests.sessionCookie(result.headers))
            let page = try await HTTP.get(client, "/plans/343-qd-tu", headers: [.cookie: cookie])
            #expect(page.status == .ok)
            #expect(page.body.contains("Người thử officer · Cán bộ đơn vị"))
            let audit = try await world.accountStore.auditLog(AuditFilter(action: "session.sign-in")).entries
            #expect(audit.first?.actor == "officer@gialai.gov.vn")
            #expect(audit.first?.address == "203.0.113.7")
            // Behind TLS the cookie is Secure.
            let secure = try await HTTP.get(client, "/sign-in", headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(secure.headers[values: .setCookie].allSatisfy { $0.contains("Secure") })
        }
    }

    @Test("a wrong password or unknown e-mail is refused with one message, and recorded")
    func wrongPassword() async throws {
        try await World.run { world, client in
            for email in ["officer@gialai.gov.vn", "khongco@gialai.gov.vn"] {
                let result = try await AccountTests.signIn(client, email: email, password: "sai-mat-khau-1")
                #expect(result.status == .unauthorized)
                #expect(result.body.contains("Thư điện tử hoặc mật khẩu không đúng."))
                #expect(AccountTests.sessionCookie(result.headers) == nil)
                #expect(!result.body.contains("sai-mat-khau-1"))
            }
            let failures = try await world.accountStore.auditLog(AuditFilter(action: "session.sign-in-failed")).entries
            #expect(failures.map(\.subject).sorted() == ["email:khongco@gialai.gov.vn", "email:officer@gialai.gov.vn"])
        }
    }

    @Test("a disabled user cannot sign in, and their open session ends")
    func disabled() async throws {
        try await World.run { world, client in
            let admin = try #require(world.session(.admin))
            let leader = try #require(world.session(.leader))
            let change = try await HTTP.post(
                world.client(client, as: .admin), "/admin/users/\(leader.user.id)",
                [("_csrf", admin.csrf), ("name", leader.user.name), ("role", "leader"), ("disabled", "1")])
            #expect(change.status == .ok)
            let open = try await HTTP.get(world.client(client, as: .leader), "/plans/343-qd-tu")
            #expect(open.status == .found)
            #expect(open.location == "/sign-in?next=%2Fplans%2F343-qd-tu")
            let result = try await AccountTests.signIn(client, email: leader.user.email, password: World.password)
            #expect(result.status == .forbidden)
            #expect(result.body.contains("Tài khoản này đã bị khóa"))
        }
    }

    @Test("a session expires after 12 hours")
    func expiry() async throws {
        try await World.run { world, client in
            let result = try await AccountTests.signIn(client, email: "monitor@gialai.gov.vn", password: World.password)
            let cookie = try #require(AccountTests.sessionCookie(result.headers))
            #expect(try await HTTP.get(client, "/plans", headers: [.cookie: cookie]).status == .ok)
            world.clock.advance(by: 12 * 3600 - 60)
            #expect(try await HTTP.get(client, "/plans", headers: [.cookie: cookie]).status == .ok)
            world.clock.advance(by: 61)
            let later = try await HTTP.get(client, "/plans", headers: [.cookie: cookie])
            #expect(later.status == .found)
            #expect(later.location?.hasPrefix("/sign-in") == true)
        }
    }

    @Test("a post with a missing or wrong CSRF token gets 403 and changes nothing", arguments: ["", "csrf-leader", "gia-mao"])
    func csrf(token: String) async throws {
        try await World.run { world, client in
            let before = try await world.accountStore.users()
            let fields =
                (token.isEmpty ? [] : [("_csrf", token)]) + [
                    ("email", "moi@gialai.gov.vn"), ("name", "Mới"), ("role", "leader"),
                ]
            let result = try await HTTP.post(world.client(client, as: .admin), "/admin/users", fields)
            #expect(result.status == .forbidden)
            #expect(result.body.contains("mã chống giả mạo"))
            #expect(try await world.accountStore.users() == before)
        }
    }

    /// Wrong passwords from `address` until `failures` of them were checked, waiting out each delay.
    static func guess(
        _ world: World, _ client: any TestClientProtocol, email: String, address: String, failures: Int
    ) async throws {
        var checked = 0
        while checked < failures {
            let result = try await AccountTests.signIn(client, email: email, password: "sai-1234567", address: address)
            if result.status == .unauthorized {
                checked += 1
            } else {
                #expect(result.status == .tooManyRequests)
                world.clock.advance(by: TimeInterval(Int(result.headers[.retryAfter] ?? "") ?? 1))
            }
        }
    }

    @Test(
        "guessing delays the guesser, never locks the owner out from where they sign in; other addresses and accounts unaffected",
        arguments: WebBackends.all)
    func throttling(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            let owner = "officer@gialai.gov.vn"
            // The owner has signed in from the office before: that address is known.
            #expect(
                try await AccountTests.signIn(client, email: owner, password: World.password, address: "203.0.113.7").status
                    == .found)

            // Three wrong guesses are checked at once; the fourth waits a few seconds (not 15 minutes).
            for _ in 0..<3 {
                #expect(
                    try await AccountTests.signIn(client, email: owner, password: "sai", address: "198.51.100.9").status
                        == .unauthorized)
            }
            let waiting = try await AccountTests.signIn(client, email: owner, password: "sai", address: "198.51.100.9")
            #expect(waiting.status == .tooManyRequests)
            #expect(waiting.headers[.retryAfter] == "2")
            #expect(waiting.body.contains("hãy chờ 2 giây rồi thử lại"))

            // Someone elsewhere keeps guessing, waiting out every delay: ten guesses checked in four minutes.
            try await AccountTests.guess(world, client, email: owner, address: "198.51.100.9", failures: 7)
            // The owner, from the office, with the right password: in at once.
            #expect(
                try await AccountTests.signIn(client, email: owner, password: World.password, address: "203.0.113.7").status
                    == .found)
            // From an address the account has never used, the account's failures make it wait.
            let stranger = try await AccountTests.signIn(client, email: owner, password: World.password, address: "192.0.2.44")
            #expect(stranger.status == .tooManyRequests)
            // Other accounts from the guesser's address are not held back by one account's failures.
            #expect(
                try await AccountTests.signIn(
                    client, email: "leader@gialai.gov.vn", password: World.password, address: "198.51.100.9"
                )
                .status == .found)

            // Guessing from the owner's own address (a shared office network) delays the owner by a minute at most.
            try await AccountTests.guess(world, client, email: owner, address: "203.0.113.7", failures: 12)
            let delayed = try await AccountTests.signIn(client, email: owner, password: World.password, address: "203.0.113.7")
            #expect(delayed.status == .tooManyRequests)
            #expect((Int(delayed.headers[.retryAfter] ?? "") ?? 999) <= 60)
            world.clock.advance(by: 60)
            #expect(
                try await AccountTests.signIn(client, email: owner, password: World.password, address: "203.0.113.7").status
                    == .found)

            // Spraying one password over many accounts from one address: that address waits on accounts
            // it does not know; the accounts themselves stay open from their own addresses.
            world.clock.advance(by: 16 * 60)
            for index in 0..<30 {
                _ = try await AccountTests.signIn(
                    client, email: "thu\(index)@gialai.gov.vn", password: "sai-1234567", address: "198.51.100.77")
            }
            #expect(
                try await AccountTests.signIn(
                    client, email: "monitor@gialai.gov.vn", password: World.password, address: "198.51.100.77"
                )
                .status == .tooManyRequests)
            #expect(
                try await AccountTests.signIn(client, email: "monitor@gialai.gov.vn", password: World.password).status == .found)
        }
    }

    @Test("parallel wrong passwords are all counted: three are checked, the rest wait", arguments: WebBackends.all)
    func parallelGuesses(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<15 {
                    group.addTask {
                        try await AccountTests.signIn(
                            client, email: "officer@gialai.gov.vn", password: "sai-1234567", address: "198.51.100.5"
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 3)
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 12)
        }
    }

    @Test("API tokens: read and write with one; a revoked token or a cookie cannot write", arguments: WebBackends.all)
    func apiTokens(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            let monitor = try #require(world.session(.monitor))
            let (record, token) = try await world.accounts.createAPIToken(for: monitor.user, label: "tích hợp", by: .commandLine)
            #expect(token.hasPrefix("tdk_") && token.count > 40)
            let bearer: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            #expect(try await HTTP.get(client, "/api/v1/plans/343-qd-tu/dashboard", headers: bearer).status == .ok)
            let put = try await client.execute(
                uri: "/api/v1/plans/343-qd-tu/publication", method: .put, headers: bearer,
                body: ByteBuffer(string: #"{"published":true}"#)
            ) { ($0.status, String(buffer: $0.body)) }
            #expect(put.0 == .ok)
            #expect(put.1.contains(#""published":true"#))
            // A session cookie is for pages: API writes need a token.
            let cookie = try await world.client(client, as: .monitor).execute(
                uri: "/api/v1/plans/343-qd-tu/publication", method: .put, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"published":false}"#)
            ) { $0.status }
            #expect(cookie == .unauthorized)
            #expect(try await world.accountStore.revokeAPIToken(record.id, .commandLine))
            let revoked = try await HTTP.get(client, "/api/v1/plans/343-qd-tu/dashboard", headers: bearer)
            #expect(revoked.status == .unauthorized)
            #expect(revoked.body == #"{"error":{"message":"the API token is unknown or has been revoked"}}"#)
            // The stored form is a digest, never the token.
            let tokens = try await world.accountStore.apiTokens(monitor.user.id)
            #expect(tokens.first?.prefix == String(token.prefix(12)))
        }
    }

    @Test("anonymous visitors see the sign-in page, and a published plan's summary, tasks and open data only")
    func anonymous() async throws {
        try await World.run { world, client in
            #expect(try await HTTP.get(client, "/plans/343-qd-tu").location == "/sign-in?next=%2Fplans%2F343-qd-tu")
            #expect(try await HTTP.get(client, "/api/v1/plans/343-qd-tu/assignments").status == .unauthorized)
            #expect(try await HTTP.get(client, "/api/v1/plans/343-qd-tu/summary").status == .unauthorized)
            #expect(try await HTTP.get(client, "/api/v1/plans").body == #"{"items":[],"total":0}"#)
            _ = try await world.catalogue.setPlanPublished("343-qd-tu", true, .commandLine)
            let summary = try await HTTP.get(client, "/plans/343-qd-tu")
            #expect(summary.status == .ok)
            #expect(summary.body.contains("Tổng số 94 nhiệm vụ"))
            #expect(!summary.body.contains("/plans/343-qd-tu/assignments/"))
            #expect(try await HTTP.get(client, "/plans/343-qd-tu/assignments/A.1").status == .found)
            // The public page also lists every task with its status and offers open data; no officials, no reports.
            #expect(summary.body.contains("Danh sách nhiệm vụ và tình trạng"))
            #expect(summary.body.contains("Xây dựng kho dữ liệu số, bài giảng điện tử"))
            #expect(summary.body.contains("<svg class=\"chart\""))
            #expect(!summary.body.contains("Người thử") && !summary.body.contains("@gialai.gov.vn"))
            let csv = try await HTTP.get(client, "/plans/343-qd-tu/open-data.csv")
            #expect(csv.status == .ok)
            #expect(csv.body.split(separator: "\r\n").count == 120)
            let json = try await HTTP.get(client, "/plans/343-qd-tu/open-data.json")
            let items = (try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any])?["items"] as? [Any]
            #expect(items?.count == 119)
            _ = try await world.catalogue.setPlanPublished("343-qd-tu", false, .commandLine)
            #expect(try await HTTP.get(client, "/plans/343-qd-tu/open-data.csv").status == .found)
            _ = try await world.catalogue.setPlanPublished("343-qd-tu", true, .commandLine)
            #expect(try await HTTP.get(client, "/api/v1/plans/343-qd-tu/summary").status == .ok)
            #expect(try await HTTP.get(client, "/sign-in").body.contains("Kế hoạch công khai"))
        }
    }

    @Test("security headers on every response: CSP without inline script, no framing, no sniffing")
    func headers() async throws {
        try await World.run { world, client in
            for uri in ["/sign-in", "/plans/343-qd-tu", "/khong-co", "/api/v1/plans"] {
                let response = try await HTTP.get(world.client(client, as: .leader), uri)
                let csp = try #require(response.headers[.contentSecurityPolicy], "\(uri)")
                #expect(
                    csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline")
                )
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
        }
    }

    @Test("changing a password checks the current one and the policy; the audit log holds no secret")
    func changePassword() async throws {
        try await World.run { world, client in
            let officer = try #require(world.session(.officer))
            let signedIn = world.client(client, as: .officer)
            let weak = try await HTTP.post(
                signedIn, "/account/password",
                [("_csrf", officer.csrf), ("current", World.password), ("new", "ngan1"), ("confirmation", "ngan2")])
            #expect(weak.status == .unprocessableContent)
            #expect(weak.body.contains("ít nhất 10 ký tự") && weak.body.contains("không khớp"))
            let wrong = try await HTTP.post(
                signedIn, "/account/password",
                [
                    ("_csrf", officer.csrf), ("current", "khong-dung-99"), ("new", "Matkhau-moi-2026"),
                    ("confirmation", "Matkhau-moi-2026"),
                ])
            #expect(wrong.body.contains("Mật khẩu hiện tại không đúng."))
            let done = try await HTTP.post(
                signedIn, "/account/password",
                [
                    ("_csrf", officer.csrf), ("current", World.password), ("new", "Matkhau-moi-2026"),
                    ("confirmation", "Matkhau-moi-2026"),
                ])
            #expect(done.status == .ok)
            #expect(done.body.contains("Đã đổi mật khẩu"))
            #expect(
                try await AccountTests.signIn(client, email: officer.user.email, password: "Matkhau-moi-2026").status == .found)
            let log = try await world.accountStore.auditLog(AuditFilter(limit: 1_000)).entries
            let text = log.map { "\($0.before ?? "") \($0.after ?? "") \($0.subject)" }.joined()
            for secret in [World.password, "Matkhau-moi-2026", "khong-dung-99", "$2b$", "session-", "csrf-"] {
                #expect(!text.contains(secret), "the audit log holds \(secret)")
            }
        }
    }

    @Test("an administrator creates an officer, who must change the printed password first")
    func createOfficer() async throws {
        try await World.run { world, client in
            let admin = try #require(world.session(.admin))
            let created = try await HTTP.post(
                world.client(client, as: .admin), "/admin/users",
                [
                    ("_csrf", admin.csrf), ("email", "canbo.khcn@gialai.gov.vn"), ("name", "Nguyễn Văn An"), ("role", "officer"),
                    ("agency", "\(world.officerAgency.id)"),
                ])
            #expect(created.status == .created)
            let password = try #require(
                created.body.firstMatch(of: /<code class="once">([^<]+)<\/code>/).map { String($0.1) })
            let missingAgency = try await HTTP.post(
                world.client(client, as: .admin), "/admin/users",
                [("_csrf", admin.csrf), ("email", "b@gialai.gov.vn"), ("name", "B"), ("role", "officer")])
            #expect(missingAgency.status == .unprocessableContent)
            #expect(missingAgency.body.contains("Cán bộ đơn vị phải thuộc một cơ quan"))
            let signIn = try await AccountTests.signIn(client, email: "canbo.khcn@gialai.gov.vn", password: password)
            #expect(signIn.location == "/account/password?next=%2F")
            let cookie = try #require(AccountTests.sessionCookie(signIn.headers))
            #expect(
                try await HTTP.get(client, "/plans/343-qd-tu?stage=returned", headers: [.cookie: cookie]).location
                    == "/account/password?next=%2Fplans%2F343-qd-tu%3Fstage%3Dreturned")
            // After the change, on to the page the user was going to; another site is never a next page.
            let form = try await HTTP.get(
                client, "/account/password?next=%2Fplans%2F343-qd-tu%3Fstage%3Dreturned", headers: [.cookie: cookie])
            let kept = form.body.firstMatch(of: /name="next" value="([^"]+)"/).map { HTTP.unescape(String($0.1)) }
            #expect(
                kept == "/plans/343-qd-tu?stage=returned",
                "\(form.status) \(form.body.components(separatedBy: "<form").dropFirst(2).first?.prefix(500) ?? "")")
            let csrf = try #require(form.body.firstMatch(of: /name="_csrf" value="([^"]+)"/).map { String($0.1) })
            let changed = try await HTTP.post(
                client, "/account/password",
                [
                    ("_csrf", csrf), ("next", "//evil.example/"), ("current", password), ("new", "Gia-Lai-2026-an-toan"),
                    ("confirmation", "Gia-Lai-2026-an-toan"),
                ], headers: [.cookie: cookie])
            #expect(changed.status == .ok && changed.body.contains("Đã đổi mật khẩu"))
            let log = try await world.accountStore.auditLog(AuditFilter(action: "user.create")).entries
            #expect(log.first?.actor == "admin@gialai.gov.vn")
            #expect(log.first?.after?.contains(#""role":"officer""#) == true)
            #expect(log.first?.after?.contains(password) == false)
        }
    }

    @Test("merging two agencies keeps every assignment link and moves their officers")
    func merge() async throws {
        try await World.run { world, client in
            let admin = try #require(world.session(.admin))
            let links = try await world.catalogue.assignments(try #require(try await world.catalogue.plan("343-qd-tu")).id)
            let countLinks: ([AssignmentRecord], AgencyRecord.ID) -> Int = { rows, id in
                rows.reduce(0) { $0 + ($1.lead + $1.coordinators).filter { $0.agencyID == id }.count }
            }
            let before = countLinks(links, world.otherAgency.id) + countLinks(links, world.officerAgency.id)
            let result = try await HTTP.post(
                world.client(client, as: .admin), "/admin/agencies/\(world.otherAgency.id)/merge",
                [("_csrf", admin.csrf), ("target", "\(world.officerAgency.id)")])
            #expect(result.status == .ok)
            let after = try await world.catalogue.assignments(try #require(try await world.catalogue.plan("343-qd-tu")).id)
            #expect(countLinks(after, world.officerAgency.id) == before)
            #expect(countLinks(after, world.otherAgency.id) == 0)
            let moved = try await world.accountStore.users().first { $0.email == "otherofficer@gialai.gov.vn" }
            #expect(moved?.agencyID == world.officerAgency.id)
            let merged = try #require(try await world.catalogue.agencies().first { $0.id == world.officerAgency.id })
            #expect(merged.aliases.contains("Sở Tài chính"))
            // A re-import that names the merged agency resolves to the one kept.
            _ = try await world.importer.importCatalogue(try SeedCatalogue.data(), sourceName: "343-QD-TU.txt")
            #expect(try await world.catalogue.agencies().contains { $0.name == "Sở Tài chính" } == false)
        }
    }
}

extension HTTPField.Name {
    static let xForwardedForTest = HTTPField.Name("X-Forwarded-For")!
}
