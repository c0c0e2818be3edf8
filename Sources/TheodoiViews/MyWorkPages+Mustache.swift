import Mustache

// Keys read without reflection: Mirror lookups were four fifths of rendering an agency's work of
// thousands of rows (scripts/bench-province.sh).

extension MyWorkPage: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "layout": layout
        case "agencyName": agencyName
        case "asOfText": asOfText
        case "summary": summary
        case "groups": groups
        case "hasItems": hasItems
        case "plans": plans
        case "hasPlans": hasPlans
        case "agencyQuery": agencyQuery
        case "xlsxHref": xlsxHref
        case "csvHref": csvHref
        default: nil
        }
    }
}

extension MyWorkGroup: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "id": id
        case "heading": heading
        case "count": count
        case "daysHeading": daysHeading
        case "hasDays": hasDays
        case "rows": rows
        case "moreText": moreText
        case "moreHref": moreHref
        default: nil
        }
    }
}

extension MyWorkRow: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "planNumber": planNumber
        case "planHref": planHref
        case "code": code
        case "title": title
        case "href": href
        case "dueText": dueText
        case "daysText": daysText
        case "actionLabel": actionLabel
        case "actionHref": actionHref
        default: nil
        }
    }
}

extension MyWorkPlanLine: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "planNumber": planNumber
        case "href": href
        case "line": line
        default: nil
        }
    }
}

extension ProvincePage: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "layout": layout
        case "asOfText": asOfText
        case "yearOptions": yearOptions
        case "plans": plans
        case "hasPlans": hasPlans
        case "groups": groups
        case "chart": chart
        case "behind": behind
        case "hasBehind": hasBehind
        case "apiHref": apiHref
        default: nil
        }
    }
}

extension ProvincePlanGroup: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "issuer": issuer
        case "plans": plans
        case "count": plans.count
        default: nil
        }
    }
}

extension ProvincePlanRow: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "number": number
        case "title": title
        case "issuer": issuer
        case "dateText": dateText
        case "href": href
        case "sentence": sentence
        case "total": total
        case "done": done
        case "overdue": overdue
        case "overdueHref": overdueHref
        case "awaitingReview": awaitingReview
        case "reviewHref": reviewHref
        default: nil
        }
    }
}

extension ProvinceAgencyRow: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "overdue": overdue
        case "plans": plans
        default: nil
        }
    }
}

extension ProvinceAgencyPlan: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "number": number
        case "overdue": overdue
        case "href": href
        default: nil
        }
    }
}
