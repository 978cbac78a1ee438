import type { AssessmentRecord, Member, RecordValue } from './types.ts';

/** Builders of hand-made records for the assessment tests; values keyed as the catalog keys them. */

let nextRecordId = 1;

export function record(
  dataset: string,
  values: Record<string, RecordValue>,
  overrides: Partial<AssessmentRecord> = {},
): AssessmentRecord {
  const recordId = nextRecordId++;
  return {
    recordId,
    dataset,
    batchId: `${dataset}-1`,
    departmentCode: 'test',
    dataAsOf: '2025-06-30',
    rowNumber: recordId + 1,
    values: { idNumber: '621002198503150410', name: '王建军', ...values },
    ...overrides,
  };
}

export const payroll = (month: string, grossPay: number) =>
  record('payroll', { employer: null, month, grossPay, netPay: Math.round(grossPay * 0.8) });

export const tax = (item: string, periodStart: string, periodEnd: string, income: number, taxPaid = 0) =>
  record('tax_income', { incomeItem: item, periodStart, periodEnd, income, taxPaid });

export const benefit = (month: string, amount: number, benefitType = '养老金') =>
  record('benefit', { benefitType, month, amount });

export const contribution = (month: string, personalContribution: number, insuranceType = '职工养老保险') =>
  record('contribution', {
    insuranceType,
    employer: null,
    month,
    contributionBase: personalContribution * 12,
    personalContribution,
  });

export const providentFund = (month: string, withdrawal: number | null) =>
  record('provident_fund', {
    accountStatus: '正常',
    month,
    monthlyDeposit: 96_000,
    balance: 4_521_036,
    withdrawal,
  });

export const subsidy = (item: string, paymentDate: string, amount: number) =>
  record('subsidy', { item, issuingDepartment: '西峰区农业农村局', paymentDate, amount });

export const deposit = (
  accountNumber: string | null,
  assetType: string,
  balance: number,
  asOfDate: string,
  institution = '中国农业银行庆阳西峰支行',
  overrides: Partial<AssessmentRecord> = {},
) => record('deposit', { institution, accountNumber, assetType, balance, asOfDate }, overrides);

export const vehicle = (
  plateNumber: string,
  vehicleStatus = '正常',
  disabilityVehicle: boolean | null = false,
) =>
  record('vehicle', {
    plateNumber,
    vehicleType: '小型普通客车',
    useCharacter: '非营运',
    firstRegistrationDate: '2019-05-20',
    vehicleStatus,
    disabilityVehicle,
  });

export const transport = (plateOrVesselName: string, permitStatus = '有效') =>
  record('transport', {
    plateOrVesselName,
    transportType: '出租汽车',
    permitDate: '2021-03-18',
    permitStatus,
  });

export const realEstate = (
  unitNumber: string,
  floorArea: number,
  share: number | null,
  rightStatus = '现势',
) =>
  record('real_estate', {
    unitNumber,
    location: null,
    purpose: '住宅',
    floorArea,
    registrationDate: '2016-09-12',
    rightStatus,
    ownershipMode: share === null || share === 10_000 ? '单独所有' : '按份共有',
    share,
  });

export const marketEntity = (
  creditCode: string,
  subscribedCapital: number | null,
  registrationStatus = '存续',
) =>
  record('market_entity', {
    entityName: '西峰区某某便民超市',
    creditCode,
    entityType: '个体工商户',
    role: '经营者',
    subscribedCapital,
    capitalShare: 10_000,
    establishedDate: '2020-04-08',
    registrationStatus,
  });

export const hukou = (
  householdNumber: string,
  relationToHead: string | null = '户主',
  hukouStatus = '正常',
  statusChangeDate: string | null = null,
  overrides: Partial<AssessmentRecord> = {},
) =>
  record(
    'hukou',
    {
      sex: '男',
      birthDate: '1985-03-15',
      householdNumber,
      relationToHead,
      address: '甘肃省庆阳市西峰区南大街12号',
      hukouStatus,
      statusChangeDate,
    },
    overrides,
  );

/** `partnerIdNumberKey` is the blind index of the partner's ID number, as import stores it. */
export const marriage = (
  registrationType: string,
  registrationDate: string,
  partnerIdNumberKey: string | null,
  overrides: Partial<AssessmentRecord> = {},
) =>
  record(
    'marriage',
    {
      registrationType,
      registrationDate,
      partnerIdNumber: partnerIdNumberKey === null ? null : `enc:${partnerIdNumberKey}`,
      partnerIdNumberKey,
      partnerName: 'enc:name',
    },
    overrides,
  );

export const death = (deathDate: string, source = '火化', overrides: Partial<AssessmentRecord> = {}) =>
  record('death', { deathDate, source }, overrides);

export const disability = (
  category = '肢体',
  grade = '四级',
  certificateNumber = '62100219850315041044',
  overrides: Partial<AssessmentRecord> = {},
) => record('disability', { certificateNumber, category, grade, issueDate: '2018-07-10' }, overrides);

export function member(memberId: string, overrides: Partial<Member> = {}): Member {
  return { memberId, name: memberId, relation: '户主', coResiding: true, exclusion: null, ...overrides };
}
