import { isIP } from 'node:net';
import { DEADLINE_LABELS, type DeadlineKind, type DeadlineStage } from '../cases/dashboard.ts';
import { CASE_STATE_LABELS, type CaseState } from '../cases/workflow.ts';

/**
 * Webhooks to requesters' systems (issue #9 item 5): the events a subscription may follow, the payload each
 * carries (no names, no ID numbers: the receiver fetches details over the authenticated API), the retry
 * schedule, and which target addresses are refused (SSRF).
 */
export const WEBHOOK_EVENT_TYPES = [
  'entrustment.state_changed',
  'entrustment.document_issued',
  'entrustment.deadline_near',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** A `ping` is sent only by the 发送测试 button, whatever the subscription follows. */
export type WebhookMessageType = WebhookEventType | 'ping';

export const WEBHOOK_EVENT_LABELS: Readonly<Record<WebhookMessageType, string>> = {
  'entrustment.state_changed': '委托状态变更',
  'entrustment.document_issued': '文书出具',
  'entrustment.deadline_near': '期限临近或逾期',
  ping: '测试推送',
};

export const DELIVERY_STATES = ['pending', 'delivering', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export const DELIVERY_STATE_LABELS: Readonly<Record<DeliveryState, string>> = {
  pending: '待推送',
  delivering: '推送中',
  delivered: '已送达',
  failed: '推送失败',
};

/** Delays after the 1st, 2nd, … failed attempt; the 8th failure ends the delivery as `failed`. */
export const RETRY_DELAYS_MINUTES = [1, 5, 30, 120, 360, 720, 1440] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MINUTES.length + 1;
/** A rotated-out secret keeps signing beside the new one for this long, so receivers can switch over. */
export const PREVIOUS_SECRET_HOURS = 24;
export const DELIVERY_TIMEOUT_MS = 10_000;
/** How long a claimed delivery is held by one deliverer before another may take it over (crash). */
export const CLAIM_LEASE_MS = 60_000;

/** When the next attempt is due after `attempts` failed ones, or null when the delivery has failed for good. */
export function nextAttemptAt(attempts: number, failedAt: Date): Date | null {
  const minutes = RETRY_DELAYS_MINUTES[attempts - 1];
  if (attempts >= MAX_ATTEMPTS || minutes === undefined) return null;
  return new Date(failedAt.getTime() + minutes * 60_000);
}

/** What a receiver gets: the Standard Webhooks envelope `{ type, timestamp, data }`. */
export interface WebhookPayload {
  type: WebhookMessageType;
  timestamp: string;
  data: Record<string, string | number | null>;
}

export interface CaseFacts {
  id: number;
  number: string;
  state: string;
}

function caseData(kase: CaseFacts): Record<string, string | number> {
  return {
    entrustmentId: kase.id,
    caseNumber: kase.number,
    state: kase.state,
    stateLabel: CASE_STATE_LABELS[kase.state as CaseState] ?? kase.state,
  };
}

export function stateChangedPayload(
  kase: CaseFacts,
  event: { id: number; at: string; step: string; fromState: string | null; toState: string },
): WebhookPayload {
  return {
    type: 'entrustment.state_changed',
    timestamp: event.at,
    data: {
      eventId: `case-event-${event.id}`,
      occurredAt: event.at,
      ...caseData({ ...kase, state: event.toState }),
      previousState: event.fromState,
      step: event.step,
    },
  };
}

export function documentIssuedPayload(
  kase: CaseFacts,
  document: { id: number; kind: string; kindLabel: string; number: string; issuedAt: string },
): WebhookPayload {
  return {
    type: 'entrustment.document_issued',
    timestamp: document.issuedAt,
    data: {
      eventId: `case-document-${document.id}`,
      occurredAt: document.issuedAt,
      ...caseData(kase),
      documentId: document.id,
      documentKind: document.kind,
      documentKindLabel: document.kindLabel,
      documentNumber: document.number,
    },
  };
}

/** A deadline of the agency's on the entrustment is 1 working day away, due today or missed (the reminder job). */
export function deadlineNearPayload(
  kase: CaseFacts,
  deadline: { kind: DeadlineKind; due: string; stage: DeadlineStage; workdaysLeft: number },
  at: string,
): WebhookPayload {
  return {
    type: 'entrustment.deadline_near',
    timestamp: at,
    data: {
      eventId: `case-deadline-${kase.id}-${deadline.kind}-${deadline.due}-${deadline.stage}`,
      occurredAt: at,
      ...caseData(kase),
      deadline: deadline.kind,
      deadlineLabel: DEADLINE_LABELS[deadline.kind],
      due: deadline.due,
      stage: deadline.stage,
      workdaysLeft: deadline.workdaysLeft,
    },
  };
}

export function pingPayload(subscriptionId: number, at: string): WebhookPayload {
  return {
    type: 'ping',
    timestamp: at,
    data: { eventId: `ping-${subscriptionId}-${Date.parse(at)}`, occurredAt: at, subscriptionId },
  };
}

// ——— Target addresses (SSRF) ———

export type AddressKind = 'public' | 'loopback' | 'private';

function ipv4Kind(ip: string): AddressKind {
  const [a = 0, b = 0, c = 0] = ip.split('.').map(Number);
  if (a === 127) return 'loopback';
  const privateRange =
    a === 0 ||
    a === 10 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local (cloud metadata)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && c === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224; // multicast, reserved, broadcast
  return privateRange ? 'private' : 'public';
}

function ipv6Kind(ip: string): AddressKind {
  const lower = ip.toLowerCase().replace(/^\[|\]$/g, '');
  // IPv4-mapped, written dotted (::ffff:10.1.2.3) or as the URL parser normalises it (::ffff:a01:203).
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (dotted) return ipv4Kind(dotted);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const [hi, lo] = [Number.parseInt(hex[1] as string, 16), Number.parseInt(hex[2] as string, 16)];
    return ipv4Kind(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  if (lower === '::1') return 'loopback';
  if (lower === '::') return 'private';
  const first = Number.parseInt(lower.split(':')[0] || '0', 16);
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00)
    return 'private';
  return 'public';
}

/** Where an IP address points: loopback, a private/link-local/reserved range, or the public Internet. */
export function addressKind(ip: string): AddressKind {
  const version = isIP(ip.replace(/^\[|\]$/g, ''));
  if (version === 4) return ipv4Kind(ip);
  if (version === 6) return ipv6Kind(ip);
  return 'private';
}

export interface TargetPolicy {
  /** HEDUI_WEBHOOK_ALLOW_HTTP: plain http to any allowed host (test set-ups). */
  allowHttp: boolean;
  /** HEDUI_WEBHOOK_ALLOW_LOOPBACK: targets on this machine (tests, a receiver beside the server). */
  allowLoopback: boolean;
}

/** Why an address may not be called, or null when it may. */
export function refusedAddress(ip: string, policy: TargetPolicy): string | null {
  const kind = addressKind(ip);
  if (kind === 'public') return null;
  if (kind === 'loopback' && policy.allowLoopback) return null;
  return kind === 'loopback' ? '推送地址指向本机，未获允许' : '推送地址指向内网或保留地址，不允许';
}

/**
 * Checks a subscription's URL as written: https (http only to loopback or when allowed), no user information,
 * and a literal address or `localhost` judged at once. Host names are judged again on every call, on the
 * addresses they resolve to (the sender does that).
 */
export function checkWebhookUrl(raw: string, policy: TargetPolicy): { url: URL } | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: '推送地址不是有效的网址' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: '推送地址须以 https:// 开头' };
  if (url.username || url.password) return { problem: '推送地址不得包含用户名或密码' };
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const literal = isIP(host)
    ? host
    : host === 'localhost' || host.endsWith('.localhost')
      ? '127.0.0.1'
      : null;
  if (literal) {
    const refused = refusedAddress(literal, policy);
    if (refused) return { problem: refused };
  }
  const loopback = literal !== null && addressKind(literal) === 'loopback';
  if (url.protocol === 'http:' && !policy.allowHttp && !loopback)
    return { problem: '推送地址须以 https:// 开头' };
  return { url };
}
