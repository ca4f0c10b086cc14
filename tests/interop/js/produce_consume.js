// kafkajs against kafkit-broker: produce N records with keys, headers and timestamps,
// then consume them with a group of two members. Prints one JSON summary line.
// Usage: node produce_consume.js BOOTSTRAP TOPIC GROUP COUNT

const { Kafka, logLevel } = require('kafkajs');

const [bootstrap, topic, groupId, countText] = process.argv.slice(2);
const count = Number(countText);
const kafka = new Kafka({ clientId: 'kafkit-interop', brokers: bootstrap.split(','), logLevel: logLevel.ERROR });

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();

  const seen = new Map();
  const perMember = {};
  let duplicates = 0, mismatches = 0, outOfOrder = 0;
  const lastOffset = new Map();
  const consumers = [];
  const assignments = {};
  for (const member of ['a', 'b']) {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 500 });
    await consumer.connect();
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      assignments[member] = (e.payload.memberAssignment[topic] || []).length;
    });
    await consumer.subscribe({ topic, fromBeginning: true });
    perMember[member] = 0;
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const i = Number(message.headers.index.toString());
        if (seen.has(i)) duplicates++;
        seen.set(i, true);
        perMember[member]++;
        const expected = messages[i];
        if (message.key.toString() !== expected.key || message.value.toString() !== expected.value ||
            message.timestamp !== expected.timestamp) mismatches++;
        const offset = Number(message.offset);
        if (lastOffset.has(partition) && offset <= lastOffset.get(partition)) outOfOrder++;
        lastOffset.set(partition, offset);
      },
    });
    consumers.push(consumer);
  }
  // Produce only once both members hold partitions, so each has something to consume.
  const joinDeadline = Date.now() + 60000;
  while (!(assignments.a > 0 && assignments.b > 0 && assignments.a + assignments.b === 3) &&
         Date.now() < joinDeadline) await new Promise((r) => setTimeout(r, 100));

  const baseTs = Date.now() - 5000;
  const producer = kafka.producer();
  await producer.connect();
  const messages = [];
  for (let i = 0; i < count; i++) {
    messages.push({ key: `k${i % 6}`, value: `value-${i}`, timestamp: String(baseTs + i),
                    headers: { index: String(i) } });
  }
  await producer.send({ topic, messages: messages.slice(0, count / 2) });
  await producer.send({ topic, messages: messages.slice(count / 2) });
  await producer.disconnect();

  const deadline = Date.now() + 60000;
  while (seen.size < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const c of consumers) await c.disconnect();
  console.log(JSON.stringify({ produced: count, consumed: seen.size, duplicates, mismatches,
                               out_of_order: outOfOrder, per_member: perMember }));
}

main().catch((e) => { console.error(e); process.exit(1); });
