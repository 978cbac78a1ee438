import {
  type DeadlineKind,
  type DeadlineStage,
  deadlineNoticeKey,
  deadlineNoticeText,
  deadlineStage,
  remindedDeadline,
} from '../../domain/cases/dashboard.ts';
import type { CaseState } from '../../domain/cases/workflow.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import { loadWorkdayCalendar } from '../calendar/calendar.ts';
import type { CaseRow, Deps } from '../ports.ts';
import { recordDeadlineNear } from '../webhooks/outbox.ts';
import { type AgencyDirectory, agencyDirectory } from './case-agency.ts';
import { deadlinesOf } from './case-view.ts';

/**
 * Deadline reminders and escalation (issue #5), run hourly by the scheduler: a deadline the agency answers for
 * (acceptance, the report, the review) 1 working day away (REMINDER_WORKDAYS) and again on the day reminds the
 * case's handler and reviewer — before acceptance, the agency as a whole; once missed it is escalated to every
 * active reviewer of the agency holding the case (there is no separate agency-head role: the reviewers are its
 * responsible persons), and a missed acceptance also to the requester. One notice per case, deadline, stage
 * and recipient however often the job runs (the notice's dedupe key); a case that produced new notices is
 * audited with them, in the same transaction.
 */

export const REMINDER_NOTICE_KIND = 'case_deadline_reminder';
export const ESCALATION_NOTICE_KIND = 'case_deadline_escalation';

/** States whose deadlines run (the others have none, or are final). */
const RUNNING_STATES: readonly CaseState[] = [
  'submitted',
  'verifying',
  'awaiting_approval',
  'appealed',
  'reviewing',
  'review_awaiting_approval',
];

interface Recipient {
  organisationId: number;
  userId: number | null;
}

export interface ReminderItem {
  caseNumber: string;
  deadline: DeadlineKind;
  due: string;
  stage: DeadlineStage;
  workdaysLeft: number;
  recipients: number;
  noticesCreated: number;
}

export interface ReminderRunResult {
  today: string;
  casesChecked: number;
  noticesCreated: number;
  items: ReminderItem[];
}

function usersAsRecipients(directory: AgencyDirectory, ids: readonly (number | null)[]): Recipient[] {
  const out: Recipient[] = [];
  for (const id of new Set(ids)) {
    const user = directory.user(id);
    if (user?.active) out.push({ organisationId: user.organisationId, userId: user.id });
  }
  return out;
}

function recipientsOf(
  directory: AgencyDirectory,
  kase: CaseRow,
  kind: DeadlineKind,
  stage: DeadlineStage,
): Recipient[] {
  const agency = directory.agencyOf(kase);
  const reviewers = agency
    ? directory
        .reviewersOf(agency.id)
        .map((user) => ({ organisationId: user.organisationId, userId: user.id }))
    : [];
  if (stage === 'missed')
    return kind === 'acceptance'
      ? [...reviewers, { organisationId: kase.requesterOrganisationId, userId: null }]
      : reviewers;
  // Before acceptance (and before a review group is named) nobody holds the case yet: the agency does.
  if (kind === 'acceptance') return agency ? [{ organisationId: agency.id, userId: null }] : [];
  if (kase.state === 'appealed') return reviewers;
  return usersAsRecipients(directory, [kase.handlerId, kase.reviewerId]);
}

export async function sendDeadlineReminders(deps: Deps): Promise<ReminderRunResult> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const today = shanghaiDateOf(now);
  const [{ items: cases }, calendar, organisations, users] = await Promise.all([
    deps.store.cases.list({ regionScope: null, states: [...RUNNING_STATES], offset: 0, limit: 1_000_000 }),
    loadWorkdayCalendar(deps.store),
    deps.store.organisations.list(null),
    deps.store.users.list({ regionScope: null }),
  ]);
  const directory = agencyDirectory(organisations, users);
  const items: ReminderItem[] = [];
  for (const kase of cases) {
    for (const deadline of deadlinesOf(kase, calendar, today)) {
      if (!remindedDeadline(deadline.kind)) continue;
      const stage = deadlineStage(deadline.workdaysLeft);
      if (stage === null || deadline.workdaysLeft === null) continue;
      const workdaysLeft = deadline.workdaysLeft;
      const recipients = recipientsOf(directory, kase, deadline.kind, stage);
      const text = deadlineNoticeText(kase.number, deadline.kind, deadline.due, stage, workdaysLeft);
      const created =
        recipients.length === 0
          ? 0
          : await deps.store.transaction(async (tx) => {
              let count = 0;
              for (const recipient of recipients)
                if (
                  await tx.notices.createOnce({
                    organisationId: recipient.organisationId,
                    recipientUserId: recipient.userId,
                    kind: stage === 'missed' ? ESCALATION_NOTICE_KIND : REMINDER_NOTICE_KIND,
                    dedupeKey: deadlineNoticeKey(kase.id, deadline.kind, deadline.due, stage, recipient),
                    ...text,
                    createdAt: at,
                  })
                )
                  count += 1;
              if (count > 0) {
                await recordDeadlineNear(
                  tx,
                  kase,
                  { kind: deadline.kind, due: deadline.due, stage, workdaysLeft },
                  at,
                );
                await tx.audit.append(
                  SYSTEM_ACTOR,
                  {
                    action: stage === 'missed' ? 'CASE_DEADLINE_ESCALATED' : 'CASE_DEADLINE_REMINDED',
                    outcome: 'success',
                    objectType: 'case',
                    objectId: String(kase.id),
                    caseId: kase.number,
                    details: {
                      deadline: deadline.kind,
                      due: deadline.due,
                      stage,
                      workdaysLeft,
                      calendarVersion: kase.calendarVersion,
                      notices: count,
                    },
                  },
                  at,
                );
              }
              return count;
            });
      items.push({
        caseNumber: kase.number,
        deadline: deadline.kind,
        due: deadline.due,
        stage,
        workdaysLeft,
        recipients: recipients.length,
        noticesCreated: created,
      });
    }
  }
  return {
    today,
    casesChecked: cases.length,
    noticesCreated: items.reduce((sum, item) => sum + item.noticesCreated, 0),
    items,
  };
}
