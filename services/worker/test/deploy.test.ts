// The deploy/ manifests cannot run here (no Docker, no cluster); this checks the structure they rely on.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { parseWorkerConfig, ROLES } from '../src/index.ts';

const deploy = join(import.meta.dirname, '../../../deploy');
const read = (path: string) => readFileSync(join(deploy, path), 'utf8');
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|API_KEY|WEBHOOK/i;

type Env = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: unknown } };
interface Container {
  image: string;
  args: string[];
  env: Env[];
  ports: { name: string; containerPort: number }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  resources: { requests: { cpu: string; memory: string } };
}
interface Workload {
  kind: string;
  metadata: { name: string };
  spec: { template: { spec: { containers: Container[]; terminationGracePeriodSeconds: number } } };
}

function k8sDocuments(): Record<string, unknown>[] {
  return readdirSync(join(deploy, 'kubernetes'))
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => parseAllDocuments(read(`kubernetes/${f}`)).map((d) => d.toJS() as Record<string, unknown>));
}

describe('docker compose stack', () => {
  // Compose resolves YAML merge keys (<<: *keywatch); so must we.
  const compose = parse(read('compose/docker-compose.yml'), { merge: true }) as {
    services: Record<string, { image: string; command?: string[]; environment?: Record<string, unknown>; volumes?: string[] }>;
  };

  it('has Kafka (KRaft), Elasticsearch, Kibana and every keywatch role', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['kafka', 'elasticsearch', 'kibana', ...ROLES]));
    expect(compose.services.kafka!.environment).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller' });
    for (const role of ROLES) {
      const service = compose.services[role]!;
      expect(service.image).toMatch(/^node:24/);
      expect(service.command).toEqual([
        'node',
        'services/worker/src/main.ts',
        '--role',
        role,
        '--config',
        '/etc/keywatch/keywatch.yaml',
      ]);
    }
    expect(compose.services.dispatch!.volumes).toEqual(expect.arrayContaining(['dispatch-queue:/var/lib/keywatch']));
  });

  it('holds no literal secret and mounts a config the worker accepts', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const key of Object.keys(service.environment ?? {})) expect(`${name}.${key}`).not.toMatch(SECRET_NAME);
    }
    expect(parseWorkerConfig(parse(read('compose/keywatch.compose.yaml')), 'compose').kafka.brokers).toEqual(['kafka:9092']);
  });
});

describe('Kubernetes manifests', () => {
  const docs = k8sDocuments();
  const workloads = docs.filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet') as unknown as Workload[];

  it('run every role with probes, ports and resource requests', () => {
    for (const role of ROLES) {
      const workload = workloads.find((w) => w.metadata.name === `keywatch-${role}`);
      expect(workload, role).toBeDefined();
      const spec = workload!.spec.template.spec;
      const container = spec.containers[0]!;
      expect(container.image).toMatch(/keywatch/);
      expect(container.args).toEqual(['keywatch-worker', '--role', role, '--config', '/etc/keywatch/keywatch.yaml']);
      expect(container.ports).toContainEqual({ name: 'http', containerPort: 9464 });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.resources.requests.cpu).toBeTruthy();
      expect(container.resources.requests.memory).toBeTruthy();
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
      expect(container.env.find((e) => e.name === 'KEYWATCH_KAFKA__INSTANCE_ID')?.valueFrom?.fieldRef).toBeDefined();
    }
    expect(workloads.find((w) => w.metadata.name === 'keywatch-dispatch')?.kind).toBe('StatefulSet');
  });

  it('take secrets from Secret references only, and ship no Secret data', () => {
    for (const workload of workloads) {
      for (const env of workload.spec.template.spec.containers.flatMap((c) => c.env)) {
        if (!SECRET_NAME.test(env.name)) continue;
        expect(env.value, `${workload.metadata.name} ${env.name}`).toBeUndefined();
        expect(env.valueFrom?.secretKeyRef?.name).toBe('keywatch-secrets');
      }
    }
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
    const kustomization = parse(read('kubernetes/kustomization.yaml')) as {
      resources: string[];
      secretGenerator: { name: string }[];
    };
    expect(kustomization.resources).toEqual(
      expect.arrayContaining(['configmap.yaml', 'normalize.yaml', 'detect.yaml', 'dispatch.yaml']),
    );
    expect(kustomization.secretGenerator.map((s) => s.name)).toEqual(['keywatch-secrets', 'keywatch-kafka-ca']);
  });

  it('carry a ConfigMap the worker accepts, with secrets as references', () => {
    const configMap = docs.find((d) => d.kind === 'ConfigMap') as { data: Record<string, string> };
    const text = configMap.data['keywatch.yaml']!;
    const config = parseWorkerConfig(parse(text), 'configmap');
    expect(config.kafka.sasl?.password).toEqual({ env: 'KEYWATCH_KAFKA_PASSWORD' });
    expect(config.kafka.tls?.enabled).toBe(true);
  });
});
