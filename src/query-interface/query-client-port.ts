import type { QueryClientPort } from '../app/ports.ts';
import type { Clock } from '../domain/shared/clock.ts';
import { type QueryClientDeps, queryPerson } from './query-client.ts';

/** The query client as the use cases see it: the clock (for dates and durations) is the injected one. */
export function queryClientPort(clock: Clock, extra: Omit<QueryClientDeps, 'now'> = {}): QueryClientPort {
  return {
    queryPerson: (config, { requestId, ...input }) =>
      queryPerson(config, input, {
        ...extra,
        now: () => clock.now(),
        ...(requestId === undefined ? {} : { requestId: () => requestId }),
      }),
  };
}
