// Exits 0 once the broker answers a kafkajs admin describeCluster and its group and transaction
// coordinators answer too; 1 when the deadline passes.
// kafka.sh runs it after the port opens: an open port alone does not mean the KRaft quorum is up.
//   node test/infra/kafka-ready.ts 127.0.0.1:9092 60
import { Kafka, logLevel } from 'kafkajs';

const [brokers = '', seconds = '60'] = process.argv.slice(2);
const deadline = performance.now() + Number(seconds) * 1000;
const kafka = new Kafka({ clientId: 'keywatch-infra-ready', brokers: brokers.split(','), logLevel: logLevel.NOTHING });

let lastError = 'no attempt made';

async function warmTransactions(): Promise<void> {
  const producer = kafka.producer({
    transactionalId: 'keywatch-infra-ready',
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    const transaction = await producer.transaction();
    await transaction.abort();
  } finally {
    await producer.disconnect().catch(() => {});
  }
}
while (performance.now() < deadline) {
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length > 0 && cluster.controller !== null) {
      // A fresh broker answers before its group and transaction coordinators are loaded; the first test
      // to use a group or a transaction would then meet NOT_COORDINATOR. Warm both up here.
      await admin.describeGroups(['keywatch-infra-ready']);
      await warmTransactions();
      console.error(
        `[kafka] describeCluster: ${cluster.brokers.length} broker(s), controller ${cluster.controller}; coordinators ready`,
      );
      process.exit(0);
    }
    lastError = 'cluster has no broker or controller yet';
  } catch (error) {
    lastError = error instanceof Error ? error.message : String(error);
  } finally {
    await admin.disconnect().catch(() => {});
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
console.error(`[kafka] not ready after ${seconds}s: ${lastError}`);
process.exit(1);
