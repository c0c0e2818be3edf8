// Charts drawn on the server as SVG: no script, readable without colour (each series has its own
// pattern and its numbers written on it), every bar a link to the rows behind it. Geometry only;
// the page puts the table behind each chart beside it as the text alternative.

/// One series of a chart: its name, colour and pattern (so it reads in black and white too).
public struct ChartSeries: Sendable {
    public var name: String
    /// A CSS class on the shapes (colour comes from the stylesheet).
    public var cssClass: String
    /// The fill pattern's id: "solid", "hatch", "dots", "cross", "back" or "grid".
    public var pattern: String

    public init(name: String, cssClass: String, pattern: String) {
        self.name = name
        self.cssClass = cssClass
        self.pattern = pattern
    }
}

/// A value with the link to the rows it counts.
public struct ChartValue: Sendable {
    public var value: Int
    public var href: String

    public init(_ value: Int, href: String) {
        self.value = value
        self.href = href
    }
}

/// Server-drawn SVG charts.
public enum Charts {
    /// Escapes text for XML content and attributes.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Pattern definitions shared by every chart on a page (drawn over the series colour).
    static func patterns(_ prefix: String) -> String {
        """
        <defs>\
        <pattern id="\(prefix)-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="pattern-line" stroke-width="2.5"/></pattern>\
        <pattern id="\(prefix)-back" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><line x1="0" y1="0" x2="0" y2="6" class="pattern-line" stroke-width="2.5"/></pattern>\
        <pattern id="\(prefix)-dots" width="6" height="6" patternUnits="userSpaceOnUse"><circle cx="3" cy="3" r="1.4" class="pattern-dot"/></pattern>\
        <pattern id="\(prefix)-cross" width="7" height="7" patternUnits="userSpaceOnUse"><path d="M0 0L7 7M7 0L0 7" class="pattern-line" stroke-width="1.2"/></pattern>\
        <pattern id="\(prefix)-grid" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0 3H6M3 0V6" class="pattern-line" stroke-width="1"/></pattern>\
        </defs>
        """
    }

    /// A rectangle in the series' colour, with its pattern drawn over it.
    static func box(x: String, y: String, width: String, height: String, _ series: ChartSeries, _ prefix: String) -> String {
        let base = "<rect x=\(x) y=\(y) width=\(width) height=\(height) class=\"\(series.cssClass)\"/>"
        guard series.pattern != "solid" else { return base }
        return base
            + "<rect x=\(x) y=\(y) width=\(width) height=\(height) class=\"overlay\" fill=\"url(#\(prefix)-\(series.pattern))\"/>"
    }

    /// Horizontal stacked bars: one row per category, one segment per series, each a link.
    /// The legend is drawn above; numbers are written inside segments wide enough, beside otherwise.
    public static func stackedBars(
        id: String, title: String, categories: [(label: String, values: [ChartValue])], series: [ChartSeries]
    ) -> String {
        let width = 760.0
        let labelWidth = 170.0
        let barArea = width - labelWidth - 50
        let rowHeight = 34.0
        let legendHeight = 26.0 * Double((series.count + 2) / 3)
        let height = legendHeight + rowHeight * Double(categories.count) + 10
        let maxTotal = max(1, categories.map { $0.values.reduce(0) { $0 + $1.value } }.max() ?? 1)
        var svg =
            "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" aria-labelledby=\"\(id)-title\" preserveAspectRatio=\"xMinYMin meet\">"
            + "<title id=\"\(id)-title\">\(escaped(title))</title>" + patterns(id)
        for (index, item) in series.enumerated() {
            let x = Double(index % 3) * 250
            let y = Double(index / 3) * 26
            svg +=
                box(x: quoted(x), y: quoted(y + 4), width: "\"18\"", height: "\"14\"", item, id)
                + "<text x=\"\(x + 24)\" y=\"\(y + 16)\" class=\"legend\">\(escaped(item.name))</text>"
        }
        for (row, category) in categories.enumerated() {
            let y = legendHeight + Double(row) * rowHeight
            svg += "<text x=\"0\" y=\"\(y + 21)\" class=\"axis-label\">\(escaped(category.label))</text>"
            var x = labelWidth
            for (index, value) in category.values.enumerated() where value.value > 0 {
                let segment = barArea * Double(value.value) / Double(maxTotal)
                let item = series[index]
                svg +=
                    "<a href=\"\(escaped(value.href))\"><title>\(escaped(category.label)): \(escaped(item.name)) \(value.value)</title>"
                    + box(x: quoted(x), y: quoted(y + 4), width: quoted(max(segment, 1.5)), height: "\"24\"", item, id)
                if segment >= 22 {
                    svg +=
                        "<text x=\(quoted(x + segment / 2)) y=\"\(y + 21)\" class=\"bar-value\" text-anchor=\"middle\">\(value.value)</text>"
                }
                svg += "</a>"
                x += segment
            }
            let total = category.values.reduce(0) { $0 + $1.value }
            svg += "<text x=\(quoted(x + 6)) y=\"\(y + 21)\" class=\"bar-total\">\(total)</text>"
        }
        return svg + "</svg>"
    }

    /// Vertical grouped bars per period (e.g. due and completed per month), each bar a link,
    /// its number written above it.
    public static func groupedBars(
        id: String, title: String, periods: [(label: String, values: [ChartValue])], series: [ChartSeries]
    ) -> String {
        let groupWidth = max(34.0, min(60.0, 720.0 / Double(max(1, periods.count))))
        let barWidth = (groupWidth - 6) / Double(max(1, series.count))
        let chartHeight = 180.0
        let top = 46.0
        let width = max(760.0, 40 + groupWidth * Double(periods.count))
        let height = top + chartHeight + 46
        let maxValue = max(1, periods.flatMap { $0.values.map(\.value) }.max() ?? 1)
        var svg = open(id: id, title: title, width: width, height: height) + patterns(id)
        for (index, item) in series.enumerated() {
            let x = Double(index) * 220
            svg +=
                box(x: quoted(x), y: "\"4\"", width: "\"18\"", height: "\"14\"", item, id)
                + "<text x=\"\(x + 24)\" y=\"16\" class=\"legend\">\(escaped(item.name))</text>"
        }
        svg +=
            "<line x1=\"30\" y1=\(quoted(top + chartHeight)) x2=\(quoted(width)) y2=\(quoted(top + chartHeight)) class=\"axis\"/>"
        for (index, period) in periods.enumerated() {
            let groupX = 34 + Double(index) * groupWidth
            for (seriesIndex, value) in period.values.enumerated() {
                let item = series[seriesIndex]
                let barHeight = chartHeight * Double(value.value) / Double(maxValue)
                let x = groupX + Double(seriesIndex) * barWidth
                let y = top + chartHeight - barHeight
                if value.value > 0 {
                    svg +=
                        "<a href=\"\(escaped(value.href))\"><title>\(escaped(period.label)): \(escaped(item.name)) \(value.value)</title>"
                        + box(
                            x: quoted(x), y: quoted(y), width: quoted(max(barWidth - 1, 2)), height: quoted(max(barHeight, 1)),
                            item, id)
                        + "</a>"
                        + "<text x=\(quoted(x + barWidth / 2)) y=\(quoted(y - 3)) class=\"bar-small\" text-anchor=\"middle\">\(value.value)</text>"
                }
            }
            svg +=
                "<text x=\(quoted(groupX + groupWidth / 2 - 3)) y=\(quoted(top + chartHeight + 16)) class=\"axis-small\" text-anchor=\"middle\">\(escaped(period.label))</text>"
        }
        return svg + "</svg>"
    }

    /// Lines over time (e.g. cumulative due and done by each month's end), each point labelled.
    public static func lines(
        id: String, title: String, points: [(label: String, values: [Int])], series: [ChartSeries]
    ) -> String {
        let step = max(34.0, min(60.0, 700.0 / Double(max(1, points.count))))
        let chartHeight = 180.0
        let top = 46.0
        let width = max(760.0, 60 + step * Double(points.count))
        let height = top + chartHeight + 46
        let maxValue = max(1, points.flatMap(\.values).max() ?? 1)
        var svg = open(id: id, title: title, width: width, height: height)
        let dashes = ["", " stroke-dasharray=\"6 4\"", " stroke-dasharray=\"2 3\""]
        for (index, item) in series.enumerated() {
            let x = Double(index) * 260
            svg +=
                "<line x1=\"\(x)\" y1=\"11\" x2=\"\(x + 22)\" y2=\"11\" class=\"line \(item.cssClass)\"\(dashes[index % 3])/>"
                + "<text x=\"\(x + 28)\" y=\"16\" class=\"legend\">\(escaped(item.name))</text>"
        }
        svg +=
            "<line x1=\"30\" y1=\(quoted(top + chartHeight)) x2=\(quoted(width)) y2=\(quoted(top + chartHeight)) class=\"axis\"/>"
        for seriesIndex in series.indices {
            var path = ""
            for (index, point) in points.enumerated() {
                let x = 40 + Double(index) * step
                let y = top + chartHeight - chartHeight * Double(point.values[seriesIndex]) / Double(maxValue)
                path += (index == 0 ? "M" : "L") + "\(format(x)) \(format(y))"
            }
            svg += "<path d=\"\(path)\" class=\"line \(series[seriesIndex].cssClass)\"\(dashes[seriesIndex % 3]) fill=\"none\"/>"
            for (index, point) in points.enumerated() {
                let x = 40 + Double(index) * step
                let value = point.values[seriesIndex]
                let y = top + chartHeight - chartHeight * Double(value) / Double(maxValue)
                let marker =
                    seriesIndex == 0
                    ? "<circle cx=\(quoted(x)) cy=\(quoted(y)) r=\"3.5\" class=\"point \(series[seriesIndex].cssClass)\"/>"
                    : "<rect x=\(quoted(x - 3.5)) y=\(quoted(y - 3.5)) width=\"7\" height=\"7\" class=\"point \(series[seriesIndex].cssClass)\"/>"
                svg += marker
                if index == points.count - 1 || points.count <= 14 {
                    svg +=
                        "<text x=\(quoted(x)) y=\(quoted(seriesIndex == 0 ? y - 7 : y + 15)) class=\"bar-small\" text-anchor=\"middle\">\(value)</text>"
                }
            }
        }
        for (index, point) in points.enumerated() {
            let x = 40 + Double(index) * step
            svg +=
                "<text x=\(quoted(x)) y=\(quoted(top + chartHeight + 16)) class=\"axis-small\" text-anchor=\"middle\">\(escaped(point.label))</text>"
        }
        return svg + "</svg>"
    }

    /// The opening tag: charts wider than the page keep their natural size and scroll sideways.
    static func open(id: String, title: String, width: Double, height: Double) -> String {
        let wide = width > 800
        return "<svg class=\"chart\(wide ? " wide" : "")\" viewBox=\"0 0 \(Int(width)) \(Int(height))\""
            + (wide ? " width=\"\(Int(width))\" height=\"\(Int(height))\"" : "")
            + " aria-labelledby=\"\(id)-title\" preserveAspectRatio=\"xMinYMin meet\">"
            + "<title id=\"\(id)-title\">\(escaped(title))</title>"
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func quoted(_ value: Double) -> String { "\"\(format(value))\"" }
}
