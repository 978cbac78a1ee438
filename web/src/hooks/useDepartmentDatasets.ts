import { listDatasets } from '../api/datasets';
import { getDeliveryStatus } from '../api/delivery';
import type { Dataset, DeliveryStatus, DeliveryStatusItem } from '../api/types';
import { type AsyncState, useAsync } from './useAsync';

export interface DepartmentDataset {
  dataset: Dataset;
  /** The delivery status of this dataset, when the server could tell. */
  status: DeliveryStatusItem | null;
}

export interface DepartmentDatasets {
  items: DepartmentDataset[];
  today: string | null;
  /** Why the delivery status is missing; the list then holds the whole catalog and the server decides on upload. */
  statusError: unknown;
}

/**
 * The datasets the signed-in department delivers. The delivery status is scoped to the officer's department,
 * so it decides which catalog entries to show; without it every dataset is listed.
 */
async function loadDepartmentDatasets(): Promise<DepartmentDatasets> {
  const [catalog, delivery] = await Promise.all([
    listDatasets(),
    getDeliveryStatus().then(
      (value): { ok: true; value: DeliveryStatus } => ({ ok: true, value }),
      (error: unknown): { ok: false; error: unknown } => ({ ok: false, error }),
    ),
  ]);
  if (!delivery.ok) {
    return {
      items: catalog.map((dataset) => ({ dataset, status: null })),
      today: null,
      statusError: delivery.error,
    };
  }
  const byCode = new Map(catalog.map((dataset) => [dataset.code, dataset]));
  const items = delivery.value.items.flatMap((status): DepartmentDataset[] => {
    const dataset = byCode.get(status.dataset);
    return dataset ? [{ dataset, status }] : [];
  });
  return { items, today: delivery.value.today, statusError: null };
}

export function useDepartmentDatasets(): {
  state: AsyncState<DepartmentDatasets>;
  reload: () => Promise<void>;
} {
  return useAsync(loadDepartmentDatasets);
}
