// The Slack emulator in a process of its own, so its Block Kit checks do not slow down the
// process that generates load and measures latency. Reads a JSON plan on stdin and answers with
// one JSON line: the emulator's URL and the trigger ids issued for the planned clicks.
import { startSlackEmulator } from '../../src/sandbox/index.js';

interface Plan {
  token: string;
  userIds: string[];
  /** One trigger is issued per entry, for that user. */
  clicks: string[];
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const plan = JSON.parse(Buffer.concat(chunks).toString()) as Plan;
const emulator = await startSlackEmulator({ token: plan.token, triggerLifetimeMs: 60 * 60 * 1000, checkBlockKit: false });
for (const id of plan.userIds) emulator.addUser({ id, name: id.toLowerCase(), email: `${id.toLowerCase()}@example.com` });
const triggers = plan.clicks.map((userId) => emulator.issueTriggerId(userId));
process.stdout.write(`${JSON.stringify({ url: emulator.url, triggers })}\n`);
process.once('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
