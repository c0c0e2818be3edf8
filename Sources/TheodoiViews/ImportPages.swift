// Page models of loading a catalogue from a file: the upload form, the preview and the result.
// These pages are small, so Mustache reads them through reflection: every flag is a stored property.

/// Nạp danh mục nhiệm vụ: the upload form.
public struct CatalogueUploadPage: Sendable {
    public var layout: Layout
    public var csrf: String
    /// The number typed for a file that names none.
    public var number: String
    /// The date (dd/mm/yyyy) and issuing body typed for a file that does not say them.
    public var date = ""
    public var issuer = ""
    /// Why the last file was refused; nothing was stored.
    public var error: String?
    /// The file amends a stored plan (quyết định sửa đổi, bổ sung), which `plans` offers.
    public var isAmendment = false
    public var plans: [Option] = [] { didSet { hasPlans = !plans.isEmpty } }
    public private(set) var hasPlans = false
    /// The amendment file is the whole amended catalogue: tasks it does not list are ended.
    public var endsMissing = false
    /// An agency's implementation plan of `task` ("343-qd-tu/A.17"), chosen among `tasks` (an officer's).
    public var isImplementation = false
    public var task = ""
    public var tasks: [Option] = [] { didSet { hasTasks = !tasks.isEmpty } }
    public private(set) var hasTasks = false
    /// The monitoring office (any catalogue), not an agency's officer (its implementation plans only).
    public var office = true
    /// The `accept` attribute of the file input.
    public var accept: String
    /// "XLSX, CSV, TSV, …" and the size limit, for the hint.
    public var formatsText: String
    public var maximumSizeText: String
    /// The user's scans being read or read in the last half hour, to open again.
    public var jobs: [CatalogueJobLink] = [] { didSet { hasJobs = !jobs.isEmpty } }
    // Stored, not computed: Mustache reads this model through reflection.
    public private(set) var hasJobs = false

    public init(
        layout: Layout, csrf: String, number: String, error: String?, accept: String, formatsText: String,
        maximumSizeText: String
    ) {
        self.layout = layout
        self.csrf = csrf
        self.number = number
        self.error = error
        self.accept = accept
        self.formatsText = formatsText
        self.maximumSizeText = maximumSizeText
    }
}

/// A scan being read in the background, as a link: "Bản quét 343.pdf: đang đọc, 3/14 trang".
public struct CatalogueJobLink: Sendable {
    public var href: String
    public var fileName: String
    public var stateText: String

    public init(href: String, fileName: String, stateText: String) {
        self.href = href
        self.fileName = fileName
        self.stateText = stateText
    }
}

/// Đang đọc bản quét: the pages recognised so far, the page reloading itself until the preview is ready.
public struct CatalogueJobPage: Sendable {
    public var layout: Layout
    public var fileName: String
    public var sizeText: String
    public var done: Int
    public var total: Int
    /// "Đã nhận dạng 3/14 trang" or "Đang chuẩn bị các trang".
    public var progressText: String
    public var startedText: String
    public var href: String
    public var importHref: String
    public let hasTotal: Bool

    public init(
        layout: Layout, fileName: String, sizeText: String, done: Int, total: Int, progressText: String, startedText: String,
        href: String, importHref: String
    ) {
        self.layout = layout
        self.fileName = fileName
        self.sizeText = sizeText
        self.done = done
        self.total = total
        self.progressText = progressText
        self.startedText = startedText
        self.href = href
        self.importHref = importHref
        hasTotal = total > 0
    }
}

/// One part of the catalogue with the count it declares and the count found.
public struct PreviewPartRow: Sendable {
    public var code: String
    public var title: String
    public var declared: String
    public var found: Int
    public let mismatch: Bool

    public init(code: String, title: String, declared: String, found: Int, mismatch: Bool) {
        self.code = code
        self.title = title
        self.declared = declared
        self.found = found
        self.mismatch = mismatch
    }
}

/// One assignment as read from the file.
public struct PreviewAssignmentRow: Sendable {
    public var code: String
    public let isSub: Bool
    public var title: String
    public var lead: String
    public var coordinators: String
    public var deadlineText: String
    /// What the deadline was understood as ("Tháng 8/2025: hạn cuối ngày 31/08/2025").
    public var deadlineMeaning: String
    public let deadlineUnknown: Bool
    public var output: String
    /// For a scanned copy: what to check against the paper in each cell ("đối chiếu bản giấy: độ tin cậy 61%").
    public var codeCheck: String?
    public var titleCheck: String?
    public var leadCheck: String?
    public var coordinatorsCheck: String?
    public var deadlineCheck: String?
    public var outputCheck: String?

    public init(
        code: String, isSub: Bool, title: String, lead: String, coordinators: String, deadlineText: String,
        deadlineMeaning: String, deadlineUnknown: Bool, output: String
    ) {
        self.code = code
        self.isSub = isSub
        self.title = title
        self.lead = lead
        self.coordinators = coordinators
        self.deadlineText = deadlineText
        self.deadlineMeaning = deadlineMeaning
        self.deadlineUnknown = deadlineUnknown
        self.output = output
    }
}

/// Xem trước: what a file holds and what importing it would do; the confirm form carries the file.
public struct CataloguePreviewPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var fileName: String
    public var formatText: String
    public var sizeText: String
    public var number: String
    public var dateText: String
    public var issuer: String
    public var title: String
    /// "119 dòng nhiệm vụ (94 nhiệm vụ, 25 nhiệm vụ con); văn bản ghi 95 nhiệm vụ".
    public var countText: String
    /// "Tạo kế hoạch mới …" or "Cập nhật kế hoạch …".
    public var actionText: String
    public let createsPlan: Bool
    public let isUnchanged: Bool
    /// What would change in a stored plan, one sentence each.
    public var changes: [String]
    public let hasChanges: Bool
    public var planHref: String
    public var parts: [PreviewPartRow]
    public let hasParts: Bool
    public var findingCountText: String
    public var findings: [FindingRowModel]
    public let hasFindings: Bool
    public var rows: [PreviewAssignmentRow]
    public var rowsText: String
    /// Carried to the confirmation: the file in base64, the number given, and their seal.
    public var confirmAction: String
    public var fileData: String
    public var givenNumber: String
    public var givenDate = ""
    public var givenIssuer = ""
    /// An amendment: the plan it amends, whether it ends the tasks it does not list, and each change of wording.
    public var givenKind = ""
    public var givenTarget = ""
    public var givenMissing = ""
    public var givenTask = ""
    public var isImplementation = false
    public var isAmendment = false
    public var fieldChanges: [AmendmentChangeRow] = [] { didSet { hasFieldChanges = !fieldChanges.isEmpty } }
    public private(set) var hasFieldChanges = false
    public var seal: String
    public var againHref: String

    public init(
        layout: Layout, csrf: String, fileName: String, formatText: String, sizeText: String, number: String,
        dateText: String, issuer: String, title: String, countText: String, actionText: String, createsPlan: Bool,
        isUnchanged: Bool, changes: [String], planHref: String, parts: [PreviewPartRow],
        findingCountText: String, findings: [FindingRowModel], rows: [PreviewAssignmentRow], rowsText: String,
        confirmAction: String, fileData: String, givenNumber: String, seal: String, againHref: String
    ) {
        self.layout = layout
        self.csrf = csrf
        self.fileName = fileName
        self.formatText = formatText
        self.sizeText = sizeText
        self.number = number
        self.dateText = dateText
        self.issuer = issuer
        self.title = title
        self.actionText = actionText
        self.createsPlan = createsPlan
        self.isUnchanged = isUnchanged
        self.changes = changes
        self.hasChanges = !changes.isEmpty
        self.planHref = planHref
        self.parts = parts
        self.hasParts = !parts.isEmpty
        self.countText = countText
        self.findingCountText = findingCountText
        self.findings = findings
        self.hasFindings = !findings.isEmpty
        self.rows = rows
        self.rowsText = rowsText
        self.confirmAction = confirmAction
        self.fileData = fileData
        self.givenNumber = givenNumber
        self.seal = seal
        self.againHref = againHref
    }
}

/// Đã nạp: what the import did.
public struct CatalogueImportedPage: Sendable {
    public var layout: Layout
    public var heading: String
    public var lines: [String]
    public var planHref: String
    public var findingsHref: String
    public var importHref: String

    public init(
        layout: Layout, heading: String, lines: [String], planHref: String, findingsHref: String, importHref: String
    ) {
        self.layout = layout
        self.heading = heading
        self.lines = lines
        self.planHref = planHref
        self.findingsHref = findingsHref
        self.importHref = importHref
    }
}

/// One field an amendment changes, on its preview.
public struct AmendmentChangeRow: Sendable {
    public var code: String
    public var field: String
    public var before: String
    public var after: String

    public init(code: String, field: String, before: String, after: String) {
        self.code = code
        self.field = field
        self.before = before
        self.after = after
    }
}
