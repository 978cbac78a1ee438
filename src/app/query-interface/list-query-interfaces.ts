import type { Deps } from '../ports.ts';
import {
  presentQueryInterface,
  type QueryInterfaceView,
  queryInterfaceOrThrow,
} from './query-interface-view.ts';

/**
 * Departments' query interfaces, credentials hidden. Administrators configure them; agency staff see them so
 * they know which sources a verification will call.
 */
export async function listQueryInterfaces(deps: Deps): Promise<QueryInterfaceView[]> {
  const records = await deps.store.queryInterfaces.list({ enabledOnly: false });
  return records.map((record) => presentQueryInterface(deps, record));
}

export async function getQueryInterface(deps: Deps, id: number): Promise<QueryInterfaceView> {
  return presentQueryInterface(deps, await queryInterfaceOrThrow(deps.store, id));
}
