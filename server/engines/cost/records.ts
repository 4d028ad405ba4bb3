// The plain records cost calculations read: what the storage and compute engines measured, one
// line per day, run, object or access. Nothing here is an estimate; estimates are made from these.
import type { StorageTier } from '../prices';

/** Where work ran, as costs are counted: on this machine, or burst to rented cloud machines (the compute engine's cluster). */
export type ComputeTier = 'local' | 'cloud';
export const COMPUTE_TIERS: readonly ComputeTier[] = ['local', 'cloud'];

/** A calendar day in UTC, YYYY-MM-DD. */
export type Day = string;

/** One storage tier on one day. */
export interface StorageUsageRecord {
  readonly day: Day;
  readonly tier: StorageTier;
  /** Data kept that day, as a share of a month: GB stored × (1 / days in the month). */
  readonly gbMonths: number;
  /** PUT, COPY, POST and LIST requests. */
  readonly writeRequests: number;
  /** GET and other requests. */
  readonly readRequests: number;
  /** GB restored out of an archive class. */
  readonly retrievalGb: number;
  /** GB read out of the provider's network to this machine. */
  readonly egressGb: number;
  /**
   * GB-days still owed for objects removed before the class's minimum duration
   * (size × days short of it), summed over the objects removed that day.
   */
  readonly earlyRemovalGbDays?: number;
}

/** Workload kinds the scheduler classifies runs into. */
export type WorkloadType = 'query' | 'etl' | 'ml' | 'migration';
export const WORKLOAD_TYPES: readonly WorkloadType[] = ['query', 'etl', 'ml', 'migration'];

/** Why a run went to the cloud, as the scheduler decided it. */
export type BurstReason = 'local-busy' | 'too-large' | 'requested';

/** One finished workload run. */
export interface ComputeRunRecord {
  readonly id: string;
  /** The day the run started. */
  readonly day: Day;
  readonly tier: ComputeTier;
  readonly type: WorkloadType;
  /** Cloud machine size name from the price book; absent for local runs. */
  readonly size?: string;
  readonly hours: number;
  /** What the run cost as the compute engine recorded it; priced from the book when absent. */
  readonly costUsd?: number;
  /** For cloud runs: why it did not run locally. */
  readonly burstReason?: BurstReason;
}

/** One stored object as the storage engine lists it. */
export interface ObjectRecord {
  readonly key: string;
  readonly tier: StorageTier;
  readonly sizeBytes: number;
  /** Milliseconds since the epoch. */
  readonly storedAt: number;
  /** Last read, or `storedAt` when never read. */
  readonly lastAccessAt: number;
  /** A pinned object stays where it is; it is never proposed for archiving. */
  readonly pinned?: boolean;
}

/** One access to the local tier's candidates, in the order they happened, for replays. */
export interface AccessRecord {
  readonly at: number;
  readonly key: string;
  readonly sizeBytes: number;
  readonly kind: 'read' | 'store' | 'delete';
}

/** The compute engine's limits a recommendation may change. */
export interface ComputeLimits {
  /** Local work is admitted while the machine's CPU stays under this share (0-100). */
  readonly localCpuLimitPct: number;
}

export const GB = 1024 ** 3;
export const DAY_MS = 86_400_000;

export function isDay(value: unknown): value is Day {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

export function dayOf(ms: number): Day {
  return new Date(ms).toISOString().slice(0, 10);
}

export function dayStart(day: Day): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function addDays(day: Day, days: number): Day {
  return dayOf(dayStart(day) + days * DAY_MS);
}

export function daysInMonth(day: Day): number {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Every day from `first` to `last`, both included. */
export function daysBetween(first: Day, last: Day): Day[] {
  const days: Day[] = [];
  for (let t = dayStart(first); t <= dayStart(last); t += DAY_MS) days.push(dayOf(t));
  return days;
}
