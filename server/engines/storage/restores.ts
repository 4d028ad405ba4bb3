// Restores from the archive storage class: requesting one (the object is marked "restoring" with
// the time it should be readable), polling x-amz-restore until the archive says it is, and then
// moving it to the cloud tier when the restore was asked for by a move rather than by a read.
import type { StorageCore } from './core';
import { StorageError } from './errors';
import { withHistory } from './records';

/** Days a restored archive copy stays readable. */
const RESTORE_DAYS = 7;
/** How long each archive class usually takes to make an object readable (Standard retrieval). */
const RESTORE_HOURS: Readonly<Record<string, number>> = { GLACIER: 5, DEEP_ARCHIVE: 12, GLACIER_IR: 0 };

export class Restores {
  private restoreTimer: NodeJS.Timeout | undefined;

  /** `moveToCloud` finishes a restore asked for by a move: it copies the readable archive copy to the cloud tier. */
  constructor(
    private readonly core: StorageCore,
    private readonly moveToCloud: (key: string) => Promise<unknown>,
  ) {}

  /** Stops polling (on close). */
  stop(): void {
    clearInterval(this.restoreTimer);
  }

  async startRestore(key: string, thenMoveToCloud: boolean): Promise<string> {
    const cloud = this.core.requireCloud();
    await cloud.requestRestore(key, RESTORE_DAYS);
    const record = this.core.record(key);
    const hours = RESTORE_HOURS[record.copies.archive?.storageClass ?? 'GLACIER'] ?? 5;
    const now = new Date();
    const expectedAt = new Date(now.getTime() + hours * 3600 * 1000).toISOString();
    await this.core.index.transact((state) => {
      const current = state.objects.get(key);
      if (current === undefined) return { ops: [], result: undefined };
      const restoring = { requestedAt: now.toISOString(), expectedAt: current.restoring?.expectedAt ?? expectedAt, thenMoveToCloud: thenMoveToCloud || current.restoring?.thenMoveToCloud === true };
      return { ops: [{ t: 'put', r: withHistory({ ...current, restoring }, 'restore-requested', 'archive') }], result: undefined };
    });
    this.core.emit({ keys: [key] });
    this.scheduleRestorePolling();
    return this.core.record(key).restoring?.expectedAt ?? expectedAt;
  }

  /** Reads x-amz-restore; once the archive says the copy is readable, clears "restoring" (and moves it when asked). */
  async pollRestore(key: string): Promise<void> {
    const cloud = this.core.requireCloud();
    const record = this.core.record(key);
    if (record.restoring === undefined) return;
    const head = await cloud.head('archive', key);
    if (head?.restore?.ongoing !== false) return;
    const restoring = record.restoring;
    await this.core.index.transact((state) => {
      const current = state.objects.get(key);
      if (current?.restoring === undefined || !current.copies.archive) return { ops: [], result: undefined };
      const { restoring: _done, ...rest } = current;
      const next = withHistory({ ...rest, copies: { ...current.copies, archive: { ...current.copies.archive, ...(head.restore?.expiry ? { restoredUntil: head.restore.expiry } : {}) } } }, 'restored', 'archive');
      return { ops: [{ t: 'put', r: next }], result: undefined };
    });
    this.core.emit({ keys: [key] });
    if (restoring.thenMoveToCloud) await this.moveToCloud(key);
  }

  scheduleRestorePolling(): void {
    if (this.core.options.background !== true || this.restoreTimer !== undefined || this.core.closed) return;
    this.restoreTimer = setInterval(() => void this.pollAllRestores(), this.core.options.restorePollMs ?? 60_000);
    this.restoreTimer.unref();
  }

  private async pollAllRestores(): Promise<void> {
    const restoring = [...this.core.index.state.objects.values()].filter((record) => record.restoring !== undefined);
    if (restoring.length === 0) {
      clearInterval(this.restoreTimer);
      this.restoreTimer = undefined;
      return;
    }
    for (const record of restoring) {
      if (this.core.closed) return;
      await this.pollRestore(record.key).catch((error: unknown) => this.core.noteCloudFailure(error));
    }
  }
}

export function restoringError(key: string, expectedAt: string): StorageError {
  return new StorageError('restoring', `${key} is archived and being restored; it should be readable around ${expectedAt}. Try again then.`);
}
