import TheodoiCore

/// Danh mục nhiệm vụ: what a catalogue says, as read from one document, with what the reader noticed.
public struct Catalogue: Sendable, Hashable {
    public var plan: PlanHeader
    public var parts: [Part]
    /// Groups of a catalogue that has no parts (with parts, groups live in their part).
    public var groups: [Group]
    /// Every row in document order: assignments and sub-assignments.
    public var assignments: [Assignment]
    /// Ordered by line.
    public var findings: [Finding]
    /// The format the text was read as.
    public var format: CatalogueFormat

    /// Quyết định / Kế hoạch: the decision the catalogue is the appendix of.
    public struct PlanHeader: Sendable, Hashable {
        /// "343-QĐ/TU".
        public var number: String?
        public var date: LocalDate?
        /// "Ban Thường vụ Tỉnh ủy".
        public var issuer: String?
        public var title: String?
        /// The task count the title declares ("95 nhiệm vụ …").
        public var declaredCount: Int?

        public init(
            number: String? = nil, date: LocalDate? = nil, issuer: String? = nil, title: String? = nil,
            declaredCount: Int? = nil
        ) {
            self.number = number
            self.date = date
            self.issuer = issuer
            self.title = title
            self.declaredCount = declaredCount
        }
    }

    /// Nhóm nhiệm vụ A/B/C: a top section with the count of tasks the document declares for it.
    public struct Part: Sendable, Hashable {
        public var code: String
        public var title: String
        public var declaredCount: Int?
        /// Top-level assignments found in the part (sub-assignments roll into their parent).
        public var foundCount: Int
        public var groups: [Group]
        public var line: Int
    }

    /// Nhóm I–V: an optional subsection of a part.
    public struct Group: Sendable, Hashable {
        public var code: String
        public var title: String
        public var line: Int
    }

    /// Nhiệm vụ: one row of the catalogue.
    public struct Assignment: Sendable, Hashable {
        /// "A.17.1": part code, a dot and the number; the number alone when there are no parts.
        public var code: String
        public var part: String?
        public var group: String?
        /// "17.1", as written without a trailing dot.
        public var number: String
        /// "A.17" for "A.17.1"; nil for a top-level assignment.
        public var parent: String?
        public var title: String
        public var leadText: String
        public var lead: [AgencyReference]
        public var coordinatorsText: String
        public var coordinators: [AgencyReference]
        public var deadline: Deadline
        public var output: String
        /// The line the row starts on.
        public var line: Int

        /// Whether this is a sub-assignment (17.1 under 17).
        public var isSubAssignment: Bool { parent != nil }
    }
}

/// A body named in an agency cell: a directory agency, an unknown body added as written, or a generic
/// group such as "Các sở, ngành liên quan".
public struct AgencyReference: Sendable, Hashable {
    /// The canonical name for a directory agency; the text as written otherwise.
    public var name: String
    /// A generic group ("các địa phương"), not an agency.
    public var generic: Bool
    /// The directory kind; `.unknown` for a body not in the directory; nil for a generic group.
    public var kind: AgencyKind?

    public init(name: String, generic: Bool, kind: AgencyKind?) {
        self.name = name
        self.generic = generic
        self.kind = kind
    }
}

/// The formats a catalogue can come in (DESIGN §4.1). XLSX is read into a `CatalogueTable` outside
/// this module (which has no ZIP reader) and parsed with `CatalogueParser.parse(table:)`.
public enum CatalogueFormat: String, Sendable, Hashable, CaseIterable, Codable {
    case auto
    case pdfText = "pdf-text"
    case csv, tsv, markdown, html, xlsx, docx
}
