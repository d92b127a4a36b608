// The deploy/ manifests cannot run here (no Docker, no cluster); this checks the structure they rely on.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMetrics } from '@keywatch/ops';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Service } from 'kubernetes-models/v1/Service';
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

interface RestrictedPod {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  automountServiceAccountToken?: boolean;
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  volumes: ({ name: string } & Record<string, unknown>)[];
  topologySpreadConstraints?: { topologyKey: string; labelSelector: { matchLabels: Record<string, string> } }[];
  containers: RestrictedContainer[];
  initContainers?: RestrictedContainer[];
}
interface RestrictedContainer {
  name: string;
  securityContext?: {
    privileged?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsUser?: number;
    capabilities?: { drop?: string[]; add?: string[] };
  };
}

/** The objects `kubectl apply -k` creates from files (the config, kustomization and the operator examples aside). */
function k8sDocuments(): Record<string, unknown>[] {
  return readdirSync(join(deploy, 'kubernetes'))
    .filter((f) => f.endsWith('.yaml') && !['kustomization.yaml', 'keywatch.yaml'].includes(f) && !f.endsWith('.example.yaml'))
    .flatMap((f) => parseAllDocuments(read(`kubernetes/${f}`)).map((d) => d.toJS() as Record<string, unknown>));
}

describe('docker compose stack', () => {
  // Compose resolves YAML merge keys (<<: *keywatch); so must we.
  const compose = parse(read('compose/docker-compose.yml'), { merge: true }) as {
    services: Record<
      string,
      {
        image: string;
        build?: { context: string };
        user?: string;
        read_only?: boolean;
        cap_drop?: string[];
        command?: string[];
        environment?: Record<string, unknown>;
        volumes?: string[];
      }
    >;
  };

  it('has Kafka (KRaft), Elasticsearch, Kibana and every keywatch role', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['kafka', 'elasticsearch', 'kibana', ...ROLES]));
    expect(compose.services.kafka!.environment).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller' });
    for (const role of ROLES) {
      const service = compose.services[role]!;
      // The keywatch image built from the repository's Dockerfile, not a bind-mounted checkout, never as root.
      expect(service.image).toBe('keywatch:local');
      expect(service.build?.context).toBe('../..');
      expect(service.user).toBe('1000:1000');
      expect(service.read_only).toBe(true);
      expect(service.cap_drop).toEqual(['ALL']);
      expect(service.volumes?.some((v) => v.startsWith('../..'))).toBe(false);
      expect(service.command).toEqual(['keywatch-worker', '--role', role, '--config', '/etc/keywatch/keywatch.yaml']);
    }
    expect(compose.services.dispatch!.volumes).toEqual(expect.arrayContaining(['dispatch-queue:/var/lib/keywatch']));
  });

  it('runs Elasticsearch with security on and Kibana able to run detection rules', () => {
    const es = compose.services.elasticsearch!.environment!;
    expect(es['xpack.security.enabled']).toBe('true');
    expect(es.ELASTIC_PASSWORD).toMatch(/^\$\{ELASTIC_PASSWORD/);
    const kibana = compose.services.kibana!.environment!;
    // Alerting, and so every Elastic Security rule, is disabled without a stable encryption key.
    expect(kibana.XPACK_ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY).toMatch(/^\$\{KIBANA_ENCRYPTION_KEY/);
    expect(kibana.ELASTICSEARCH_USERNAME).toBe('kibana_system');
    const config = parse(read('compose/keywatch.compose.yaml')) as { destinations: Record<string, unknown> };
    expect(config.destinations.siem).toMatchObject({ kind: 'elasticsearch', password: 'env:ELASTIC_PASSWORD' });
  });

  it('holds no literal secret and mounts a config the worker accepts', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      // Secrets only as ${VARIABLE} references to deploy/compose/.env, which is never committed.
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (SECRET_NAME.test(key) || /ENCRYPTIONKEY/.test(key))
          expect(`${name}.${key}=${value}`).toMatch(/=\$\{[A-Z_]+(:\?[^}]*)?\}$/);
      }
    }
    expect(parseWorkerConfig(parse(read('compose/keywatch.compose.yaml')), 'compose').kafka.brokers).toEqual(['kafka:9092']);
  });
});

describe('Kubernetes manifests', () => {
  const docs = k8sDocuments();
  const workloads = docs.filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet') as unknown as Workload[];
  const kustomization = parse(read('kubernetes/kustomization.yaml')) as {
    resources: string[];
    configMapGenerator: { name: string; files: string[] }[];
    secretGenerator: { name: string }[];
    generatorOptions?: { disableNameSuffixHash?: boolean };
  };

  it('are valid Kubernetes objects (the API schemas of kubernetes-models)', () => {
    const models: Record<string, (d: Record<string, unknown>) => { validate(): void }> = {
      Deployment: (d) => new Deployment(d),
      StatefulSet: (d) => new StatefulSet(d),
      PodDisruptionBudget: (d) => new PodDisruptionBudget(d),
      Service: (d) => new Service(d),
    };
    const applied = docs.filter((d) => d.kind !== 'ServiceMonitor');
    expect(applied.length).toBeGreaterThan(0);
    for (const doc of applied) {
      const model = models[doc.kind as string];
      expect(model, `no schema check for kind ${String(doc.kind)}`).toBeDefined();
      expect(() => model!(doc).validate(), `${String(doc.kind)} ${JSON.stringify(doc.metadata)}`).not.toThrow();
    }
  });

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

  // The Pod Security Standards "restricted" profile, control by control
  // (https://kubernetes.io/docs/concepts/security/pod-security-standards/), plus our own hardening.
  it('pass the Pod Security Standards "restricted" profile', () => {
    const allowedVolumes = [
      'configMap',
      'csi',
      'downwardAPI',
      'emptyDir',
      'ephemeral',
      'persistentVolumeClaim',
      'projected',
      'secret',
    ];
    for (const workload of workloads) {
      const name = workload.metadata.name;
      const pod = workload.spec.template.spec as unknown as RestrictedPod;
      expect(pod.hostNetwork ?? false, name).toBe(false);
      expect(pod.hostPID ?? false, name).toBe(false);
      expect(pod.hostIPC ?? false, name).toBe(false);
      expect(pod.securityContext.runAsNonRoot, name).toBe(true);
      expect(pod.securityContext.runAsUser, name).not.toBe(0);
      expect(pod.securityContext.seccompProfile?.type, name).toMatch(/^(RuntimeDefault|Localhost)$/);
      for (const volume of pod.volumes) {
        const types = Object.keys(volume).filter((k) => k !== 'name');
        expect(
          types.every((t) => allowedVolumes.includes(t)),
          `${name} volume ${volume.name}: ${types}`,
        ).toBe(true);
      }
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        const sc = c.securityContext;
        expect(sc, `${name}/${c.name} securityContext`).toBeDefined();
        expect(sc!.privileged ?? false).toBe(false);
        expect(sc!.allowPrivilegeEscalation, `${name}/${c.name}`).toBe(false);
        expect(sc!.capabilities?.drop, `${name}/${c.name}`).toEqual(['ALL']);
        expect(sc!.capabilities?.add ?? []).toEqual([]);
        expect(sc!.runAsUser ?? 1000).not.toBe(0);
        // Beyond "restricted": nothing in the image is writable, and no API token is mounted.
        expect(sc!.readOnlyRootFilesystem, `${name}/${c.name}`).toBe(true);
      }
      expect(pod.automountServiceAccountToken, name).toBe(false);
    }
  });

  it('keep a member of every role up through voluntary disruptions and spread replicas', () => {
    const budgets = docs.filter((d) => d.kind === 'PodDisruptionBudget') as unknown as {
      spec: { maxUnavailable?: number; selector: { matchLabels: Record<string, string> } };
    }[];
    for (const role of ROLES) {
      const budget = budgets.find((b) => b.spec.selector.matchLabels['app.kubernetes.io/component'] === role);
      expect(budget, `PodDisruptionBudget for ${role}`).toBeDefined();
      expect(budget!.spec.maxUnavailable).toBe(1);
      const workload = workloads.find((w) => w.metadata.name === `keywatch-${role}`)!;
      const spread = (workload.spec.template.spec as unknown as RestrictedPod).topologySpreadConstraints ?? [];
      expect(spread.map((s) => s.topologyKey)).toEqual(
        expect.arrayContaining(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']),
      );
      for (const s of spread) expect(s.labelSelector.matchLabels['app.kubernetes.io/component']).toBe(role);
    }
  });

  it('roll the pods when the config or a secret changes (content-hashed generated names)', () => {
    expect(kustomization.generatorOptions?.disableNameSuffixHash ?? false).toBe(false);
    expect(kustomization.configMapGenerator).toEqual([{ name: 'keywatch-config', files: ['keywatch.yaml'] }]);
    for (const workload of workloads) {
      const volumes = (workload.spec.template.spec as unknown as RestrictedPod).volumes;
      expect(volumes.find((v) => v.name === 'config')).toMatchObject({ configMap: { name: 'keywatch-config' } });
    }
  });

  it('offer a ServiceMonitor over a metrics Service that selects every role', () => {
    const monitor = parse(read('kubernetes/servicemonitor.example.yaml')) as {
      apiVersion: string;
      kind: string;
      spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] };
    };
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.kind).toBe('ServiceMonitor');
    const service = docs.find(
      (d) =>
        d.kind === 'Service' &&
        (d.metadata as { labels: Record<string, string> }).labels['app.kubernetes.io/component'] === 'metrics',
    ) as { metadata: { labels: Record<string, string> }; spec: { selector: Record<string, string>; ports: { name: string }[] } };
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'keywatch' });
    expect(service.spec.ports.map((p) => p.name)).toContain(monitor.spec.endpoints[0]!.port);
    expect(monitor.spec.endpoints[0]!.path).toBe('/metrics');
    expect(kustomization.resources).not.toContain('servicemonitor.example.yaml');
  });

  it('offer alerting rules on metrics the worker exports, the same as docs/kafka.md gives', async () => {
    interface Rule {
      alert: string;
      expr: string;
      for?: string;
      labels: { severity: string };
      annotations: { summary: string; description: string };
    }
    const rule = parse(read('kubernetes/prometheusrule.example.yaml')) as {
      apiVersion: string;
      kind: string;
      spec: { groups: { name: string; rules: Rule[] }[] };
    };
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.kind).toBe('PrometheusRule');
    expect(kustomization.resources).not.toContain('prometheusrule.example.yaml');
    const rules = rule.spec.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['KeywatchDeliveryFailing', 'KeywatchPipelineBehind']));
    const metrics = createMetrics({ defaultMetrics: true });
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    for (const r of rules) {
      expect(['critical', 'warning']).toContain(r.labels.severity);
      expect(r.annotations.summary.length).toBeGreaterThan(0);
      expect(r.annotations.description.length).toBeGreaterThan(0);
      if (r.for !== undefined) expect(r.for).toMatch(/^\d+[smh]$/);
      // A renamed metric would silently never fire: each keywatch series a rule reads must exist.
      const used = [...r.expr.matchAll(/\bkeywatch_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''));
      for (const name of used) expect(exported, `${r.alert}: ${name}`).toContain(name);
      expect(r.expr.split('(').length, `${r.alert}: brackets`).toBe(r.expr.split(')').length);
    }
    // docs/kafka.md shows the same groups as a plain Prometheus rule file.
    const doc = readFileSync(join(deploy, '../docs/kafka.md'), 'utf8');
    const block = /### Alerting rules[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block, 'docs/kafka.md: ### Alerting rules with a yaml block').toBeDefined();
    expect(parse(block ?? '')).toEqual({ groups: rule.spec.groups });
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
    expect(kustomization.resources).toEqual(
      expect.arrayContaining(['normalize.yaml', 'detect.yaml', 'dispatch.yaml', 'metrics-service.yaml']),
    );
    expect(kustomization.secretGenerator.map((s) => s.name)).toEqual(['keywatch-secrets', 'keywatch-kafka-ca']);
  });

  it('carry a config the worker accepts, with secrets as references', () => {
    const config = parseWorkerConfig(parse(read('kubernetes/keywatch.yaml')), 'keywatch.yaml');
    expect(config.kafka.sasl?.password).toEqual({ env: 'KEYWATCH_KAFKA_PASSWORD' });
    expect(config.kafka.tls?.enabled).toBe(true);
  });
});
