import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, type OpsServer, startOpsServer } from '../src/index.ts';

let server: OpsServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('ops server', () => {
  it('answers /healthz always and /readyz by the readiness callback', async () => {
    let ready = false;
    const metrics = createMetrics();
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      registry: metrics.registry,
      readiness: () => ({ ready, detail: ready ? 'joined' : 'restoring state' }),
    });
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toContain('restoring state');
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('answers /healthz 503 with the reason in JSON when the health callback says so', async () => {
    let healthy = true;
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      registry: createMetrics().registry,
      readiness: () => ({ ready: true, detail: '' }),
      health: () => (healthy ? { healthy } : { healthy, reason: 'consumer stopped', checks: { running: false } }),
    });
    const base = `http://127.0.0.1:${server.port}`;
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok' });
    healthy = false;
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toBe('application/json');
    expect(await down.json()).toEqual({ status: 'unhealthy', reason: 'consumer stopped', checks: { running: false } });
  });

  it('serves the metrics in Prometheus text format', async () => {
    const metrics = createMetrics();
    metrics.recordsIn.inc({ stage: 'detect' }, 5);
    metrics.deadLettered.inc({ stage: 'normalize', reason: 'invalid_json' });
    metrics.consumerLag.set({ stage: 'detect', topic: 'keywatch.events', partition: '2' }, 17);
    metrics.batchSeconds.observe({ stage: 'detect', outcome: 'committed' }, 0.02);
    metrics.alerts.inc({ rule: 'new_ip' });
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      registry: metrics.registry,
      readiness: () => ({ ready: true, detail: '' }),
    });
    const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    expect(text).toContain('keywatch_records_in_total{stage="detect"} 5');
    expect(text).toContain('keywatch_dead_lettered_total{stage="normalize",reason="invalid_json"} 1');
    expect(text).toContain('keywatch_consumer_lag{stage="detect",topic="keywatch.events",partition="2"} 17');
    expect(text).toContain('keywatch_batch_duration_seconds_count{stage="detect",outcome="committed"} 1');
    expect(text).toContain('keywatch_alerts_total{rule="new_ip"} 1');
  });

  it('reads the delivery backlog at each scrape, and names process metrics as Node.js dashboards expect', async () => {
    const metrics = createMetrics({ defaultMetrics: true });
    let depth = 3;
    metrics.setBacklogSource(async () => [
      { destination: 'siem', depth, oldestAgeSeconds: depth * 10 },
      { destination: 'archive', depth: 0, oldestAgeSeconds: 0 },
    ]);
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      registry: metrics.registry,
      readiness: () => ({ ready: true, detail: '' }),
    });
    const scrape = async () => (await fetch(`http://127.0.0.1:${server?.port}/metrics`)).text();
    const first = await scrape();
    expect(first).toContain('keywatch_delivery_queue_depth{destination="siem"} 3');
    expect(first).toContain('keywatch_delivery_oldest_pending_seconds{destination="siem"} 30');
    expect(first).toContain('keywatch_delivery_queue_depth{destination="archive"} 0');
    depth = 1;
    expect(await scrape()).toContain('keywatch_delivery_queue_depth{destination="siem"} 1');
    expect(first).toMatch(/^process_cpu_seconds_total \d/m);
    expect(first).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(first).not.toContain('keywatch_process_');
    expect(first).not.toContain('keywatch_nodejs_');
  });
});
