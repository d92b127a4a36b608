// Summarises V8 .cpuprofile files (node --cpu-prof): where a process spends its CPU, by area and by function.
//   bash scripts/node24.sh node test/bench/cpu-profile.ts DIR_OR_FILE... [--top 15]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  /** Sampled time, idle excluded, in ms. */
  busyMs: number;
  idleMs: number;
  /** Self time by the nearest package or keywatch library on the stack (Node internals count for their caller). */
  byArea: [string, number][];
  byFunction: [string, number][];
}

/** Which part of the system a frame belongs to: a package, a keywatch lib, Node itself, GC. */
export function areaOf(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8/native (program)';
    return `native ${functionName || '(anonymous)'}`.slice(0, 40);
  }
  if (url.startsWith('node:internal/')) return `node:internal/${url.slice(14).split('/')[0]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/(libs|services)\/([^/]+)\//.exec(url);
  if (own) return `@keywatch/${own[2]}`;
  return basename(url);
}

/**
 * `window`: only samples between these monotonic times (µs, CLOCK_MONOTONIC: process.hrtime in any process
 * on the machine, the same clock V8 stamps its samples with), e.g. the bench's throughput phase.
 */
export function summarise(file: string, top = 15, window?: { from: number; to: number }): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.from || at > window.to)) continue;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + delta);
  }
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  /** Node's own code and native frames count for the nearest package or keywatch frame that called them. */
  const ownerArea = (id: number): string => {
    const leaf = byId.get(id)!.callFrame;
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const { url, functionName } = byId.get(at)!.callFrame;
      if (url === '' || url.startsWith('node:')) continue;
      return areaOf(url, functionName);
    }
    return areaOf(leaf.url, leaf.functionName);
  };
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (areaOf(url, functionName) === 'idle') {
      idle += us;
      continue;
    }
    busy += us;
    const area = ownerArea(id);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const name = `${functionName || '(anonymous)'} ${url ? `${basename(url)}:${lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const ranked = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => [k, v / 1000] as [string, number]);
  return { file, busyMs: busy / 1000, idleMs: idle / 1000, byArea: ranked(areas), byFunction: ranked(functions) };
}

function filesOf(paths: string[]): string[] {
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith('.cpuprofile'))
          .map((f) => join(p, f))
      : [p],
  );
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' } } });
  for (const file of filesOf(positionals)) {
    // The bench writes window.json (its throughput phase) next to the workers' profiles.
    // normalize-detect runs after the two roles, in its own window (window.normalize-detect.json).
    const ownWindow = join(dirname(file), `window.${basename(file, '.cpuprofile')}.json`);
    const windowFile = existsSync(ownWindow) ? ownWindow : join(dirname(file), 'window.json');
    const window =
      existsSync(windowFile) && !file.includes('consume-only') ? JSON.parse(readFileSync(windowFile, 'utf8')) : undefined;
    const s = summarise(file, Number(values.top), window);
    const pct = (ms: number) => `${((100 * ms) / s.busyMs).toFixed(1)}%`;
    const scope = window ? ' (throughput phase only)' : '';
    process.stdout.write(
      `\n${basename(file)}${scope}: busy ${s.busyMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms\n  by area (Node internals counted for their caller):\n`,
    );
    for (const [area, ms] of s.byArea)
      process.stdout.write(`    ${pct(ms).padStart(6)}  ${ms.toFixed(0).padStart(6)} ms  ${area}\n`);
    process.stdout.write('  by function (self time):\n');
    for (const [fn, ms] of s.byFunction)
      process.stdout.write(`    ${pct(ms).padStart(6)}  ${ms.toFixed(0).padStart(6)} ms  ${fn}\n`);
  }
}
