/** Small wording helpers so every alert states its baseline the same way. */

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export function historyPhrase(events: number, firstSeen: number, now: number): string {
  const days = Math.max(0, Math.floor((now - firstSeen) / 86400));
  return `${plural(events, 'call')} over ${plural(days, 'day')} of history`;
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}
