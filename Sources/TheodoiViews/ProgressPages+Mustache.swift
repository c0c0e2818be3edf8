import Mustache

// The assignment page's progress panel and timeline answer Mustache's lookups directly (no Mirror):
// a long history is most of that page.

extension ProgressPanel: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "csrf": csrf
        case "notice": notice
        case "errors": errors
        case "actions": actions
        case "blocked": blocked
        case "awaitingReview": awaitingReview
        case "pendingExtension": pendingExtension
        case "extensionForm": extensionForm
        case "dueForm": dueForm
        case "corrections": corrections
        case "hasCorrections": hasCorrections
        case "periods": periods
        case "timeline": timeline
        case "historyHref": historyHref
        case "hasHistory": !historyHref.isEmpty
        case "hasActions": hasActions
        case "hasPeriods": hasPeriods
        case "hasTimeline": hasTimeline
        case "hasNotice": hasNotice
        case "hasBlocked": hasBlocked
        default: nil
        }
    }
}

extension TimelineItem: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "kind": kind
        case "anchor": anchor
        case "when": when
        case "heading": heading
        case "byline": byline
        case "stateLabel": stateLabel
        case "fields": fields
        case "evidence": evidence
        case "attachments": attachments
        case "href": href
        case "linkLabel": linkLabel
        case "hasEvidence": hasEvidence
        case "hasAttachments": hasAttachments
        case "hasLink": hasLink
        case "hasStateLabel": hasStateLabel
        default: nil
        }
    }
}

extension FileLink: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "id": id
        case "name": name
        case "href": href
        case "sizeText": sizeText
        case "checked": checked
        default: nil
        }
    }
}

extension ActionLink: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "label": label
        case "href": href
        case "hint": hint
        default: nil
        }
    }
}

extension PeriodRow: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "range": range
        case "reported": reported
        case "reportsText": reportsText
        case "current": current
        default: nil
        }
    }
}

extension CorrectionForm: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "action": action
        case "heading": heading
        case "hint": hint
        case "reasonLabel": reasonLabel
        case "buttonLabel": buttonLabel
        case "reasonValue": reasonValue
        case "errors": errors
        case "idPrefix": idPrefix
        case "open": errors.hasAny
        default: nil
        }
    }
}

extension InlineForm: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "action": action
        case "heading": heading
        case "hint": hint
        case "dateValue": dateValue
        case "reasonValue": reasonValue
        case "errors": errors
        case "idPrefix": idPrefix
        case "open": errors.hasAny
        default: nil
        }
    }
}

extension PendingExtensionModel: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "text": text
        case "decideAction": decideAction
        case "canDecide": canDecide
        case "errors": errors
        default: nil
        }
    }
}
