import type { Migration } from 'kysely';
import type { Dialect } from '../dialect.ts';
import { foundation } from './202611231930_foundation.ts';
import { departmentData } from './202611232030_department_data.ts';
import { policyProfiles } from './202611232130_policy_profiles.ts';
import { assessment } from './202611240900_assessment.ts';
import { cases } from './202611241000_cases.ts';
import { noticeRecipient } from './202611250100_notice_recipient.ts';
import { caseEscalation } from './202611250900_case_escalation.ts';
import { roster } from './202611250930_roster.ts';
import { caseForceMajeure } from './202611251000_case_force_majeure.ts';
import { dishonesty } from './202611251100_dishonesty.ts';
import { recheck } from './202611251200_recheck.ts';
import { recheckMarks } from './202611251300_recheck_marks.ts';
import { recheckReport } from './202611251330_recheck_report.ts';
import { unidentifiedBatches } from './202611260100_unidentified_batches.ts';
import { secondFactor } from './202611260300_second_factor.ts';
import { auditProtection } from './202611260500_audit_protection.ts';
import { retention } from './202611260510_retention.ts';
import { exportRequest } from './202611260700_export_request.ts';
import { apiScopes } from './202611270100_api_scopes.ts';
import { webhooks } from './202611270200_webhooks.ts';
import { recordPartitions } from './202611270300_record_partitions.ts';
import { importJob } from './202611270310_import_job.ts';
import { recordBirthWithoutId } from './202611270400_record_birth_without_id.ts';

/** The static, ordered list of migrations. Never edit a landed migration: add a new one. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '202611231930_foundation': foundation(dialect),
    '202611232030_department_data': departmentData(dialect),
    '202611232130_policy_profiles': policyProfiles(dialect),
    '202611240900_assessment': assessment(dialect),
    '202611241000_cases': cases(dialect),
    '202611250100_notice_recipient': noticeRecipient(dialect),
    '202611250900_case_escalation': caseEscalation(dialect),
    '202611250930_roster': roster(dialect),
    '202611251000_case_force_majeure': caseForceMajeure(),
    '202611251100_dishonesty': dishonesty(dialect),
    '202611251200_recheck': recheck(dialect),
    '202611251300_recheck_marks': recheckMarks(dialect),
    '202611251330_recheck_report': recheckReport(dialect),
    '202611260100_unidentified_batches': unidentifiedBatches(dialect),
    '202611260300_second_factor': secondFactor(dialect),
    '202611260500_audit_protection': auditProtection(dialect),
    '202611260510_retention': retention(dialect),
    '202611260700_export_request': exportRequest(dialect),
    '202611270100_api_scopes': apiScopes(dialect),
    '202611270200_webhooks': webhooks(dialect),
    '202611270300_record_partitions': recordPartitions(dialect),
    '202611270310_import_job': importJob(),
    '202611270400_record_birth_without_id': recordBirthWithoutId(dialect),
  };
}
