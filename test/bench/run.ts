// `npm run bench [-- --out FILE] [--duration SECONDS] [--connections N] [--only ack,approve,invitation,sweep,members,log,exports,log-verify]`
// Measures Gatehouse under load and prints a table; with --out, writes every figure as JSON.
// --only runs some of the benchmarks (all by default).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { measureAckLatency } from './ack-latency.js';
import { measureApprovePath } from './approve-path.js';
import { measureExports } from './exports.js';
import { measureInvitations } from './invitation.js';
import { measureLogView } from './log-view.js';
import { measureLogVerify } from './log-verify.js';
import { measureMembers } from './members.js';
import type { LatencyFigures, StepFigures } from './members-child.js';
import { measureSweep } from './sweep.js';

const BENCHMARKS = ['ack', 'approve', 'invitation', 'sweep', 'members', 'log', 'exports', 'log-verify'] as const;

const options = z
  .object({
    out: z.string().optional(),
    duration: z.coerce.number().int().min(1).max(300).default(10),
    connections: z.coerce.number().int().min(1).max(1000).default(50),
    only: z
      .string()
      .transform((list) => list.split(',').map((name) => name.trim()))
      .pipe(z.array(z.enum(BENCHMARKS)))
      .optional(),
  })
  .parse(
    parseArgs({
      options: { out: { type: 'string' }, duration: { type: 'string' }, connections: { type: 'string' }, only: { type: 'string' } },
    }).values,
  );

const runs = (benchmark: (typeof BENCHMARKS)[number]) => options.only === undefined || options.only.includes(benchmark);
const report: Record<string, unknown> = {
  generatedAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` },
};

if (runs('ack')) {
  const ack = await measureAckLatency({ connections: options.connections, durationSeconds: options.duration });

  const row = (label: string, figures: typeof ack.gatehouse) =>
    `| ${label.padEnd(22)} | ${String(figures.requestsPerSecond).padStart(8)} | ${figures.latencyP50Ms
      .toFixed(1)
      .padStart(7)} | ${figures.latencyP99Ms.toFixed(1).padStart(7)} | ${String(figures.non2xx + figures.errors).padStart(6)} |`;

  console.log(`\nAck latency: signed /access help, ${ack.connections} connections, ${ack.durationSeconds} s each`);
  console.log('| app                    |    req/s | p50 ms  | p99 ms  | failed |');
  console.log('| ---------------------- | -------- | ------- | ------- | ------ |');
  console.log(row('Gatehouse (SQLite)', ack.gatehouse));
  console.log(row('bare Bolt (ack only)', ack.bareBolt));
  console.log(
    `Gatehouse throughput is ${(ack.throughputRatio * 100).toFixed(1)}% of the bare app's (target ≥ 60%), p99 ${ack.gatehouse.latencyP99Ms} ms (target < 50 ms).`,
  );
  report.ackLatency = ack;
}

if (runs('approve')) {
  const approve = await measureApprovePath({ connections: 20, members: 10_000, pendingRequests: 1_000 });
  const approveRow = (label: string, figures: typeof approve.gatehouse) =>
    `| ${label.padEnd(22)} | ${String(figures.decisionsPerSecond).padStart(11)} | ${figures.clickAck.p50Ms.toFixed(1).padStart(9)} | ${figures.clickAck.p99Ms
      .toFixed(1)
      .padStart(
        9,
      )} | ${figures.submissionAck.p50Ms.toFixed(1).padStart(10)} | ${figures.submissionAck.p99Ms.toFixed(1).padStart(10)} | ${String(
      figures.non2xx + figures.errors,
    ).padStart(6)} |`;
  console.log(
    `\nApprove path: Approve click then view_submission, ${approve.connections} connections, ${approve.members} members, ${approve.pendingRequests} pending requests`,
  );
  console.log('| app                    | decisions/s | click p50 | click p99 | submit p50 | submit p99 | failed |');
  console.log('| ---------------------- | ----------- | --------- | --------- | ---------- | ---------- | ------ |');
  console.log(approveRow('Gatehouse (SQLite)', approve.gatehouse));
  console.log(approveRow('bare Bolt (ack only)', approve.bareBolt));
  console.log(`A decision's ack p99 is ${approve.gatehouse.submissionAck.p99Ms} ms (target < 100 ms).`);
  report.approvePath = approve;
}

if (runs('invitation')) {
  const invitation = await measureInvitations({ members: 100_000, sizes: [100, 250, 500, 1000] });
  console.log(
    `\nInvitation: paste, check, sort against ${invitation.members.toLocaleString('en-US')} members, and store invitations, code hashes, log entries and outbox rows`,
  );
  console.log('| addresses | invitations | time ms | ms per address | peak RSS MB |');
  console.log('| --------- | ----------- | ------- | -------------- | ----------- |');
  for (const size of invitation.sizes) {
    console.log(
      `| ${String(size.addresses).padStart(9)} | ${String(size.invitations).padStart(11)} | ${String(size.milliseconds).padStart(7)} | ${(
        size.milliseconds / size.addresses
      )
        .toFixed(2)
        .padStart(14)} | ${String(size.peakRssMb).padStart(11)} |`,
    );
  }
  const largest = invitation.sizes.at(-1)!;
  console.log(
    `1000 addresses took ${largest.milliseconds} ms (target < 1000 ms) with a peak RSS of ${largest.peakRssMb} MB (target < 200 MB).`,
  );
  report.invitation = invitation;
}

if (runs('sweep')) {
  const sweep = await measureSweep([10_000, 100_000, 1_000_000]);
  console.log('\nTime-limit sweep on SQLite: 10,000 connections past their end among all of them (outbox written, not delivered)');
  console.log('| connections | expired | time ms | peak RSS MB |');
  console.log('| ----------- | ------- | ------- | ----------- |');
  for (const size of sweep.sizes) {
    console.log(
      `| ${String(size.connections).padStart(11)} | ${String(size.expired).padStart(7)} | ${String(size.milliseconds).padStart(7)} | ${String(size.peakRssMb).padStart(11)} |`,
    );
  }
  const smallest = sweep.sizes[0]!;
  const biggest = sweep.sizes.at(-1)!;
  console.log(
    `10^6 connections took ${biggest.milliseconds} ms (target < 5000 ms), ${(biggest.milliseconds / smallest.milliseconds).toFixed(2)}x the time at 10^4 (target ≤ 1.5x), peak RSS ${Math.max(
      ...sweep.sizes.map((size) => size.peakRssMb),
    )} MB (target < 300 MB).`,
  );
  report.sweep = sweep;
}

if (runs('members')) {
  const members = await measureMembers({ members: 100_000, invitations: 1_000 });
  const cell = (figures: LatencyFigures) => `${figures.p50Ms.toFixed(1).padStart(7)} | ${figures.p99Ms.toFixed(1).padStart(7)}`;
  const gatehouseRow = (label: string, step: StepFigures, target: string) =>
    `| ${label.padEnd(34)} | ${cell(step.ack)} | ${cell(step.done)} | ${target.padEnd(16)} |`;
  const floorRow = (label: string, figures: LatencyFigures) =>
    `| ${label.padEnd(34)} | ${cell(figures)} | ${'–'.padStart(7)} | ${'–'.padStart(7)} | ${''.padEnd(16)} |`;
  console.log(
    `\nMembers: /access users in one organization of ${members.members.toLocaleString('en-US')} members and ${members.invitations.toLocaleString(
      'en-US',
    )} pending invitations on SQLite (seeded in ${members.seedMilliseconds} ms)`,
  );
  console.log('| request                            | ack p50 | ack p99 | done p50 | done p99 | target           |');
  console.log('| ---------------------------------- | ------- | ------- | -------- | -------- | ---------------- |');
  if (members.gatehouse) {
    const { open, filter, nextPage, bulkReview, bulkApply } = members.gatehouse;
    console.log(gatehouseRow('Gatehouse: /access users <search>', open, 'ack < 50, < 300'));
    console.log(gatehouseRow('Gatehouse: status filter', filter, ''));
    console.log(gatehouseRow('Gatehouse: next page', nextPage, 'done < 200'));
    console.log(gatehouseRow('Gatehouse: bulk review → confirm', bulkReview, ''));
    console.log(gatehouseRow('Gatehouse: bulk apply to 100', bulkApply, 'done < 1000'));
  } else {
    console.log(`| Gatehouse failed: ${members.failure ?? 'no figures'}`);
  }
  console.log(floorRow('bare Bolt: the command', members.bareBolt.command));
  console.log(floorRow('bare Bolt: a click on the list', members.bareBolt.blockAction));
  console.log(floorRow('bare Bolt: a submission', members.bareBolt.viewSubmission));
  console.log('"done" is when views.open or views.update reached Slack, or when the bulk action\'s 100 log entries were committed.');
  report.members = members;
}

if (runs('log')) {
  const logs = await measureLogView({ members: 100_000, entries: 1_000_000 });
  for (const log of logs) {
    console.log(
      `\n/access log with a filter: ${log.entries.toLocaleString('en-US')} log entries about ${log.members.toLocaleString('en-US')} members on ${log.database} (seeded in ${log.seedMilliseconds} ms)`,
    );
    console.log('| filter                                   | until views.open p50 ms | p99 ms |');
    console.log('| ---------------------------------------- | ----------------------- | ------ |');
    for (const figures of log.figures) {
      console.log(`| ${figures.label.padEnd(40)} | ${figures.p50Ms.toFixed(1).padStart(23)} | ${figures.p99Ms.toFixed(1).padStart(6)} |`);
      if (figures.failure) console.log(`|   stopped after ${figures.runs} runs: ${figures.failure}`);
    }
    if (log.failure) console.log(`| Gatehouse failed: ${log.failure}`);
  }
  console.log('Target: the modal opened under 300 ms.');
  report.logView = logs;
}

if (runs('exports')) {
  const exports = await measureExports({ members: 100_000, logEntries: 100_000 });
  console.log(
    `\nExports: CSV files of one organization of ${exports.members.toLocaleString('en-US')} members and ${exports.logEntries.toLocaleString(
      'en-US',
    )} log entries on SQLite (seeded in ${exports.seedMilliseconds} ms), each made in a fresh process`,
  );
  console.log('| export | rows    | MB    | time ms | CPU ms  | peak RSS MB | RSS before MB |');
  console.log('| ------ | ------- | ----- | ------- | ------- | ----------- | ------------- |');
  for (const figures of exports.exports) {
    console.log(
      `| ${figures.kind.padEnd(6)} | ${String(figures.rows).padStart(7)} | ${String(figures.megabytes).padStart(5)} | ${String(
        figures.milliseconds,
      ).padStart(7)} | ${String(figures.cpuMilliseconds).padStart(7)} | ${String(figures.peakRssMb).padStart(11)} | ${String(
        figures.baselineRssMb,
      ).padStart(13)} |`,
    );
  }
  console.log('Target: a CSV export of 100,000 rows in under 1500 ms and under 150 MB peak RSS.');
  report.exports = exports;
}

if (runs('log-verify')) {
  const verify = await measureLogVerify({ entries: 1_000_000 });
  console.log(
    `\nLog verify: \`gatehouse log verify\` over ${verify.entries.toLocaleString('en-US')} chained log entries in 10 organizations on SQLite (seeded in ${verify.seedMilliseconds} ms)`,
  );
  console.log('| run                                   | time ms | CPU ms  | peak RSS MB |');
  console.log('| ------------------------------------- | ------- | ------- | ----------- |');
  console.log(
    `| the command, start to exit            | ${String(verify.commandMilliseconds).padStart(7)} | ${String(verify.commandCpuMilliseconds).padStart(7)} | ${String(verify.commandPeakRssMb).padStart(11)} |`,
  );
  console.log(
    `| the verify alone, on an open database | ${String(verify.verifyMilliseconds).padStart(7)} | ${'–'.padStart(7)} | ${'–'.padStart(11)} |`,
  );
  console.log(
    `10^6 entries verified in ${verify.commandMilliseconds} ms, ${verify.commandCpuMilliseconds} ms of CPU (target < 5000 ms): ${verify.commandOutput}`,
  );
  report.logVerify = verify;
}

if (options.out) {
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Wrote ${options.out}`);
}
