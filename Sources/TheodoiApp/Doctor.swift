import Foundation
import Logging
import ServiceLifecycle
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL

/// `theodoi doctor`: what an installation has and lacks — settings, database, schema, disk space,
/// and the programs each feature uses — each said in Vietnamese with the feature it affects.
public enum Doctor {
    public struct Check: Sendable, Equatable {
        public enum Status: Sendable, Equatable {
            case ok, warning, failure
        }
        public var status: Status
        public var title: String
        public var detail: String
    }

    /// Every check, in the order they are printed.
    public static func checks(_ configuration: AppConfiguration) async -> [Check] {
        var checks: [Check] = [
            Check(
                status: .ok, title: "Cấu hình",
                detail: "lắng nghe \(configuration.host):\(configuration.port), mức ghi nhật ký \(configuration.logLevel)")
        ]
        checks += await database(configuration)
        checks += programs(configuration)
        return checks
    }

    static func database(_ configuration: AppConfiguration) async -> [Check] {
        var checks: [Check] = []
        var folder: String?
        switch configuration.database {
        case .sqliteFile(let path):
            folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: path) else {
                return [
                    Check(
                        status: .warning, title: "Cơ sở dữ liệu",
                        detail: "tệp SQLite \(path) chưa có; `theodoi serve` hoặc `theodoi migrate` sẽ tạo nó")
                ] + disk(folder)
            }
        case .sqliteMemory, .postgres:
            break
        }
        let logger = Logger(label: "theodoi-doctor")
        do {
            let store = try await SQLStore.open(configuration.database, logger: logger)
            let running = Task { try await store.service?.run() }
            defer { running.cancel() }
            do {
                try await store.client.ping()
                checks.append(
                    Check(status: .ok, title: "Cơ sở dữ liệu", detail: "kết nối được (\(describe(configuration.database)))"))
                let (applied, known) = try await store.schemaVersions()
                let missing = known.filter { !applied.contains($0) }
                if let newest = applied.max(), newest > (known.max() ?? 0) {
                    checks.append(
                        Check(
                            status: .failure, title: "Lược đồ",
                            detail: NewerSchema(database: newest, program: known.max() ?? 0).description))
                } else if missing.isEmpty {
                    checks.append(
                        Check(status: .ok, title: "Lược đồ", detail: "đã ở phiên bản mới nhất (số \(known.max() ?? 0))"))
                } else {
                    checks.append(
                        Check(
                            status: .warning, title: "Lược đồ",
                            detail: "còn \(missing.count) bước nâng cấp chưa chạy; `theodoi migrate` hoặc `theodoi serve` sẽ chạy"
                        ))
                }
            } catch {
                checks.append(Check(status: .failure, title: "Cơ sở dữ liệu", detail: "không dùng được: \(error)"))
            }
            await store.shutdown()
        } catch {
            checks.append(Check(status: .failure, title: "Cơ sở dữ liệu", detail: "không mở được: \(error)"))
        }
        return checks + disk(folder)
    }

    static func describe(_ location: DatabaseLocation) -> String {
        switch location {
        case .sqliteFile(let path): "SQLite, \(path)"
        case .sqliteMemory: "SQLite trong bộ nhớ"
        case .postgres: "PostgreSQL"
        }
    }

    /// Free space where the database and the temporary files (uploads, recognition) live.
    static func disk(_ databaseFolder: String?) -> [Check] {
        var places: [(String, String)] = [("thư mục tạm", FileManager.default.temporaryDirectory.path)]
        if let databaseFolder { places.insert(("thư mục dữ liệu", databaseFolder), at: 0) }
        return places.compactMap { name, path in
            var folder = path
            while !FileManager.default.fileExists(atPath: folder), folder != "/" {
                folder = URL(fileURLWithPath: folder).deletingLastPathComponent().path
            }
            guard let attributes = try? FileManager.default.attributesOfFileSystem(forPath: folder),
                let free = (attributes[.systemFreeSize] as? NSNumber)?.int64Value
            else { return nil }
            let gigabytes = Double(free) / 1_073_741_824
            let text = String(format: "%.1f GB trống", gigabytes).replacingOccurrences(of: ".", with: ",")
            return Check(
                status: gigabytes < 1 ? .warning : .ok, title: "Dung lượng đĩa",
                detail: "\(name) \(path): \(text)"
                    + (gigabytes < 1 ? "; dưới 1 GB, sao lưu và tệp báo cáo có thể không ghi được" : ""))
        }
    }

    /// The programs each feature uses.
    static func programs(_ configuration: AppConfiguration) -> [Check] {
        let path = configuration.searchPath
        var checks: [Check] = []
        func program(_ found: Bool, _ title: String, ok: String, missing: String) {
            checks.append(Check(status: found ? .ok : .warning, title: title, detail: found ? ok : missing))
        }
        program(
            OfficeConverter.locate(configured: configuration.soffice, searchPath: path) != nil, "LibreOffice",
            ok: "có: báo cáo in ra PDF, đọc danh mục .doc/.odt/.rtf",
            missing: "không có: không in được báo cáo ra PDF, không đọc được .doc/.odt/.rtf "
                + "(Debian: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)")
        program(
            PDFTextExtractor.locate(searchPath: path) != nil, "poppler",
            ok: "có: nạp danh mục từ tệp PDF và bản quét PDF",
            missing: "không có: không nạp được danh mục từ tệp PDF (Debian: apt-get install poppler-utils)")
        let recognizer = CharacterRecognizer.locate(searchPath: path)
        program(
            recognizer != nil && CharacterRecognizer.hasData("vie"), "Tesseract (tiếng Việt)",
            ok: "có: nạp danh mục từ bản quét và ảnh chụp",
            missing: "không có: không nạp được bản quét, ảnh chụp (Debian: apt-get install tesseract-ocr tesseract-ocr-vie)")
        if recognizer != nil {
            program(
                CharacterRecognizer.hasData("Vietnamese"), "Tesseract (mô hình chữ Việt)",
                ok: "có: mỗi ô bản quét được đọc ba lần, chữ đọc sai được đánh dấu",
                missing: "không có: bản quét chỉ đọc một lần, nhiều chữ sai hơn và có chữ sai không được đánh dấu "
                    + "(Debian: apt-get install tesseract-ocr-script-viet)")
        }
        let mailer = configuration.sendmail.first
        if let mailer {
            program(
                FileManager.default.isExecutableFile(atPath: mailer), "Thư điện tử",
                ok: "gửi qua \(configuration.sendmail.joined(separator: " "))",
                missing:
                    "không chạy được \(mailer): nhắc việc bằng thư điện tử không gửi được (đặt SENDMAIL, ví dụ /usr/bin/msmtp -t)"
            )
        } else {
            checks.append(
                Check(
                    status: .warning, title: "Thư điện tử",
                    detail: "tắt (SENDMAIL rỗng hoặc không có /usr/sbin/sendmail): nhắc việc chỉ hiện trong ứng dụng"))
        }
        return checks
    }
}
