import TheodoiCore

/// Quyết định sửa đổi, bổ sung: a later decision that adds, changes or ends tasks of a plan.
public struct AmendmentRecord: Sendable, Hashable {
    public var id: Int
    /// Its own number ("400-QĐ/TU").
    public var number: String
    /// The day it was issued: its changes hold from that day.
    public var issuedOn: LocalDate
    public var sourceName: String
    /// Tasks it added, changed and ended.
    public var added: Int
    public var changed: Int
    public var ended: Int

    public init(id: Int, number: String, issuedOn: LocalDate, sourceName: String, added: Int, changed: Int, ended: Int) {
        self.id = id
        self.number = number
        self.issuedOn = issuedOn
        self.sourceName = sourceName
        self.added = added
        self.changed = changed
        self.ended = ended
    }

    /// "Quyết định số 400-QĐ/TU ngày 15/03/2026".
    public var citation: String { "Quyết định số \(number) ngày \(issuedOn.vietnameseShort)" }
}

/// What a task says: the fields an amendment may change.
public struct AssignmentWording: Sendable, Hashable {
    public var title: String
    public var leadText: String
    public var lead: [AgencyLink]
    public var coordinatorsText: String
    public var coordinators: [AgencyLink]
    public var deadline: Deadline
    public var output: String

    public init(
        title: String, leadText: String, lead: [AgencyLink], coordinatorsText: String, coordinators: [AgencyLink],
        deadline: Deadline, output: String
    ) {
        self.title = title
        self.leadText = leadText
        self.lead = lead
        self.coordinatorsText = coordinatorsText
        self.coordinators = coordinators
        self.deadline = deadline
        self.output = output
    }

    /// The Vietnamese names of the fields an amendment compares, in the order of `values`.
    public static let fieldNames = ["nội dung", "chủ trì", "phối hợp", "thời hạn", "sản phẩm"]

    /// The compared values, as written.
    public var values: [String] { [title, leadText, coordinatorsText, deadline.text, output] }
}

/// One amendment's mark on a task: added by it, changed by it (with what the task said before), or ended by it.
public struct AssignmentVersion: Sendable, Hashable {
    public enum Change: String, Sendable {
        case added, changed, ended
    }

    public var change: Change
    /// The amending decision's number and the day its change holds from.
    public var amendment: String
    public var takesEffect: LocalDate
    /// The Vietnamese names of the fields it changed.
    public var fields: [String]
    /// What the task said until then (a change only).
    public var before: AssignmentWording?

    public init(change: Change, amendment: String, takesEffect: LocalDate, fields: [String], before: AssignmentWording?) {
        self.change = change
        self.amendment = amendment
        self.takesEffect = takesEffect
        self.fields = fields
        self.before = before
    }
}

/// Every amendment of one task, oldest first, with what it says now: enough to tell what it said,
/// and whether it was in force, on any date.
public struct AmendmentTrail: Sendable, Hashable {
    public var versions: [AssignmentVersion]
    public var current: AssignmentWording

    public init(versions: [AssignmentVersion], current: AssignmentWording) {
        self.versions = versions
        self.current = current
    }

    /// The amendment that added the task, if one did.
    public var added: AssignmentVersion? { versions.first { $0.change == .added } }
    /// The amendment that ended it (bãi bỏ), if one did.
    public var ended: AssignmentVersion? { versions.last { $0.change == .ended } }
    /// The changes of wording, oldest first.
    public var changes: [AssignmentVersion] { versions.filter { $0.change == .changed } }

    /// What the task said on a day: the wording before the first change that holds after it.
    public func wording(asOf date: LocalDate) -> AssignmentWording {
        versions.first { $0.change == .changed && $0.takesEffect > date }?.before ?? current
    }

    /// What the decision itself said, before any amendment (nil for a task an amendment added).
    public var original: AssignmentWording? {
        added == nil ? (changes.first?.before ?? current) : nil
    }

    /// Whether the task was one of the plan's on a day: added by then and not yet ended.
    public func inForce(on date: LocalDate) -> Bool {
        if let added, added.takesEffect > date { return false }
        if let ended, ended.takesEffect <= date { return false }
        return true
    }
}

extension AssignmentRecord {
    /// The fields an amendment may change.
    public var wording: AssignmentWording {
        get {
            AssignmentWording(
                title: title, leadText: leadText, lead: lead, coordinatorsText: coordinatorsText,
                coordinators: coordinators, deadline: deadline, output: output)
        }
        set {
            title = newValue.title
            leadText = newValue.leadText
            lead = newValue.lead
            coordinatorsText = newValue.coordinatorsText
            coordinators = newValue.coordinators
            deadline = newValue.deadline
            output = newValue.output
        }
    }

    /// The task as it stood on a day, or nil when it was not one of the plan's then (added later, or ended).
    public func asOf(_ date: LocalDate) -> AssignmentRecord? {
        guard let trail else { return self }
        guard trail.inForce(on: date) else { return nil }
        var record = self
        record.wording = trail.wording(asOf: date)
        return record
    }

    /// The deadline in force on a day.
    public func deadline(asOf date: LocalDate) -> Deadline {
        trail?.wording(asOf: date).deadline ?? deadline
    }

    /// The day an amendment ended the task, if one did.
    public var endedOn: LocalDate? { trail?.ended?.takesEffect }
    /// The day an amendment added the task, if one did.
    public var addedOn: LocalDate? { trail?.added?.takesEffect }
}
