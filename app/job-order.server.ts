import { AsyncLocalStorage } from "node:async_hooks";
import { type QueryResult, type QueryResultRow } from "pg";
import { singleton } from "./singleton.server";

/**
 * Where the work in progress stands in the job queue's own order: a job's
 * priority, then its id (graphile-worker fetches jobs in that order too), and
 * anything outside a job (a web request) ahead of every job.
 *
 * A worker runs a thousand jobs at once, and they meet at a few shared
 * resources. First come first served, each company's next crawl request
 * queued behind one request of every other company: all of a run's first
 * companies finished their crawls late together, and their addresses reached
 * verification (whose calls a window limits, so that the first of them set
 * when the last can go) a minute into the run. The crawler's requests in
 * flight now go to the companies that started first; a later stage's work
 * (verification, scoring) goes ahead of enrichment's at the platform
 * connections. The same work is done in the same time.
 */
export type JobRank = readonly [priority: number, id: number];

const OUTSIDE_A_JOB: JobRank = [-Infinity, 0];

const current = singleton("job-order", () => new AsyncLocalStorage<JobRank>());

/** Runs `fn` as the job of this priority and id (graphile-worker's lower numbers first). */
export function inJobOrder<T>(job: { priority: number; id: string }, fn: () => T): T {
  return current.run([job.priority, Number(job.id)], fn);
}

export function currentJobRank(): JobRank {
  return current.getStore() ?? OUTSIDE_A_JOB;
}

/** The current job's priority alone: jobs of one priority are equals (served in the order they ask). */
function currentJobPriority(): JobRank {
  return [currentJobRank()[0], 0];
}

function earlierInQueue(a: JobRank, b: JobRank): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

export type OrderedSlots = {
  /** Resolves once a slot is the caller's: at once while one is free, else when every earlier job waiting has had one. */
  take(): Promise<void>;
  give(): void;
  inUse(): number;
  waiting(): number;
};

/** `size` slots handed to waiters in the order `rankOf` gives them (callers of equal rank in the order they asked). */
export function orderedSlots(size: number, rankOf: () => JobRank = currentJobRank): OrderedSlots {
  let inUse = 0;
  // Kept sorted: a newcomer is placed after every waiter of its rank or earlier.
  const waiting: Array<{ rank: JobRank; start: () => void }> = [];
  return {
    take() {
      if (inUse < size) {
        inUse += 1;
        return Promise.resolve();
      }
      const rank = rankOf();
      return new Promise<void>((resolve) => {
        let at = waiting.length;
        while (at > 0 && earlierInQueue(rank, waiting[at - 1]!.rank)) at -= 1;
        waiting.splice(at, 0, {
          rank,
          start: () => {
            inUse += 1;
            resolve();
          },
        });
      });
    },
    give() {
      inUse -= 1;
      waiting.shift()?.start();
    },
    inUse: () => inUse,
    waiting: () => waiting.length,
  };
}

/** What `orderedStatements` sends through: pg's Pool, or anything with its query(text, values). */
export type Statements = {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
};

/**
 * A pool's statements, at most `size` at once (the pool's own size), a later
 * stage's first. Within a priority they go in the order they were made: each
 * job's statements are steps between its waits on the network, and serving
 * the earliest jobs' first would leave later ones no turn until those are
 * done, so fewer companies would wait on the network at once.
 */
export function orderedStatements(pool: Statements, size: number): Statements {
  const slots = orderedSlots(size, currentJobPriority);
  return {
    async query<R extends QueryResultRow>(text: string, values?: unknown[]) {
      await slots.take();
      try {
        return await pool.query<R>(text, values);
      } finally {
        slots.give();
      }
    },
  };
}
