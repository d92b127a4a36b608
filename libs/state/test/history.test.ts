import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyProfile } from '@keywatch/detect';
import { describe, expect, it } from 'vitest';
import { HISTORY_LIMITS, type HistoryEvent, KeyHistory, SqliteProfileStore, StateFileError, StateReader } from '../src/index.ts';

const statePath = () => join(mkdtempSync(join(tmpdir(), 'kw-history-')), 'state.db');

function ev(over: Partial<HistoryEvent> = {}): HistoryEvent {
  return {
    keyId: 'AKIA1',
    time: 1_772_445_600,
    localDate: '2026-03-02',
    localHour: 10,
    failure: false,
    authFailure: false,
    write: false,
    values: [
      { kind: 'country', value: 'DE', label: null },
      { kind: 'client', value: 'boto3', label: 'Boto3/1.34 Python/3.12' },
    ],
    info: { id: 'AKIA1', owner: 'team-a' },
    ...over,
  };
}

function withProfile(path: string): void {
  const store = new SqliteProfileStore(path);
  store.put('AKIA1', emptyProfile(1_772_445_600));
  store.close();
}

describe('KeyHistory', () => {
  it('adds counts up across flushes and reopen, by key-local day and hour', () => {
    const path = statePath();
    withProfile(path);
    const a = new KeyHistory(path, { flushEvery: 2 });
    a.record(ev());
    a.record(ev({ failure: true, authFailure: true }));
    a.record(ev({ localHour: 11, write: true, time: 1_772_449_200 }));
    a.close();
    const b = new KeyHistory(path);
    b.record(ev({ localHour: 11, values: [{ kind: 'country', value: 'FR', label: null }] }));
    b.close();

    const r = new StateReader(path);
    const [day] = r.days('AKIA1');
    expect(day?.hours[10]).toBe(2);
    expect(day?.hours[11]).toBe(2);
    expect(day).toMatchObject({ day: '2026-03-02', failures: 1, authFailures: 1, writes: 1 });
    const de = r.values('AKIA1').find((v) => v.kind === 'country' && v.value === 'DE');
    expect(de).toMatchObject({ calls: 3, failures: 1, first: 1_772_445_600, last: 1_772_449_200 });
    expect(r.values('AKIA1').find((v) => v.kind === 'client')?.label).toBe('Boto3/1.34 Python/3.12');
    expect(r.info('AKIA1')).toEqual({ id: 'AKIA1', owner: 'team-a' });
    r.close();
  });

  it('keeps at most the last HISTORY_LIMITS.days days and HISTORY_LIMITS.values values of a kind per key', () => {
    const path = statePath();
    withProfile(path);
    const h = new KeyHistory(path, { flushEvery: 7 });
    const days = HISTORY_LIMITS.days + 10;
    for (let d = 0; d < days; d++) {
      const localDate = new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
      // value v is used v+1 times: the least used are the ones to go.
      for (let v = 0; v <= d % 3; v++)
        h.record(ev({ localDate, values: [{ kind: 'network', value: `10.0.${d}.0/24`, label: null }] }));
    }
    h.close();
    const r = new StateReader(path);
    const kept = r.days('AKIA1');
    expect(kept).toHaveLength(HISTORY_LIMITS.days);
    expect(kept.at(-1)?.day).toBe(new Date(Date.UTC(2026, 0, days)).toISOString().slice(0, 10));
    const nets = r.values('AKIA1').filter((v) => v.kind === 'network');
    expect(nets).toHaveLength(HISTORY_LIMITS.values);
    expect(nets.every((v) => v.calls >= 2)).toBe(true);
    r.close();
  });
});

describe('StateReader', () => {
  it('reads a state file without history tables as empty history', () => {
    const path = statePath();
    withProfile(path);
    const r = new StateReader(path);
    expect(r.keyIds()).toEqual(['AKIA1']);
    expect(r.profile('AKIA1')?.firstSeen).toBe(1_772_445_600);
    expect(r.days('AKIA1')).toEqual([]);
    expect(r.alerts('AKIA1', 10)).toEqual([]);
    expect(r.alertSummary().byDayRule).toEqual([]);
    r.close();
  });

  it('names a missing state file', () => {
    expect(() => new StateReader('/nonexistent/kw.db')).toThrow(StateFileError);
    expect(() => new StateReader('/nonexistent/kw.db')).toThrow(/\/nonexistent\/kw\.db does not exist/);
  });
});
