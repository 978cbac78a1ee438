/** The assistance types a household may be verified for (SPEC/Q§2), each with its own policy profile. */
export const ASSISTANCE_TYPES = [
  'subsistence_allowance',
  'extreme_poverty',
  'medical_assistance',
  'temporary_assistance',
  'education_assistance',
  'housing_assistance',
  'employment_assistance',
  'disaster_relief',
] as const;
export type AssistanceType = (typeof ASSISTANCE_TYPES)[number];

export const ASSISTANCE_TYPE_LABELS: Readonly<Record<AssistanceType, string>> = {
  subsistence_allowance: '最低生活保障',
  extreme_poverty: '特困人员救助供养',
  medical_assistance: '医疗救助',
  temporary_assistance: '临时救助',
  education_assistance: '教育救助',
  housing_assistance: '住房救助',
  employment_assistance: '就业救助',
  disaster_relief: '受灾人员救助',
};

export function isAssistanceType(value: string): value is AssistanceType {
  return (ASSISTANCE_TYPES as readonly string[]).includes(value);
}
