import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiExport
import TheodoiOperations
import TheodoiStore

/// Loading a catalogue from a file on the web: upload → preview → confirm.
@Suite("Catalogue import page")
struct CatalogueImportWebTests {
    static let upload = "/catalogues/import"
    static let confirm = "/catalogues/import/confirm"

    static func fixture(_ path: String) throws -> [UInt8] {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return [UInt8](try Data(contentsOf: tests.appendingPathComponent(path)))
    }

    /// ke-hoach-120 as LibreOffice saved it: a new plan (120/KH-UBND, 6 rows, 2 groups).
    static func workbook() throws -> [UInt8] { try fixture("TheodoiExportTests/Fixtures/ke-hoach-120-libreoffice.xlsx") }

    /// The value of a hidden field of a page, unescaped.
    static func hidden(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The confirmation form's fields of a preview page.
    static func confirmation(_ html: String, csrf: String) throws -> [(String, String)] {
        try ["fileName", "number", "date", "issuer", "file", "seal"].map {
            ($0, try #require(hidden($0, in: html), "no \($0) on the preview"))
        }
            + [("_csrf", csrf)]
    }

    /// What an import could change: plans, their assignment counts, and the audit log.
    struct Stored: Equatable {
        var plans: [String]
        var audit: Int

        static func read(_ world: World) async throws -> Stored {
            Stored(
                plans: try await world.catalogue.plans().map { "\($0.slug) \($0.assignmentCount) r\($0.revision)" },
                audit: try await world.accountStore.auditLog(AuditFilter(limit: 10_000)).total)
        }
    }

    @Test("upload → preview shows the plan, counts, findings and first rows, and stores nothing", arguments: WebBackends.all)
    func preview(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            let monitor = world.client(client, as: .monitor)
            let form = try await HTTP.get(monitor, Self.upload)
            #expect(form.status == .ok)
            #expect(form.body.contains("<h1>Nạp danh mục nhiệm vụ</h1>"))
            #expect(form.body.contains("enctype=\"multipart/form-data\""))
            #expect(
                form.body.contains(
                    "accept=\".docx,.doc,.odt,.rtf,.pdf,.png,.jpg,.jpeg,.tif,.tiff,.xlsx,.csv,.tsv,.txt,.md,.html,.htm\""))
            let before = try await Stored.read(world)

            let page = try await HTTP.multipart(
                monitor, Self.upload, [("_csrf", "csrf-monitor"), ("number", "")],
                files: [("file", "Kế hoạch 120.xlsx", try Self.workbook())])
            #expect(page.status == .ok)
            let body = page.body
            #expect(body.contains("Xem trước: Kế hoạch 120.xlsx"))
            #expect(body.contains("bảng tính Excel (XLSX)"))
            #expect(body.contains("Sẽ tạo kế hoạch mới 120/KH-UBND (mã 120-kh-ubnd) với 6 dòng nhiệm vụ."))
            #expect(body.contains("<dd>15/03/2025</dd>") && body.contains("<dd>Ủy ban nhân dân tỉnh</dd>"))
            #expect(body.contains("<dd>6 dòng nhiệm vụ (5 nhiệm vụ, 1 nhiệm vụ con)</dd>"))
            #expect(body.contains("Không có phát hiện nào."))
            // Deadlines as read and as understood; 31/12/2025 was a date cell in the workbook.
            #expect(body.contains("31/12/2025<small>hạn 31/12/2025</small>"))
            #expect(body.contains("6/2025<small>hạn 30/06/2025</small>"))
            #expect(body.contains("Hằng năm<small>hằng năm, kỳ đầu hạn 31/12/2025</small>"))
            #expect(body.contains("<td class=\"c-lead\" data-label=\"Chủ trì\">Sở Khoa học và Công nghệ</td>"))
            #expect(body.contains(">Xác nhận nạp</button>"))
            #expect(try await Stored.read(world) == before)

            // The bundled appendix with a changed row: an update, with the parts, findings and the change.
            var text = String(decoding: try SeedCatalogue.data(), as: UTF8.self)
            text = text.replacingOccurrences(of: "Triển khai Cổng dữ liệu mở\t", with: "Triển khai Cổng dữ liệu mở của tỉnh\t")
            let update = try await HTTP.multipart(
                monitor, Self.upload, [("_csrf", "csrf-monitor")], files: [("file", "343-QD-TU.txt", Array(text.utf8))])
            #expect(update.status == .ok)
            #expect(update.body.contains("Sẽ cập nhật kế hoạch đã có 343-QĐ/TU"))
            #expect(update.body.contains("<li>A.12: đổi nội dung.</li>"))
            #expect(update.body.contains("declared-count-mismatch"))
            #expect(update.body.contains("<td class=\"num\" data-label=\"Văn bản ghi\">52</td>"))
            #expect(update.body.contains("30 trong số 119 dòng"))
            #expect(update.body.contains("119 dòng nhiệm vụ (94 nhiệm vụ, 25 nhiệm vụ con); văn bản ghi 95 nhiệm vụ"))
            #expect(try await Stored.read(world) == before)
        }
    }

    @Test("a Word document is read into the preview like any other format")
    func wordDocument() async throws {
        try await World.run { world, client in
            let monitor = world.client(client, as: .monitor)
            let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            let docx = try Data(contentsOf: tests.appendingPathComponent("TheodoiExportTests/Fixtures/343-QD-TU.docx"))
            let page = try await HTTP.multipart(
                monitor, Self.upload, [("_csrf", "csrf-monitor")], files: [("file", "Phụ lục 343.docx", [UInt8](docx))])
            #expect(page.status == .ok)
            #expect(page.body.contains("văn bản Word (DOCX)"))
            // The same catalogue as the bundled text: nothing would change.
            #expect(page.body.contains("Kế hoạch 343-QĐ/TU đã có và giống hệt tệp này: nạp lại không thay đổi gì."))
            // Told by its content: a name without an extension is no obstacle.
            let unnamed = try await HTTP.multipart(
                monitor, Self.upload, [("_csrf", "csrf-monitor")], files: [("file", "PHU LUC", [UInt8](docx))])
            #expect(unnamed.status == .ok && unnamed.body.contains("văn bản Word (DOCX)"))
        }
    }

    /// Tesseract with Vietnamese, poppler and Pillow (for the scan's generator), or CI, which has them.
    static let canReadScans =
        ProcessInfo.processInfo.environment["THEODOI_REQUIRE_OFFICE"] == "1"
        || (FileManager.default.fileExists(atPath: "/usr/share/tesseract-ocr/5/tessdata/vie.traineddata")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftoppm"))

    @Test("a scan is recognised into the preview, each doubt beside its cell, and imported as shown", .enabled(if: canReadScans))
    func scan() async throws {
        let recognizer = CharacterRecognizer.locate(searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
        try await World.run(recognizer: recognizer) { world, client in
            let monitor = world.client(client, as: .monitor)
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-web-scan-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", root.appendingPathComponent("scripts/catalogue-fixtures/make_scan.py").path,
                root.appendingPathComponent("Tests/TheodoiExportTests/Fixtures/343-QD-TU.pdf").path,
                folder.appendingPathComponent("scan.pdf").path, "--pages", "3",
            ]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            let scan = try Data(contentsOf: folder.appendingPathComponent("scan.pdf"))
            let started = try await HTTP.multipart(
                monitor, Self.upload, [("_csrf", "csrf-monitor")], files: [("file", "Bản quét 343", [UInt8](scan))])
            // Read in the background: the answer is the job's page, opened again until the preview is there.
            #expect(started.status == .seeOther)
            let job = try #require(started.location)
            #expect(job.hasPrefix("/catalogues/import/jobs/"))
            // Another monitor does not see it.
            let other = try await HTTP.get(world.client(client, as: .admin), job)
            #expect(other.status == .notFound)
            var page = try await HTTP.get(monitor, job)
            var sawProgress = false
            for _ in 0..<240 where page.body.contains("Đang đọc bản quét") {
                sawProgress = true
                #expect(page.body.contains("<meta http-equiv=\"refresh\" content=\"2\">"))
                #expect(page.body.contains("Chưa có gì được lưu"))
                try await Task.sleep(for: .milliseconds(250))
                page = try await HTTP.get(monitor, job)
            }
            #expect(sawProgress)
            // The import page lists it, to open again.
            let form = try await HTTP.get(monitor, Self.upload)
            #expect(form.body.contains("href=\"\(job)\">Bản quét 343</a>: đã đọc xong"))
            #expect(page.status == .ok)
            #expect(page.body.contains("bản quét, đọc bằng nhận dạng ký tự (3 trang)"))
            // The first rows of 343-QĐ/TU, read; what recognition doubts is marked in its cell.
            #expect(page.body.contains("Quyết định phê duyệt"))
            #expect(page.body.contains("<small class=\"check\">⚠ đối chiếu bản giấy"))
            // What goes to the confirmation is the recognised document, not the scan.
            let carried = try #require(Self.hidden("file", in: page.body).flatMap { Data(base64Encoded: $0) })
            #expect(RecognisedDocument(carried) != nil)
            let fields = try Self.confirmation(page.body, csrf: "csrf-monitor")
            let done = try await HTTP.multipart(monitor, Self.confirm, fields)
            // The seed's plan is updated from the pages scanned; the tasks not on them are kept.
            #expect(done.status == .ok)
            #expect(done.body.contains("Đã cập nhật danh mục 343-QĐ/TU"))
            let plan = try #require(try await world.catalogue.plan("343-qd-tu"))
            #expect(plan.assignmentCount == 119)
        }
    }

    @Test("confirm → the plan is created with its rows and the import is in the audit log", arguments: WebBackends.all)
    func confirm(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            let monitor = world.client(client, as: .monitor)
            let page = try await HTTP.multipart(
                monitor, Self.upload, [("_csrf", "csrf-monitor")], files: [("file", "ke-hoach-120.xlsx", try Self.workbook())])
            let fields = try Self.confirmation(page.body, csrf: "csrf-monitor")
            let done = try await HTTP.multipart(monitor, Self.confirm, fields)
            #expect(done.status == .created)
            #expect(done.body.contains("Đã nạp danh mục 120/KH-UBND"))
            #expect(done.body.contains("Đã nhập kế hoạch 120/KH-UBND (120-kh-ubnd): 6 nhiệm vụ."))
            #expect(done.body.contains("href=\"/plans/120-kh-ubnd\""))
            let plan = try #require(try await world.catalogue.plan("120-kh-ubnd"))
            #expect(plan.assignmentCount == 6)
            #expect(plan.sourceName == "ke-hoach-120.xlsx")
            #expect(try await world.catalogue.assignments(plan.id).last?.deadline.due == LocalDate(iso: "2025-12-31"))
            let audit = try await world.accountStore.auditLog(AuditFilter(action: "plan.import")).entries
            let entry = try #require(audit.first { $0.subject == "plan:120-kh-ubnd" })
            #expect(entry.actor == "monitor@gialai.gov.vn")
            #expect(entry.after?.contains("\"assignments\":6") == true)

            // Confirming the same page again changes nothing (the import is idempotent).
            let again = try await HTTP.multipart(monitor, Self.confirm, fields)
            #expect(again.status == .ok)
            #expect(again.body.contains("Danh mục 120/KH-UBND không thay đổi"))
            #expect(try await world.catalogue.plan("120-kh-ubnd")?.revision == plan.revision)
        }
    }

    @Test("a changed file, number or seal, or another session's seal, is refused and changes nothing")
    func tampered() async throws {
        try await World.run { world, client in
            let monitor = world.client(client, as: .monitor)
            let page = try await HTTP.multipart(
                monitor, Self.upload, [("_csrf", "csrf-monitor")], files: [("file", "ke-hoach-120.xlsx", try Self.workbook())])
            let fields = try Self.confirmation(page.body, csrf: "csrf-monitor")
            let before = try await Stored.read(world)
            var bytes = try Self.workbook()
            bytes[bytes.count / 2] ^= 0x01
            let variants: [(String, String)] = [
                ("file", Data(bytes).base64EncodedString()), ("number", "999/KH-UBND"), ("fileName", "khac.xlsx"),
                ("seal", String(repeating: "0", count: 64)), ("file", "không phải base64"),
            ]
            for (name, value) in variants {
                let forged = fields.map { $0.0 == name ? (name, value) : $0 }
                let refused = try await HTTP.multipart(monitor, Self.confirm, forged)
                #expect(refused.status == .badRequest, "\(name)")
                #expect(refused.body.contains("không khớp với tệp đã xem trước"), "\(name)")
                #expect(refused.body.contains("Chưa có gì được lưu."))
            }
            // The administrator may import, but not with the seal of the monitor's session.
            let admin = world.client(client, as: .admin)
            let other = try await HTTP.multipart(
                admin, Self.confirm, fields.map { $0.0 == "_csrf" ? ("_csrf", "csrf-admin") : $0 })
            #expect(other.status == .badRequest)
            #expect(try await Stored.read(world) == before)
        }
    }

    @Test(
        "leaders get 403 on the form, officers on a plan not their agency's own; the preview and the confirmation too; the header links only for those who may"
    )
    func forbidden() async throws {
        try await World.run { world, client in
            for who in [Who.officer, .leader] {
                let session = try #require(world.session(who))
                let visitor = world.client(client, as: who)
                // An officer's form offers its agency's implementation plans only.
                let form = try await HTTP.get(visitor, Self.upload)
                #expect(form.status == (who == .officer ? .ok : .forbidden))
                #expect(!form.body.contains("<option value=\"plan\""))
                let preview = try await HTTP.multipart(
                    visitor, Self.upload, [("_csrf", session.csrf)], files: [("file", "a.xlsx", try Self.workbook())])
                #expect(preview.status == .forbidden)
                let confirm = try await HTTP.multipart(
                    visitor, Self.confirm,
                    [("_csrf", session.csrf), ("fileName", "a.xlsx"), ("file", Data(try Self.workbook()).base64EncodedString())])
                #expect(confirm.status == .forbidden)
                #expect(!(try await HTTP.get(visitor, "/plans")).body.contains("/catalogues/import"))
            }
            #expect(try await world.catalogue.plan("120-kh-ubnd") == nil)
            let anonymous = try await HTTP.get(world.client(client, as: .anonymous), Self.upload)
            #expect(anonymous.status == .found)
            let plans = try await HTTP.get(world.client(client, as: .monitor), "/plans")
            #expect(plans.body.contains("<a class=\"button\" href=\"/catalogues/import\">Nạp danh mục nhiệm vụ</a>"))
            #expect(plans.body.contains("<a href=\"/catalogues/import\">Nạp danh mục</a>"))
        }
    }

    @Test(
        "a file that cannot be read gets 422 with the reason on the form, and nothing is stored",
        arguments: [
            ("danh-muc.xlsx", Array("TT,Nội dung\n1,Việc\n".utf8), "không phải bảng tính XLSX"),
            (
                "danh-muc.xlsx", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 64),
                "Excel 97–2003"
            ),
            ("danh-muc.csv", Array("Họ tên,Ngày sinh\nNguyễn Văn A,1/1/1990\n".utf8), "Không tìm thấy bảng nhiệm vụ"),
            ("danh-muc.csv", Array("TT,Nội dung thực hiện,Đơn vị chủ trì\n1,Việc,Sở Y tế\n".utf8), "không ghi số hiệu văn bản"),
            // The test world has no pdftotext: the page says what the server needs.
            ("danh-muc.pdf", Array("%PDF-1.4".utf8), "máy chủ cần poppler"),
            // Told by content, whatever the name: a program is not text.
            ("danh-muc.exe", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00], "không phải văn bản"),
            ("danh-muc.xls", [0xD0, 0xCF, 0x11, 0xE0], "lưu lại dưới dạng .xlsx"),
        ])
    func unreadable(name: String, bytes: [UInt8], message: String) async throws {
        try await World.run { world, client in
            let monitor = world.client(client, as: .monitor)
            let before = try await Stored.read(world)
            let refused = try await HTTP.multipart(
                monitor, Self.upload, [("_csrf", "csrf-monitor")], files: [("file", name, bytes)])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains(message), "\(refused.body)")
            #expect(refused.body.contains("<h1>Nạp danh mục nhiệm vụ</h1>"))
            #expect(refused.body.contains("Chưa có gì được lưu."))
            #expect(try await Stored.read(world) == before)
        }
    }

    @Test("a file without a decision number imports under the number typed on the form")
    func typedNumber() async throws {
        try await World.run { world, client in
            let monitor = world.client(client, as: .monitor)
            let csv = Array("TT,Nội dung thực hiện,Đơn vị chủ trì,Thời hạn\n1,Việc một,Sở Y tế,2026\n".utf8)
            let page = try await HTTP.multipart(
                monitor, Self.upload, [("_csrf", "csrf-monitor"), ("number", "7/KH-UBND")], files: [("file", "x.csv", csv)])
            #expect(page.status == .ok)
            #expect(page.body.contains("Sẽ tạo kế hoạch mới 7/KH-UBND"))
            let done = try await HTTP.multipart(monitor, Self.confirm, try Self.confirmation(page.body, csrf: "csrf-monitor"))
            #expect(done.status == .created)
            #expect(try await world.catalogue.plan("7-kh-ubnd")?.assignmentCount == 1)
        }
    }

    @Test("a draft without its heading: the number, date and issuer typed on the form are what the plan gets")
    func typedHeading() async throws {
        try await World.run { world, client in
            let monitor = world.client(client, as: .monitor)
            let csv = Array(
                "TT,Nội dung thực hiện,Đơn vị chủ trì,Thời hạn\n1,Việc một,Sở Y tế,2026\n2,Việc hai,Sở Y tế,Tháng 2/2025\n".utf8)
            let bad = try await HTTP.multipart(
                monitor, Self.upload, [("_csrf", "csrf-monitor"), ("number", "8/KH-UBND"), ("date", "31/02/2025")],
                files: [("file", "x.csv", csv)])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("Ngày ban hành “31/02/2025” không hợp lệ"))
            let page = try await HTTP.multipart(
                monitor, Self.upload,
                [
                    ("_csrf", "csrf-monitor"), ("number", "8/KH-UBND"), ("date", "15/03/2025"),
                    ("issuer", "Ủy ban nhân dân tỉnh"),
                ], files: [("file", "x.csv", csv)])
            #expect(page.status == .ok)
            #expect(page.body.contains("<dd>15/03/2025</dd>") && page.body.contains("<dd>Ủy ban nhân dân tỉnh</dd>"))
            // Said on the form, the missing heading is no longer a finding, and deadlines are read
            // against the date typed: "Tháng 2/2025" was already past when the plan was issued.
            #expect(!page.body.contains("missing-plan-metadata"))
            #expect(page.body.contains("trước ngày ban hành văn bản (15/03/2025): quá hạn ngay khi giao"))
            // A changed date on the confirmation breaks the seal.
            var forged = try Self.confirmation(page.body, csrf: "csrf-monitor")
            forged[2] = ("date", "16/03/2025")
            #expect(try await HTTP.multipart(monitor, Self.confirm, forged).status == .badRequest)
            let done = try await HTTP.multipart(monitor, Self.confirm, try Self.confirmation(page.body, csrf: "csrf-monitor"))
            #expect(done.status == .created)
            let plan = try #require(try await world.catalogue.plan("8-kh-ubnd"))
            #expect(plan.date == LocalDate(iso: "2025-03-15") && plan.issuer == "Ủy ban nhân dân tỉnh")
            #expect(plan.assignmentCount == 2)
        }
    }
}
