import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from './db/client.js';

/** Every metric Gatehouse exposes, its own and Node's, carries this prefix. */
export const METRIC_PREFIX = 'gatehouse_';

/** Slack shows an error when an ack takes longer than 3 seconds, so the buckets are finest well below that. */
const SLACK_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3];

/** Jobs sweep whole tables: from well under a second to many minutes. */
const JOB_BUCKETS_SECONDS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

export type JobOutcome = 'succeeded' | 'failed' | 'skipped';

/** One Slack request being timed; `receivedAt` and both observations are on the `performance.now()` clock. */
export interface ListenerObservation {
  /** The listener called `ack`; only the first call counts, as Slack only reads the first answer. */
  acked(): void;
  /** The listener returned or threw. */
  finished(): void;
}

export interface ListenerTiming {
  /**
   * Starts timing a request for `listener`, a label fixed in code (never text a user typed), such as
   * `command:/access help` or `action:request_approve`; `receivedAt` is `performance.now()` when the
   * request reached Gatehouse's code.
   */
  observeListener(listener: string, receivedAt: number): ListenerObservation;
}

export interface GatehouseMetrics extends ListenerTiming {
  /** This app's registry: what `GET /metrics` serves. */
  readonly registry: Registry;
  /**
   * Records one run of a scheduled job. `counts` are the items it handled by kind (e.g.
   * `{ expired: 3 }`); counts that are negative or not finite are ignored rather than thrown on, so
   * that a mistake in reporting never fails the job itself.
   */
  recordJobRun(job: string, outcome: JobOutcome, durationMs: number, counts: Record<string, number>): void;
}

export interface MetricsOptions {
  prisma: Db;
  /** The app's clock, so the age of the oldest outbox message follows the clock tests move. */
  now: () => Date;
}

let processRegistry: Registry | undefined;

/**
 * Node's process metrics, collected once per process and shared by every app in it: there is only
 * one process to describe, and each collection starts an event-loop monitor and a GC observer that
 * are never stopped, so collecting per app would pile them up in a test run.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: METRIC_PREFIX });
  }
  return processRegistry;
}

interface ListenerSeries {
  ack: Histogram.Internal<'listener'>;
  request: Histogram.Internal<'listener'>;
}

class TimedRequest implements ListenerObservation {
  private ackObserved = false;

  constructor(
    private readonly series: ListenerSeries,
    private readonly receivedAt: number,
  ) {}

  acked(): void {
    if (this.ackObserved) return;
    this.ackObserved = true;
    this.series.ack.observe((performance.now() - this.receivedAt) / 1000);
  }

  finished(): void {
    this.series.request.observe((performance.now() - this.receivedAt) / 1000);
  }
}

export function createMetrics(options: MetricsOptions): GatehouseMetrics {
  const { prisma, now } = options;
  // Not prom-client's global registry: several apps in one test process would register the same names.
  const own = new Registry();
  const registers = [own];

  const requestSeconds = new Histogram({
    name: `${METRIC_PREFIX}slack_request_duration_seconds`,
    help: "Time from a Slack request's arrival to the end of its listener, by listener.",
    labelNames: ['listener'] as const,
    buckets: SLACK_BUCKETS_SECONDS,
    registers,
  });
  const ackSeconds = new Histogram({
    name: `${METRIC_PREFIX}slack_ack_duration_seconds`,
    help: "Time from a Slack request's arrival to its listener's ack, by listener; Slack gives up after 3 seconds.",
    labelNames: ['listener'] as const,
    buckets: SLACK_BUCKETS_SECONDS,
    registers,
  });
  // Bound children per listener, so a request costs a map lookup rather than a labels object.
  const seriesByListener = new Map<string, ListenerSeries>();

  new Gauge({
    name: `${METRIC_PREFIX}outbox_pending_messages`,
    help: 'Outbox messages waiting to be delivered, due or not.',
    registers,
    async collect() {
      this.set(await prisma.outboxMessage.count({ where: { status: 'PENDING' } }));
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}outbox_failed_messages`,
    help: 'Outbox messages that failed for good and will not be retried.',
    registers,
    async collect() {
      this.set(await prisma.outboxMessage.count({ where: { status: 'FAILED' } }));
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}outbox_oldest_pending_age_seconds`,
    help: 'Age of the oldest outbox message still waiting to be delivered; 0 when none waits.',
    registers,
    async collect() {
      const { _min } = await prisma.outboxMessage.aggregate({ where: { status: 'PENDING' }, _min: { createdAt: true } });
      const oldest = _min.createdAt;
      this.set(oldest ? Math.max(0, (now().getTime() - oldest.getTime()) / 1000) : 0);
    },
  });

  for (const [status, meaning] of [
    ['ACTIVE', 'in force'],
    ['EXPIRED', 'past their end date, inside the grace period'],
    ['REMOVED', 'removed'],
  ] as const) {
    new Gauge({
      name: `${METRIC_PREFIX}connections_${status.toLowerCase()}`,
      help: `Connections ${meaning}.`,
      registers,
      async collect() {
        this.set(await prisma.connection.count({ where: { status } }));
      },
    });
  }

  const jobRuns = new Counter({
    name: `${METRIC_PREFIX}job_runs_total`,
    help: 'Runs of scheduled jobs, by job and outcome (succeeded, failed, skipped).',
    labelNames: ['job', 'outcome'] as const,
    registers,
  });
  const jobSeconds = new Histogram({
    name: `${METRIC_PREFIX}job_run_duration_seconds`,
    help: 'How long runs of scheduled jobs took, by job.',
    labelNames: ['job'] as const,
    buckets: JOB_BUCKETS_SECONDS,
    registers,
  });
  const jobItems = new Counter({
    name: `${METRIC_PREFIX}job_items_total`,
    help: 'Items scheduled jobs handled, by job and kind of item.',
    labelNames: ['job', 'kind'] as const,
    registers,
  });

  return {
    registry: Registry.merge([processMetrics(), own]),

    observeListener(listener, receivedAt) {
      let series = seriesByListener.get(listener);
      if (!series) {
        series = { ack: ackSeconds.labels(listener), request: requestSeconds.labels(listener) };
        seriesByListener.set(listener, series);
      }
      return new TimedRequest(series, receivedAt);
    },

    recordJobRun(job, outcome, durationMs, counts) {
      jobRuns.inc({ job, outcome });
      if (Number.isFinite(durationMs) && durationMs >= 0) jobSeconds.observe({ job }, durationMs / 1000);
      for (const [kind, count] of Object.entries(counts)) {
        if (Number.isFinite(count) && count >= 0) jobItems.inc({ job, kind }, count);
      }
    },
  };
}
