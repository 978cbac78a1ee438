import type { BatchRecord } from '../ports.ts';

/** What the import of unidentified rows (「待认定记录」) reads beyond the ordinary batch repository. */
export interface UnidentifiedRepository {
  /** The committed unidentified batch of a dataset for exactly this period. */
  current(dataset: string, period: string): Promise<BatchRecord | undefined>;
  /** Committed unidentified batches of a dataset whose months overlap [first, last]. */
  committedOverlapping(dataset: string, firstMonth: string, lastMonth: string): Promise<BatchRecord[]>;
  /**
   * The register's persons among these person keys: the person key and encrypted name of every record of these
   * (hukou) batches carrying one of the keys — one query, whatever the number of keys (callers bound it).
   */
  registerNames(batchIds: number[], personKeys: string[]): Promise<{ personKey: string; nameEnc: string }[]>;
  /**
   * Marks for the change-driven recheck the standing roster families with a member born on the day of a row of
   * this batch that has no person key (left to name + birth-date matching); returns the marks written.
   */
  markByBirthDate(batchId: number, at: string): Promise<number>;
}

/** Keys one `registerNames` call may take: one statement's bound values stay under SQLite's 32 766. */
export const MAX_REGISTER_KEYS = 30_000;
