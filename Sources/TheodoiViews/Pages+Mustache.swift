import Mustache
import TheodoiCore

// Page models answer Mustache's lookups directly instead of through reflection (Mirror), which
// took most of the time of a large page. Each lists exactly the names its templates use.

extension Layout: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "title": title
        case "section": section
        case "planSlug": planSlug
        case "planNumber": planNumber
        case "dateQuery": dateQuery
        case "isPlan": isPlan
        case "isAgencies": isAgencies
        case "isFindings": isFindings
        case "isPlans": isPlans
        case "isReview": isReview
        case "isDashboard": isDashboard
        case "isReport": isReport
        case "refresh": refresh
        default: nil
        }
    }
}

extension Link: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "label": label
        case "linkHref": linkHref
        case "hasLink": hasLink
        // With a search, the label as HTML with its matches marked; templates test `labelHasMarks` first.
        case "labelHasMarks": labelMarks != nil
        case "labelMarked": labelMarks.map(MarkedHTML.html) ?? ""
        default: nil
        }
    }
}

extension Option: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}

extension StatusBadge: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "label": label
        case "code": code
        case "stage": stage
        case "overdueAtIssue": overdueAtIssue
        default: nil
        }
    }
}

extension AssignmentRowModel: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "code": code
        case "number": number
        case "href": href
        case "isSub": isSub
        case "title": title
        case "lead": lead
        case "coordinators": coordinators
        case "deadlineText": deadlineText
        case "dueText": dueText
        case "output": output
        case "status": status
        case "titleHasMarks": titleMarks != nil
        case "titleMarked": titleMarks.map(MarkedHTML.html) ?? ""
        default: nil
        }
    }
}

extension TableSection: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "code": code
        case "title": title
        case "isPart": isPart
        case "hasHeading": hasHeading
        case "rows": rows
        default: nil
        }
    }
}

extension CountCard: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "label": label
        case "count": count
        case "code": code
        case "href": href
        default: nil
        }
    }
}

extension Pagination: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "text": text
        case "previous": previous
        case "next": next
        case "isNeeded": isNeeded
        default: nil
        }
    }
}

extension PlanPage: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "layout": layout
        case "number": number
        case "dateText": dateText
        case "issuer": issuer
        case "title": title
        case "stageNotice": stageNotice
        case "amendmentLines": amendmentLines.isEmpty ? nil : amendmentLines
        case "isDemo": isDemo
        case "asOfISO": asOfISO
        case "asOfText": asOfText
        case "summarySentence": summarySentence
        case "cards": cards
        case "query": query
        case "agencyOptions": agencyOptions
        case "roleOptions": roleOptions
        case "partOptions": partOptions
        case "groupOptions": groupOptions
        case "timelinessOptions": timelinessOptions
        case "stageOptions": stageOptions
        case "monthOptions": monthOptions
        case "isFiltered": isFiltered
        case "clearHref": clearHref
        case "resultText": resultText
        case "sections": sections
        case "isEmpty": isEmpty
        case "pagination": pagination
        case "findingsCount": findingsCount
        case "hasFindings": hasFindings
        case "findingsHref": findingsHref
        case "apiHref": apiHref
        case "hasAPI": !apiHref.isEmpty
        case "xlsxHref": xlsxHref
        case "csvHref": csvHref
        default: nil
        }
    }
}

extension Field: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "label": label
        case "value": value
        default: nil
        }
    }
}

extension AssignmentPage: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "hasAPI": !apiHref.isEmpty
        case "layout": layout
        case "code": code
        case "title": title
        case "planHref": planHref
        case "planNumber": planNumber
        case "asOfISO": asOfISO
        case "asOfText": asOfText
        case "status": status
        case "stageLabel": stageLabel
        case "percent": percent
        case "location": location
        case "lead": lead
        case "leadText": leadText
        case "coordinators": coordinators
        case "coordinatorsText": coordinatorsText
        case "hasCoordinatorsText": hasCoordinatorsText
        case "deadline": deadline
        case "output": output
        case "parent": parent
        case "children": children
        case "hasChildren": hasChildren
        case "apiHref": apiHref
        case "progress": progress
        case "links": links
        case "amendmentNotice": amendmentNotice
        case "implementationHref": implementationHref
        case "amendments": amendments
        case "hasAmendments": hasAmendments
        default: nil
        }
    }
}

extension AgencyRowModel: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "href": href
        case "kind": kind
        case "led": led
        case "coordinated": coordinated
        case "overdue": overdue
        case "hasOverdue": hasOverdue
        case "rowsNote": rowsNote
        default: nil
        }
    }
}

extension AgenciesPage: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "layout": layout
        case "planNumber": planNumber
        case "asOfISO": asOfISO
        case "asOfText": asOfText
        case "rows": rows
        default: nil
        }
    }
}

extension AgencyPage: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "layout": layout
        case "name": name
        case "kind": kind
        case "planNumber": planNumber
        case "asOfISO": asOfISO
        case "asOfText": asOfText
        case "summarySentence": summarySentence
        case "led": led
        case "coordinated": coordinated
        case "hasLed": hasLed
        case "hasCoordinated": hasCoordinated
        case "planFilterHref": planFilterHref
        case "chart": chart
        case "overdue": overdue
        case "hasOverdue": hasOverdue
        case "scoreLine": scoreLine
        default: nil
        }
    }
}

extension ActionRow: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "code": code
        case "title": title
        case "href": href
        case "lead": lead
        case "dateText": dateText
        case "daysText": daysText
        case "status": status
        default: nil
        }
    }
}

extension FindingRowModel: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "line": line
        case "severity": severity
        case "severityCode": severityCode
        case "code": code
        case "message": message
        default: nil
        }
    }
}

extension FindingsPage: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "layout": layout
        case "planNumber": planNumber
        case "sourceName": sourceName
        case "countText": countText
        case "rows": rows
        case "isEmpty": isEmpty
        case "notice": notice
        case "corrections": corrections
        case "corrected": corrected
        case "correctAction": correctAction
        case "csrf": csrf
        case "hasCorrections": hasCorrections
        case "hasCorrected": hasCorrected
        default: nil
        }
    }
}

extension PlanRowModel: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "number": number
        case "href": href
        case "title": title
        case "dateText": dateText
        case "issuer": issuer
        case "assignments": assignments
        case "isDemo": isDemo
        case "summarySentence": summarySentence
        case "published": published
        case "publishHref": publishHref
        case "stage": stage
        case "implementsText": implementsText
        case "implementsHref": implementsHref
        default: nil
        }
    }
}

extension PlansPage: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "layout": layout
        case "plans": plans
        case "isEmpty": isEmpty
        case "csrf": csrf
        case "importHref": importHref
        case "notice": notice
        case "hasNotice": hasNotice
        default: nil
        }
    }
}

extension ErrorPage: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "layout": layout
        case "status": status
        case "heading": heading
        case "message": message
        case "requestID": requestID
        default: nil
        }
    }
}

extension PlanStageModel: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "code": code
        case "label": label
        case "text": text
        case "action": action
        case "actionTo": actionTo
        case "actionLabel": actionLabel
        case "from": from
        case "isActive": isActive
        default: nil
        }
    }
}
