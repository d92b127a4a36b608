import { DETECTOR_NAMES, type DetectorId } from '@keywatch/detect';
import type { Explanation, UsedValue } from './explain.ts';
import { esc, num, page, pct } from './html.ts';
import { dailySeries, heatMapRange, hourOfWeekCounts, type KeyData } from './model.ts';
import { keyPagePath } from './paths.ts';
import { barChartSvg, heatLegend, heatMapSvg } from './svg.ts';

const date = (t: string | null) => (t === null ? '—' : t.slice(0, 10));

function valueTable(caption: string, values: UsedValue[], valueHeader: string, labelHeader: string | null): string {
  if (values.length === 0) return `<h3>${esc(caption)}</h3><p class="muted">None recorded.</p>`;
  const rows = values
    .map(
      (v) =>
        `<tr><td class="mono${v.value.length <= 16 ? ' nw' : ''}">${esc(v.value)}</td>${labelHeader ? `<td>${esc(v.label ?? '')}</td>` : ''}<td class="n">${num(v.calls)}</td><td class="n">${pct(v.share)}</td><td class="nw">${date(v.firstSeen)}</td><td class="nw">${date(v.lastSeen)}</td></tr>`,
    )
    .join('');
  return `<table><caption class="muted" style="text-align:left"><h3 style="margin:.8em 0 .3em">${esc(caption)}</h3></caption><thead><tr><th scope="col">${esc(valueHeader)}</th>${labelHeader ? `<th scope="col">${esc(labelHeader)}</th>` : ''}<th scope="col" class="n">Calls</th><th scope="col" class="n">Share</th><th scope="col">First</th><th scope="col">Last</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function heatMapTable(cells: readonly number[]): string {
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const head = Array.from({ length: 24 }, (_, h) => `<th scope="col" class="n">${h}</th>`).join('');
  const rows = days
    .map(
      (d, i) =>
        `<tr><th scope="row">${d}</th>${cells
          .slice(i * 24, i * 24 + 24)
          .map((n) => `<td class="n">${n}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<details><summary>The heat map as a table</summary><div style="overflow-x:auto"><table class="hm-table"><thead><tr><th></th>${head}</tr></thead><tbody>${rows}</tbody></table></div></details>`;
}

function alertBlock(a: Explanation['recentAlerts'][number]): string {
  const evidence = Object.entries(a.evidence)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd class="mono">${esc(v)}</dd>`)
    .join('');
  const name = DETECTOR_NAMES[a.rule as DetectorId] ?? a.rule;
  return `<article class="alert sev-${esc(a.severity)}" id="alert-${esc(a.id)}"><p><span class="badge ${esc(a.severity)}">${esc(a.severity.toUpperCase())} ${a.risk}</span> <strong>${esc(name)}</strong> <code>${esc(a.rule)}</code> · <time datetime="${esc(a.time)}">${esc(a.time.replace('T', ' ').replace('.000Z', 'Z'))}</time>${a.count > 1 ? ` · ${num(a.count)} findings` : ''}</p><p>${esc(a.message)}</p>${evidence ? `<dl class="facts">${evidence}</dl>` : ''}<p class="muted mono">alert ${esc(a.id)} · events ${a.eventIds.map(esc).join(', ')}</p></article>`;
}

/** One key's page (written as `keys/<id>.html`, so links go up one level). */
export function keyPage(data: KeyData, e: Explanation, generatedAt: string): string {
  const d = e.declaration;
  const b = e.baseline;
  const s = e.status;
  const tz = d?.timezone ?? 'UTC';
  const badges = [
    e.declared ? '<span class="badge info">declared</span>' : '<span class="badge info">not in registry</span>',
    s.learning ? '<span class="badge medium">learning</span>' : '',
    s.pastRotation ? `<span class="badge high">past rotation (due ${esc(s.rotationDue)})</span>` : '',
    s.dormant ? `<span class="badge medium">dormant ${s.idleDays} days</span>` : '',
  ].join('');
  const facts = [
    ['Owner', d?.owner ?? '—'],
    ['Scope', d?.scope ?? 'not declared'],
    ['Timezone', tz],
    ['Business hours', d?.businessHours ?? 'not declared'],
    ['Created', d?.created ?? '—'],
    ['Rotation', d?.rotationDays ? `every ${d.rotationDays} days${s.rotationDue ? `, due ${s.rotationDue}` : ''}` : '—'],
    ['Tags', d?.tags.join(', ') || '—'],
  ]
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('');

  const cells = hourOfWeekCounts(data.days);
  const range = heatMapRange(data.days);
  const total = cells.reduce((a, c) => a + c, 0);
  const busiest = cells.indexOf(Math.max(...cells));
  const caption = range
    ? `${num(total)} calls from ${range.from} to ${range.to} by hour of week in ${tz}; the busiest hour is ${['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][Math.floor(busiest / 24)]} ${String(busiest % 24).padStart(2, '0')}:00 with ${num(cells[busiest] ?? 0)} calls.${d?.businessHours ? ` Declared business hours (${d.businessHours}) are outlined.` : ''}`
    : 'No daily history recorded for this key.';
  const series = dailySeries(data.days);
  const baseline = b
    ? `<dl class="facts"><dt>Calls</dt><dd>${num(b.calls)} from ${date(b.firstSeen)} to ${date(b.lastSeen)} (${b.learned ? 'learned' : 'still learning: new-value detectors are quiet'})</dd><dt>Usual volume</dt><dd>${b.usualHourlyCalls === null ? '—' : `${b.usualHourlyCalls.toFixed(1)} calls per active hour`}</dd><dt>Failures</dt><dd>${pct(b.failureShare)} of calls; usual authorization-failure share ${pct(b.authFailureShare)}</dd><dt>Writes</dt><dd>${num(b.writes)} (${pct(b.writeShare)} of calls)</dd><dt>Rhythm</dt><dd>${b.rhythm.map(esc).join('<br>')}</dd></dl>`
    : '<p>keywatch has no profile for this key.</p>';
  const feedback =
    e.feedback.length > 0
      ? `<h2>Feedback applied</h2><ul>${e.feedback.map((f) => `<li>${esc(new Date(f.at * 1000).toISOString())}: <strong>${esc(f.verdict)}</strong> on <a href="#alert-${esc(f.alertId)}">${esc(f.alertId)}</a>${f.note ? ` — ${esc(f.note)}` : ''}</li>`).join('')}</ul>`
      : '';
  const suppressions =
    e.suppressions.length > 0
      ? `<h2>Suppressions applied</h2><ul>${e.suppressions.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`
      : '';
  const body = `<nav><a href="../index.html">← All keys</a></nav>
<h1 class="mono">${esc(data.id)}</h1><p>${badges}</p>
<section aria-labelledby="decl"><h2 id="decl">Declaration</h2><dl class="facts">${facts}</dl></section>
<section aria-labelledby="week"><h2 id="week">Week rhythm (${esc(tz)})</h2><p class="muted">${esc(caption)}</p>${heatMapSvg(cells, data.info?.businessHours ?? null, caption)}${heatLegend(Math.max(0, ...cells))}${heatMapTable(cells)}</section>
<section aria-labelledby="base"><h2 id="base">Baseline</h2>${baseline}</section>
<section aria-labelledby="daily"><h2 id="daily">Calls per day</h2>${
    series.length > 0
      ? barChartSvg(
          series.map((x) => ({ label: x.day, value: x.calls })),
          { title: 'Calls per day', unit: 'calls', id: 'calls' },
        )
      : '<p class="muted">No daily history.</p>'
  }
<h2 id="fails">Failures over time</h2>${
    series.length > 0
      ? barChartSvg(
          series.map((x) => ({ label: x.day, value: x.failures })),
          { title: 'Failed calls per day', unit: 'failed calls', color: '#c53030', id: 'fail' },
        )
      : '<p class="muted">No daily history.</p>'
  }</section>
<section aria-labelledby="where"><h2 id="where">Where it calls from</h2><div class="cols"><div>${valueTable('Countries', b?.countries ?? [], 'Country', null)}</div><div>${valueTable('Networks (ASN)', b?.networks ?? [], 'ASN', 'Operator')}</div></div>${valueTable('Prefixes (/24, /48) and addresses', b?.prefixes ?? [], 'Prefix', null)}</section>
<section aria-labelledby="who"><h2 id="who">Clients and actions</h2>${valueTable('Clients', b?.clients ?? [], 'Family', 'Last user agent')}${valueTable('Actions', b?.actions ?? [], 'Action', 'Access')}</section>
${feedback}${suppressions}
<section aria-labelledby="alerts"><h2 id="alerts">Alerts (${e.recentAlerts.length}, newest first)</h2>${e.recentAlerts.length > 0 ? e.recentAlerts.map(alertBlock).join('') : '<p class="muted">No alerts recorded for this key.</p>'}</section>
<p class="muted">Generated by keywatch on ${esc(generatedAt)}.</p>`;
  return page(`${data.id} · keywatch`, body);
}

/** One row of the fleet index. */
export interface FleetRow {
  id: string;
  owner: string | null;
  maxRisk: number;
  alerts: number;
  lastAlert: string | null;
  calls: number;
  lastSeen: string | null;
  learning: boolean;
  pastRotation: boolean;
  dormant: boolean;
  idleDays: number;
}

export interface FleetSummary {
  generatedAt: string;
  /** ISO time the report is as of (the latest call in the state). */
  asOf: string;
  rows: FleetRow[];
  alertsByDayRule: { day: string; rule: string; n: number }[];
}

/** Keys by risk: highest alert risk first, then most alerts, then id. */
export function byRisk(a: FleetRow, b: FleetRow): number {
  return b.maxRisk - a.maxRisk || b.alerts - a.alerts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const PAGE_SIZE = 50;

function statusText(r: FleetRow): string {
  return [r.learning ? 'learning' : '', r.pastRotation ? 'past rotation' : '', r.dormant ? `dormant ${r.idleDays}d` : '']
    .filter(Boolean)
    .join(', ');
}

function keyList(title: string, id: string, rows: FleetRow[], note: string): string {
  const shown = rows.slice(0, 20);
  return `<section aria-labelledby="${id}"><h2 id="${id}">${esc(title)} (${num(rows.length)})</h2><p class="muted">${esc(note)}</p>${
    rows.length === 0
      ? ''
      : `<ul>${shown.map((r) => `<li><a class="mono" href="${esc(keyPagePath(r.id))}">${esc(r.id)}</a>${r.owner ? ` — ${esc(r.owner)}` : ''}</li>`).join('')}</ul>${rows.length > shown.length ? `<p class="muted">… and ${num(rows.length - shown.length)} more: search the table below.</p>` : ''}`
  }</section>`;
}

/**
 * The fleet index. Every key is a row of one table (readable and printable without script); the inline
 * script filters it by id or owner as you type and pages it 50 rows at a time.
 */
export function indexPage(f: FleetSummary): string {
  const rows = [...f.rows].sort(byRisk);
  const days = [...new Set(f.alertsByDayRule.map((x) => x.day))].sort();
  const perDay = days.map((day) => ({
    label: day,
    value: f.alertsByDayRule.filter((x) => x.day === day).reduce((a, x) => a + x.n, 0),
  }));
  const perRule = new Map<string, number>();
  for (const x of f.alertsByDayRule) perRule.set(x.rule, (perRule.get(x.rule) ?? 0) + x.n);
  const totalAlerts = perDay.reduce((a, x) => a + x.value, 0);
  const ruleRows = [...perRule]
    .sort((a, b) => b[1] - a[1])
    .map(
      ([rule, n]) =>
        `<tr><td><code>${esc(rule)}</code></td><td>${esc(DETECTOR_NAMES[rule as DetectorId] ?? '')}</td><td class="n">${num(n)}</td></tr>`,
    )
    .join('');
  const tableRows = rows

    .map((r) => {
      const search = `${r.id} ${r.owner ?? ''}`.toLowerCase();
      return `<tr data-s="${esc(search)}"><td><a class="mono" href="${esc(keyPagePath(r.id))}">${esc(r.id)}</a></td><td>${esc(r.owner ?? '—')}</td><td class="n">${r.maxRisk || '—'}</td><td class="n">${num(r.alerts)}</td><td class="n">${num(r.calls)}</td><td>${date(r.lastSeen)}</td><td>${esc(statusText(r))}</td></tr>`;
    })
    .join('\n');
  const body = `<h1>keywatch report</h1>
<p>${num(rows.length)} keys · ${num(totalAlerts)} alerts · as of ${esc(f.asOf.replace('T', ' ').replace('.000Z', 'Z'))} · generated ${esc(f.generatedAt)}</p>
<section aria-labelledby="apd"><h2 id="apd">Alerts per day (UTC)</h2>${perDay.length > 0 ? barChartSvg(perDay, { title: 'Alerts per day', unit: 'alerts', color: '#c53030', id: 'apd' }) : '<p class="muted">No alerts.</p>'}</section>
<section aria-labelledby="apr"><h2 id="apr">Alerts per rule</h2>${ruleRows ? `<table><thead><tr><th scope="col">Rule</th><th scope="col">Name</th><th scope="col" class="n">Alerts</th></tr></thead><tbody>${ruleRows}</tbody></table>` : '<p class="muted">No alerts.</p>'}</section>
<div class="cols">${keyList(
    'Keys still learning',
    'learning',
    rows.filter((r) => r.learning),
    'New-value detectors stay quiet until a key has enough history.',
  )}${keyList(
    'Keys past rotation',
    'rotation',
    rows.filter((r) => r.pastRotation),
    'Used past the rotation policy declared in the key registry.',
  )}${keyList(
    'Dormant keys',
    'dormant',
    rows.filter((r) => r.dormant),
    'Silent for at least the dormant_key threshold (30 days by default) as of this report.',
  )}</div>
<section aria-labelledby="keys"><h2 id="keys">Keys by risk</h2>
<div class="controls"><label for="q">Search keys by id or owner</label><input type="search" id="q" autocomplete="off" placeholder="AKIA…, team@…"><button type="button" id="prev">Previous</button><button type="button" id="next">Next</button><span id="status" role="status" aria-live="polite">${rows.length > PAGE_SIZE ? `Showing 1–${PAGE_SIZE} of ${num(rows.length)} keys` : `${num(rows.length)} keys`}</span></div>
<table id="keys-table"><thead><tr><th scope="col">Key</th><th scope="col">Owner</th><th scope="col" class="n">Risk</th><th scope="col" class="n">Alerts</th><th scope="col" class="n">Calls</th><th scope="col">Last call</th><th scope="col">Status</th></tr></thead><tbody>
${tableRows}
</tbody></table></section>`;
  return page('keywatch report', body, INDEX_SCRIPT);
}

/** Filters and pages the key table (without script every row shows). `#q=text` in the URL pre-fills the search. */
const INDEX_SCRIPT = `(function(){
var size=${PAGE_SIZE},rows=[].slice.call(document.querySelectorAll('#keys-table tbody tr')),q=document.getElementById('q'),
prev=document.getElementById('prev'),next=document.getElementById('next'),status=document.getElementById('status'),page=0,hits=rows;
function fmt(n){return n.toLocaleString('en-US')}
function show(){var pages=Math.max(1,Math.ceil(hits.length/size));if(page>=pages)page=pages-1;var from=page*size,to=Math.min(hits.length,from+size);
rows.forEach(function(r){r.hidden=true});for(var i=from;i<to;i++)hits[i].hidden=false;
prev.disabled=page===0;next.disabled=page>=pages-1;
status.textContent=hits.length===0?'No key matches':'Showing '+fmt(from+1)+'–'+fmt(to)+' of '+fmt(hits.length)+' keys'+(q.value?' matching':'');}
q.addEventListener('input',function(){var t=q.value.trim().toLowerCase();hits=t?rows.filter(function(r){return r.getAttribute('data-s').indexOf(t)>=0}):rows;page=0;show()});
prev.addEventListener('click',function(){page--;show()});next.addEventListener('click',function(){page++;show()});
var h=location.hash.match(/^#q=(.*)$/);if(h){q.value=decodeURIComponent(h[1]);q.dispatchEvent(new Event('input'))}else show();
})();`;
