import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipInCidrs, loadRegistry, RegistryError } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'keywatch-registry-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('loadRegistry', () => {
  it.each(['keys.yaml', 'keys.yml'])('reads %s as YAML', (name) => {
    const path = write(name, 'keys:\n  - id: AKIA1\n    scope: read-only\n');
    expect(loadRegistry(path).get('AKIA1')).toMatchObject({ scope: 'read-only', declared: true });
  });

  it('reads .json', () => {
    const path = write('keys.json', '{"keys": [{"id": "AKIA1", "owner": "ops"}]}');
    expect(loadRegistry(path).get('AKIA1')).toMatchObject({ owner: 'ops', declared: true });
  });

  it('names the file in validation errors', () => {
    const path = write('bad.yaml', 'keys:\n  - id: AKIA1\n    scope: readonly\n');
    expect(() => loadRegistry(path)).toThrow(`${path}:3: keys[0].scope:`);
  });

  it('fails clearly on a missing file', () => {
    const path = join(dir, 'missing.yaml');
    expect(() => loadRegistry(path)).toThrow(RegistryError);
    expect(() => loadRegistry(path)).toThrow(`${path}: (file): cannot read:`);
  });

  it('refuses other file types', () => {
    const path = write('keys.toml', '');
    expect(() => loadRegistry(path)).toThrow('unsupported file type; use .yaml, .yml, .json');
  });

  it('loads the shipped example', () => {
    const registry = loadRegistry(new URL('../examples/keys.example.yaml', import.meta.url).pathname);
    expect(registry.declaredKeys()).toHaveLength(4);
    const bot = registry.get('AKIAEXAMPLEKEY000001');
    expect(bot).toMatchObject({ scope: 'read-only', timezone: 'America/New_York', rotationDays: 90 });
    expect(ipInCidrs('203.0.113.50', bot.allowedCidrs)).toBe(true);
    expect(registry.get('token:9876543')).toMatchObject({ timezone: 'Europe/Berlin', businessHours: { days: [5] } });
  });
});
