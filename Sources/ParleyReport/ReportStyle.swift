/// The report's style sheet: one column on a phone, chart and table side by side from 860 px, print rules
/// (a page per section, nothing cut across pages), and the series palette (Okabe and Ito's, told apart by
/// people with colour-vision deficiencies; every series also has a name, and lines a dash and a marker).
enum ReportStyle {
    /// Series colours, in series order.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#7A6A00", "#4D4D4D"]

    /// The whole style sheet.
    static var css: String {
        var css = """
            :root{--ink:#1b2430;--muted:#586272;--line:#dde2e8;--paper:#fff;--good:#17663a;--bad:#a8201a}
            *{box-sizing:border-box}
            html{-webkit-text-size-adjust:100%}
            body{margin:0;background:#f3f5f8;color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",\
            Roboto,"Helvetica Neue",Arial,sans-serif}
            main{max-width:1120px;margin:0 auto;padding:12px}
            header.top{padding:18px 4px 6px}
            .eyebrow{margin:0;color:var(--muted);font-size:13px;letter-spacing:.06em;text-transform:uppercase}
            h1{margin:2px 0 4px;font-size:28px;line-height:1.15}
            h2{margin:0 0 4px;font-size:19px}
            h3{margin:0;font-size:13px;font-weight:600;color:var(--muted)}
            p{margin:0 0 8px}
            .lede{color:var(--muted);margin:0}
            section{background:var(--paper);border:1px solid var(--line);border-radius:12px;padding:16px;\
            margin:14px 0;overflow-wrap:break-word}
            .note{color:var(--muted);font-style:italic}
            .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(148px,1fr));gap:10px;margin-top:10px}
            .card{border:1px solid var(--line);border-radius:10px;padding:10px 12px}
            .value{font-size:24px;font-weight:650;margin:2px 0;font-variant-numeric:tabular-nums}
            .change{font-size:13px;margin:0;font-weight:600}
            .change.good{color:var(--good)}.change.bad{color:var(--bad)}.change.neutral{color:var(--muted)}
            .prev{font-size:12px;color:var(--muted);margin:2px 0 0}
            figure{margin:12px 0 0;display:grid;gap:14px;grid-template-columns:minmax(0,1fr)}
            figcaption{color:var(--muted);font-size:14px}
            @media (min-width:860px){figure{grid-template-columns:minmax(0,1fr) minmax(0,1fr);align-items:start}\
            figcaption{grid-column:1/-1}}
            .chart-box,.numbers{min-width:0}
            .numbers .lede{font-size:12px;margin-top:6px}
            svg.chart{display:block;width:100%;height:auto;max-width:640px}
            .chart text{font-size:14px;fill:var(--muted)}
            .chart .empty{font-size:16px;font-style:italic}
            .chart .grid{stroke:#e4e8ee;stroke-width:1}
            .chart .line{fill:none;stroke-width:2.5;stroke-linejoin:round}
            .chart .marker{stroke:#fff;stroke-width:1.5}
            .chart .dash1{stroke-dasharray:7 4}.chart .dash2{stroke-dasharray:2 3}
            .chart .target{stroke:var(--bad);stroke-width:1.5;stroke-dasharray:9 5}
            .chart .target-label{fill:var(--bad);font-weight:600;stroke:#fff;stroke-width:4px;paint-order:stroke;\
            stroke-linejoin:round}
            .legend{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px}
            .legend li{display:flex;align-items:center;gap:6px}
            .legend svg{width:28px;height:12px;flex:none}
            .swatch{display:inline-block;width:12px;height:12px;border-radius:2px}
            .table-box{overflow-x:auto;min-width:0}
            table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
            th,td{padding:5px 6px;border-bottom:1px solid var(--line);text-align:right;vertical-align:top}
            th,td{white-space:nowrap}
            th{font-weight:600;color:var(--muted)}
            td.text{white-space:normal;min-width:7em;overflow-wrap:break-word}
            th:first-child,td:first-child{text-align:left}
            td.text,th.text{text-align:left}
            tfoot td{font-weight:650;border-top:2px solid var(--line)}
            footer{color:var(--muted);font-size:12px;padding:4px 4px 24px}
            code{font-size:12px}
            @media (max-width:480px){main{padding:8px}section{padding:12px}h1{font-size:24px}\
            .value{font-size:21px}table{font-size:12px}th,td{padding:4px 4px}}
            @media print{body{background:#fff;font-size:11pt}main{max-width:none;padding:0}\
            section{border:none;border-radius:0;padding:0;margin:0 0 12pt;break-before:page}\
            section.first{break-before:auto}figure,table,tr,.card,.cards{break-inside:avoid}\
            .table-box{overflow:visible}svg.chart{max-width:16cm}a{color:inherit}}

            """
        for (index, colour) in palette.enumerated() {
            css += ".chart .s\(index){fill:\(colour);stroke:\(colour)}.chart .line.s\(index){fill:none}"
            css += ".legend .s\(index){background:\(colour);stroke:\(colour);fill:\(colour)}\n"
        }
        return css
    }
}
