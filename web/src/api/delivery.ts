import { request, requestVoid } from './client';
import type {
  DeliveryRule,
  DeliveryRuleInput,
  DeliveryStatus,
  Items,
  Notice,
  NoticeList,
  QualityReport,
} from './types';

/** Every dataset's rule; datasets never configured carry the catalog's defaults (system administrators). */
export async function listDeliveryRules(): Promise<DeliveryRule[]> {
  const { items } = await request<Items<DeliveryRule>>('/api/delivery/rules');
  return items;
}

/** Department officers get their own datasets; agency staff and reviewers every dataset. */
export function getDeliveryStatus(): Promise<DeliveryStatus> {
  return request<DeliveryStatus>('/api/delivery/status');
}

export async function saveDeliveryRule(dataset: string, input: DeliveryRuleInput): Promise<DeliveryRule> {
  const { rule } = await request<{ rule: DeliveryRule }>(
    `/api/delivery/rules/${encodeURIComponent(dataset)}`,
    {
      method: 'PUT',
      body: input,
    },
  );
  return rule;
}

export const NOTICE_PAGE_SIZE = 20;

/** The newest notices of the user's organisation (first page) and how many are unread. */
export function listNotices(): Promise<NoticeList> {
  return request<NoticeList>('/api/notices', { query: { page: 1, pageSize: NOTICE_PAGE_SIZE } });
}

/** Every unread notice, page after page (the bell's "mark all as read"). */
export async function listUnreadNotices(): Promise<Notice[]> {
  const pageSize = 200;
  const unread: Notice[] = [];
  for (let page = 1; ; page += 1) {
    const list = await request<NoticeList>('/api/notices', { query: { unread: 'true', page, pageSize } });
    unread.push(...list.items);
    if (list.items.length < pageSize || unread.length >= list.total) return unread;
  }
}

export function markNoticeRead(id: number): Promise<void> {
  return requestVoid(`/api/notices/${id}/read`, { method: 'POST' });
}

export function getQuality(departmentCode?: string): Promise<QualityReport> {
  return request<QualityReport>('/api/quality', { query: { departmentCode } });
}
