import { escapeHtml } from '@keywatch/alerts';
import { HEAT_MAP_CSS } from './palette.ts';

/**
 * Escapes text for HTML content and quoted attribute values. Everything logged (user agents, actions,
 * resources, key ids, owners) is attacker-controlled and goes through here (the one HTML escaping of
 * @keywatch/alerts; control and bidi characters go too).
 */
export function esc(value: unknown): string {
  return escapeHtml(String(value ?? ''));
}

/** One formatter for every number: `toLocaleString` builds a new one per call, which costs 168 times a page. */
const NUMBER = new Intl.NumberFormat('en-US');

export function num(n: number): string {
  return NUMBER.format(n);
}

export function pct(x: number): string {
  // One decimal near the ends, so 99.6% does not read as 100% nor 0.4% as 0%.
  return `${(x * 100).toFixed((x > 0 && x < 0.1) || (x > 0.99 && x < 1) ? 1 : 0)}%`;
}

/**
 * Colours meet WCAG AA (4.5:1) for text on their backgrounds; charts carry text alternatives; print
 * drops the navigation and keeps charts whole.
 */
const CSS = `:root{color-scheme:light}*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a202c;background:#fff;margin:0}
main{max-width:1100px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:1.5rem;margin:.3em 0;word-break:break-all}h2{font-size:1.15rem;margin:1.6em 0 .5em;border-bottom:1px solid #cbd5e0;padding-bottom:.2em}
a{color:#1a4f8b}a:focus,input:focus,button:focus{outline:3px solid #b35806;outline-offset:1px}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top}
th{background:#edf2f7}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.mono,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}h1.mono{font-size:1.4rem}.nw{white-space:nowrap}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}dl.facts dt{color:#4a5568}dl.facts dd{margin:0}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.8rem;font-weight:600;margin-right:4px;border:1px solid}
.critical{background:#fde8e8;color:#8b1a1a;border-color:#8b1a1a}.high{background:#fdebd7;color:#7b3306;border-color:#7b3306}
.medium{background:#fefcbf;color:#5f4b00;border-color:#5f4b00}.low{background:#e6fffa;color:#1d4f4a;border-color:#1d4f4a}
.info{background:#ebf4ff;color:#1a4f8b;border-color:#1a4f8b}
.ax{font-size:11px;fill:#4a5568}.axis{stroke:#718096}
.legend{font-size:.85rem;color:#4a5568}.lg{margin-right:10px;white-space:nowrap}.lg i{display:inline-block;width:14px;height:14px;vertical-align:-2px;margin-right:3px;border:1px solid #a0aec0}
.lg i.bh{border:2px solid #b35806;background:#fff}
svg{max-width:100%;height:auto}${HEAT_MAP_CSS}
.alert{border-left:4px solid #718096;padding:6px 12px;margin:10px 0;background:#f7fafc;break-inside:avoid}
.alert.sev-critical,.alert.sev-high{border-left-color:#c53030}.alert.sev-medium{border-left-color:#b7791f}
.alert p{margin:.3em 0}.muted{color:#4a5568}
.controls{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin:8px 0}
input[type=search]{font:inherit;padding:5px 8px;min-width:280px;border:1px solid #718096;border-radius:4px}
button{font:inherit;padding:4px 12px;border:1px solid #1a4f8b;background:#fff;color:#1a4f8b;border-radius:4px;cursor:pointer}button:disabled{color:#718096;border-color:#a0aec0;cursor:default}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:0 24px}
details summary{cursor:pointer;color:#1a4f8b}
@media print{.controls,nav,details summary{display:none}details{display:block}a{color:inherit;text-decoration:none}main{max-width:none;padding:0}h2{break-after:avoid}svg,table{break-inside:avoid}}`;

/** A whole page: inline CSS, optional inline script, nothing loaded from anywhere (the CSP forbids it too). */
export function page(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"><title>${esc(title)}</title><style>${CSS}</style></head><body><main>${body}</main>${script ? `<script>${script}</script>` : ''}</body></html>\n`;
}
