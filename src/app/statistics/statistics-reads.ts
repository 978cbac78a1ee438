/**
 * What the statistics read from the store beyond the cases themselves (implemented in
 * src/store/statistics.queries.ts, reached through the case repository): the details of counted case steps,
 * and the monthly recheck's items and alerts counted per region — never a family's data.
 */
export interface StatisticsReads {
  /** The steps of these kinds taken in these cases, with their details, in order. */
  caseStepDetails(
    caseIds: readonly number[],
    steps: readonly string[],
  ): Promise<{ caseId: number; step: string; at: string; details: Record<string, unknown> }[]>;
  /**
   * Recheck items and alerts of the runs of months `fromMonth`…`toMonth` (`YYYY-MM`), counted per region of
   * the requester the family belongs to, item status and change list (items) or state (alerts).
   */
  recheckCounts(filter: { regionScope: string | null; fromMonth: string; toMonth: string }): Promise<{
    items: { regionCode: string; status: string; changes: string[]; count: number }[];
    alerts: { regionCode: string; state: string; count: number }[];
  }>;
}
