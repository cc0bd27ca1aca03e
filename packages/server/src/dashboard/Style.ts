import { html } from "./Html.ts"

// The page's only stylesheet, inline: no external asset is ever fetched. Our own markup, so built with
// `html` (its text is not escaped). Mobile first; four cards a row and two charts from tablet width up.
export const css = html`
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#e3e7ec;--bg:#f5f7f9;--card:#fff;--accent:#0f766e}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif}
header{background:var(--accent);color:#fff;padding:16px 16px 14px}
header .bar{display:flex;justify-content:space-between;align-items:flex-start;gap:12px;max-width:1120px;margin:0 auto}
h1{font-size:1.25rem;line-height:1.3;margin:0}
header p{margin:4px 0 0;opacity:.9;font-size:.9rem}
header a{color:#fff;border:1px solid rgba(255,255,255,.6);border-radius:999px;padding:3px 12px;text-decoration:none;white-space:nowrap;font-size:.9rem}
main{max-width:1120px;margin:0 auto;padding:8px 12px 24px}
h2{font-size:1.05rem;margin:22px 4px 10px}
.cards{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:10px}
.card{background:var(--card);border-radius:10px;padding:12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.card .value{font-size:1.6rem;font-weight:650;color:var(--accent);font-variant-numeric:tabular-nums;line-height:1.2}
.card .label{font-size:.88rem;margin-top:4px}
.card .covers{font-size:.74rem;color:var(--muted);margin-top:2px}
.charts{display:grid;grid-template-columns:minmax(0,1fr);gap:12px}
.chart{background:var(--card);border-radius:10px;margin:0;padding:12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.chart figcaption{font-weight:600;font-size:.95rem;margin-bottom:6px}
.chart svg{display:block;width:100%;height:auto}
.chart text{font-size:12px;fill:var(--ink);font-family:inherit}
.chart .value{text-anchor:middle;font-size:11px;fill:var(--muted)}
.chart .value.line{font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px}
.chart .value.end{text-anchor:start}
.chart .tick{text-anchor:middle;fill:var(--muted)}
.chart .group{font-weight:600;font-size:13px}
.chart .row-label{font-size:12px;fill:var(--muted)}
.chart .axis{stroke:var(--line);stroke-width:1}
.chart .empty{color:var(--muted);margin:8px 0}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;padding:0;margin:6px 0 0;font-size:.8rem;color:var(--muted)}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;background:var(--c);margin-right:5px;vertical-align:-1px}
.swatch.line{height:3px;border-radius:0;vertical-align:3px;width:14px}
.scroll{overflow-x:auto;background:var(--card);border-radius:10px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
table{border-collapse:collapse;width:100%;font-size:.86rem}
th,td{padding:8px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:.8rem;background:#fafbfc}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.n{white-space:nowrap}
table.stations th:first-child,table.stations td:first-child{position:sticky;left:0;background:var(--card);min-width:7.5em}
table.stations th:first-child{background:#fafbfc}
table.stations tr.total td{font-weight:650;border-top:2px solid var(--line)}
table.figures td.id{color:var(--muted);white-space:nowrap}
table.figures small{display:block;color:var(--muted);font-size:.78rem;margin-top:2px}
.date{white-space:nowrap}
footer{max-width:1120px;margin:0 auto;padding:0 16px 24px;color:var(--muted);font-size:.8rem}
@media (min-width:720px){
  h1{font-size:1.5rem}
  .cards{grid-template-columns:repeat(4,minmax(0,1fr))}
  .charts{grid-template-columns:repeat(2,minmax(0,1fr))}
  main{padding:8px 20px 32px}
}
`
