import { CheckOutlined, CloseOutlined, HistoryOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { type HTMLAttributes, useCallback, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  type AssessmentComparison,
  type AssessmentMode,
  type AssessmentView,
  type AssetEvidence,
  type CivilStatusContradiction,
  type Discrepancy,
  decideMatch,
  getAssessment,
  getAssessmentComparison,
  INCOME_CATEGORIES,
  type IncomeCategory,
  type IncomeEvidence,
  type MatchDecision,
  type MemberAssessment,
  type MemberCivilStatus,
  type MemberView,
  type NotCountedReason,
  type PossibleMatch,
  type Provenance,
  type RecordLink,
  rerunAssessment,
  type SourceBatch,
  type UnusedRecord,
} from '../api/assessments';
import { listDatasets } from '../api/datasets';
import type { Dataset } from '../api/types';
import { useMe } from '../auth/session';
import { LoadFailed } from '../components/LoadFailed';
import {
  DISCREPANCY_CATEGORY_LABEL,
  DISCREPANCY_KIND_LABEL,
  EXCLUSION_LABEL,
  FIGURE_INFO,
  figureValueText,
  formatHundredths,
  INCOME_CATEGORY_LABEL,
  LINK_BASIS_LABEL,
  MARITAL_LABEL,
  MEMBER_NOT_COUNTED_LABEL,
  NOT_COUNTED_REASON_LABEL,
  SEVERITY_COLOR,
  SEVERITY_LABEL,
  yuanText,
} from '../domain/assessment';
import { ASSISTANCE_TYPE_LABEL } from '../domain/policy';
import { useAsync } from '../hooks/useAsync';
import { describeError, isSessionExpired, useNotifyError } from '../hooks/useNotifyError';
import { type I18n, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { EMPTY, formatDateTime } from '../utils/datetime';
import { withTestId } from '../utils/testId';

type T = I18n['t'];

/** Dataset and department names from the catalog; a code the catalog does not know is shown as it is. */
interface Catalog {
  datasetName: (code: string) => string;
  departmentName: (code: string) => string;
}

function catalogOf(datasets: readonly Dataset[]): Catalog {
  const datasetNames = new Map(datasets.map((d) => [d.code, d.name]));
  const departmentNames = new Map(datasets.map((d) => [d.departmentCode, d.departmentName]));
  return {
    datasetName: (code) => datasetNames.get(code) ?? code,
    departmentName: (code) => departmentNames.get(code) ?? code,
  };
}

function reasonText(t: T, reason: NotCountedReason | undefined, detail?: string): string {
  if (!reason) return '';
  const key = NOT_COUNTED_REASON_LABEL[reason];
  const text = key ? t(key) : reason;
  return detail ? `${text}（${detail}）` : text;
}

function CountedTag({
  counted,
  reason,
  detail,
}: {
  counted: boolean;
  reason?: NotCountedReason;
  detail?: string;
}) {
  const { t } = useI18n();
  return counted ? (
    <Tag color="green">{t('assessment.evidence.counted')}</Tag>
  ) : (
    <Tag color="default">{`${t('assessment.evidence.notCounted')}：${reasonText(t, reason, detail)}`}</Tag>
  );
}

function SeverityTag({ severity, testId }: { severity: Discrepancy['severity']; testId?: string }) {
  const { t } = useI18n();
  return (
    <Tag color={SEVERITY_COLOR[severity]} data-testid={testId} data-severity={severity}>
      {t(SEVERITY_LABEL[severity])}
    </Tag>
  );
}

function provenanceColumns<R extends Provenance>(t: T, catalog: Catalog): TableColumnsType<R> {
  return [
    {
      title: t('assessment.evidence.dataset'),
      key: 'dataset',
      render: (_, r) => catalog.datasetName(r.dataset),
    },
    {
      title: t('assessment.evidence.department'),
      key: 'department',
      render: (_, r) => catalog.departmentName(r.departmentCode),
    },
    { title: t('assessment.evidence.batch'), key: 'batch', render: (_, r) => `#${r.batchId}` },
    { title: t('assessment.evidence.dataAsOf'), dataIndex: 'dataAsOf', key: 'dataAsOf' },
    { title: t('assessment.evidence.row'), dataIndex: 'rowNumber', key: 'row' },
  ];
}

// ---------------------------------------------------------------- member income

interface EvidenceRow extends IncomeEvidence {
  key: string;
  category: IncomeCategory;
}

function IncomeEvidenceTable({
  rows,
  catalog,
  testId,
}: {
  rows: EvidenceRow[];
  catalog: Catalog;
  testId: string;
}) {
  const { t } = useI18n();
  const columns: TableColumnsType<EvidenceRow> = [
    {
      title: t('assessment.evidence.category'),
      key: 'category',
      render: (_, r) => t(INCOME_CATEGORY_LABEL[r.category]),
    },
    { title: t('assessment.evidence.month'), dataIndex: 'month', key: 'month' },
    ...provenanceColumns<EvidenceRow>(t, catalog),
    {
      title: t('assessment.evidence.item'),
      key: 'item',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <span>{r.item ?? EMPTY}</span>
          {r.spread && (
            <Typography.Text type="secondary">
              {t('assessment.evidence.spread', {
                start: r.spread.periodStart,
                end: r.spread.periodEnd,
                total: yuanText(r.spread.periodTotalFen),
              })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('assessment.evidence.amount'),
      key: 'amount',
      align: 'right',
      render: (_, r) => <span data-testid={`${testId}-amount`}>{yuanText(r.amountFen)}</span>,
    },
    {
      title: t('assessment.evidence.status'),
      key: 'status',
      render: (_, r) => <CountedTag counted={r.counted} reason={r.reason} />,
    },
  ];
  return (
    <Table<EvidenceRow>
      size="small"
      rowKey="key"
      columns={columns}
      dataSource={rows}
      pagination={false}
      data-testid={testId}
    />
  );
}

interface MonthRow {
  month: string;
  amounts: Record<IncomeCategory, number>;
  total: number;
  evidence: EvidenceRow[];
}

function monthRows(member: MemberAssessment, months: readonly string[]): MonthRow[] {
  return months.map((month) => {
    const amounts = {} as Record<IncomeCategory, number>;
    const evidence: EvidenceRow[] = [];
    for (const category of INCOME_CATEGORIES) {
      const figure = member.income.categories[category]?.months.find((m) => m.month === month);
      amounts[category] = figure?.amountFen ?? 0;
      (figure?.evidence ?? []).forEach((e, i) => {
        evidence.push({ ...e, category, key: `${category}-${e.recordId}-${e.field}-${i}` });
      });
    }
    const total = member.income.total.months.find((m) => m.month === month)?.amountFen ?? 0;
    return { month, amounts, total, evidence };
  });
}

function MemberIncomeSection({
  member,
  months,
  catalog,
}: {
  member: MemberAssessment;
  months: readonly string[];
  catalog: Catalog;
}) {
  const { t } = useI18n();
  const id = member.member.memberId;
  const rows = useMemo(() => monthRows(member, months), [member, months]);
  const outside: EvidenceRow[] = INCOME_CATEGORIES.flatMap((category) =>
    (member.income.categories[category]?.outsideWindow ?? []).map((e, i) => ({
      ...e,
      category,
      key: `out-${category}-${e.recordId}-${i}`,
    })),
  );
  const totals: { key: string; label: string; fen: number }[] = [
    ...INCOME_CATEGORIES.map((category) => ({
      key: category,
      label: t(INCOME_CATEGORY_LABEL[category]),
      fen: member.income.categories[category]?.totalFen ?? 0,
    })),
    {
      key: 'transferNet',
      label: t('assessment.category.transferNet'),
      fen: member.income.transferNet.totalFen,
    },
    { key: 'total', label: t('assessment.category.total'), fen: member.income.total.totalFen },
  ];
  const columns: TableColumnsType<MonthRow> = [
    { title: t('assessment.evidence.month'), dataIndex: 'month', key: 'month', fixed: 'left' },
    ...INCOME_CATEGORIES.map((category): TableColumnsType<MonthRow>[number] => ({
      title: t(INCOME_CATEGORY_LABEL[category]),
      key: category,
      align: 'right',
      render: (_, r) =>
        r.amounts[category] === 0 ? (
          <Typography.Text type="secondary">0.00</Typography.Text>
        ) : (
          yuanText(r.amounts[category])
        ),
    })),
    {
      title: t('assessment.category.total'),
      key: 'total',
      align: 'right',
      render: (_, r) => <strong>{yuanText(r.total)}</strong>,
    },
    {
      title: t('assessment.evidence.count'),
      key: 'evidence',
      align: 'right',
      render: (_, r) => r.evidence.length,
    },
  ];
  return (
    <Flex vertical gap={12}>
      <Descriptions size="small" bordered column={4} data-testid={`member-${id}-income`}>
        {totals.map((item) => (
          <Descriptions.Item key={item.key} label={item.label}>
            <span data-testid={`member-${id}-income-${item.key}`}>{yuanText(item.fen)}</span>
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={t('assessment.subsidy')}>
          {t('assessment.subsidyText', {
            counted: yuanText(member.income.subsidy.countedFen),
            exempt: yuanText(member.income.subsidy.exemptFen),
          })}
        </Descriptions.Item>
      </Descriptions>
      <Table<MonthRow>
        size="small"
        rowKey="month"
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid={`member-${id}-months`}
        onRow={(r) => ({ 'data-testid': `month-${id}-${r.month}` }) as HTMLAttributes<HTMLElement>}
        expandable={{
          rowExpandable: (r) => r.evidence.length > 0,
          expandedRowRender: (r) => (
            <IncomeEvidenceTable rows={r.evidence} catalog={catalog} testId={`evidence-${id}-${r.month}`} />
          ),
        }}
      />
      {outside.length > 0 && (
        <>
          <Typography.Text strong>{t('assessment.outsideWindow')}</Typography.Text>
          <IncomeEvidenceTable rows={outside} catalog={catalog} testId={`evidence-${id}-outside`} />
        </>
      )}
    </Flex>
  );
}

// ---------------------------------------------------------------- member assets

type AssetKind = 'deposits' | 'vehicles' | 'realEstate' | 'marketEntities';
interface AssetRow extends AssetEvidence {
  key: string;
  kind: AssetKind;
}

function assetAmount(row: AssetRow): string {
  if (row.kind === 'realEstate' && row.floorAreaHundredths !== undefined) {
    const share = row.shareHundredths !== undefined ? ` × ${formatHundredths(row.shareHundredths)}%` : '';
    const weighted =
      row.weightedAreaHundredths !== undefined ? ` = ${formatHundredths(row.weightedAreaHundredths)} m²` : '';
    return `${formatHundredths(row.floorAreaHundredths)} m²${share}${weighted}`;
  }
  return row.amountFen === null || row.amountFen === undefined ? EMPTY : yuanText(row.amountFen);
}

function MemberAssetsSection({ member, catalog }: { member: MemberAssessment; catalog: Catalog }) {
  const { t } = useI18n();
  const id = member.member.memberId;
  const { deposits, vehicles, realEstate, marketEntities } = member.assets;
  const rows: AssetRow[] = (
    [
      ['deposits', deposits.evidence],
      ['vehicles', vehicles.evidence],
      ['realEstate', realEstate.evidence],
      ['marketEntities', marketEntities.evidence],
    ] as const
  ).flatMap(([kind, evidence]) =>
    evidence.map((e, i) => ({ ...e, kind, key: `${kind}-${e.recordId}-${i}` }) satisfies AssetRow),
  );
  const columns: TableColumnsType<AssetRow> = [
    {
      title: t('assessment.asset.kind'),
      key: 'kind',
      render: (_, r) => t(DISCREPANCY_CATEGORY_LABEL[r.kind]),
    },
    {
      title: t('assessment.asset.identifier'),
      key: 'identifier',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <span>{r.identifier}</span>
          {(r.assetType || r.date) && (
            <Typography.Text type="secondary">
              {[r.assetType, r.date].filter(Boolean).join(' · ')}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t('assessment.asset.status'), key: 'status', render: (_, r) => r.status ?? EMPTY },
    { title: t('assessment.asset.amount'), key: 'amount', align: 'right', render: (_, r) => assetAmount(r) },
    ...provenanceColumns<AssetRow>(t, catalog),
    {
      title: t('assessment.evidence.status'),
      key: 'counted',
      render: (_, r) => <CountedTag counted={r.counted} reason={r.reason} />,
    },
  ];
  return (
    <Flex vertical gap={12}>
      <Descriptions size="small" bordered column={4} data-testid={`member-${id}-assets`}>
        <Descriptions.Item label={t('assessment.category.deposits')}>
          <span data-testid={`member-${id}-deposits`}>{yuanText(deposits.totalFen)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.category.vehicles')}>
          {t('assessment.vehiclesText', {
            count: vehicles.count,
            ids: vehicles.identifiers.join('、') || EMPTY,
          })}
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.category.realEstate')}>
          {t('assessment.realEstateText', {
            count: realEstate.count,
            area: formatHundredths(realEstate.areaHundredths),
          })}
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.category.marketEntities')}>
          {t('assessment.marketEntitiesText', {
            count: marketEntities.count,
            capital: yuanText(marketEntities.subscribedCapitalFen),
          })}
        </Descriptions.Item>
      </Descriptions>
      {rows.length > 0 ? (
        <Table<AssetRow>
          size="small"
          rowKey="key"
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid={`member-${id}-asset-evidence`}
        />
      ) : (
        <Typography.Text type="secondary">{t('assessment.asset.none')}</Typography.Text>
      )}
    </Flex>
  );
}

function UnusedRecordsTable({
  records,
  catalog,
  testId,
}: {
  records: UnusedRecord[];
  catalog: Catalog;
  testId: string;
}) {
  const { t } = useI18n();
  const columns: TableColumnsType<UnusedRecord> = [
    ...provenanceColumns<UnusedRecord>(t, catalog),
    {
      title: t('assessment.evidence.reason'),
      key: 'reason',
      render: (_, r) => reasonText(t, r.reason, r.detail),
    },
  ];
  return (
    <Table<UnusedRecord>
      size="small"
      rowKey={(r) => `${r.batchId}-${r.recordId}`}
      columns={columns}
      dataSource={records}
      pagination={false}
      data-testid={testId}
    />
  );
}

function MemberPanel({
  member,
  view,
  months,
  catalog,
}: {
  member: MemberAssessment;
  view: MemberView | undefined;
  months: readonly string[];
  catalog: Catalog;
}) {
  const { t } = useI18n();
  const id = member.member.memberId;
  return (
    <Flex vertical gap={16} data-testid={`member-panel-${id}`}>
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={t('assessment.name')}>{member.member.name}</Descriptions.Item>
        <Descriptions.Item label={t('assessment.idNumber')}>
          <span data-testid={`member-${id}-masked-id`}>{view?.idNumberMasked ?? EMPTY}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.relation')}>{member.member.relation}</Descriptions.Item>
        <Descriptions.Item label={t('assessment.coResiding')}>
          {member.member.coResiding ? t('assessment.yes') : t('assessment.no')}
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.exclusion')}>
          {member.member.exclusion ? t(EXCLUSION_LABEL[member.member.exclusion]) : EMPTY}
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.countedInHousehold')}>
          <span data-testid={`member-${id}-counted`}>
            {member.counted ? (
              <Tag color="green">{t('assessment.memberCounted')}</Tag>
            ) : (
              <Tag color="orange">
                {`${t('assessment.memberNotCounted')}：${member.notCountedReasons
                  .map((reason) => t(MEMBER_NOT_COUNTED_LABEL[reason]))
                  .join('、')}`}
              </Tag>
            )}
          </span>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('assessment.income')}
      </Typography.Title>
      <MemberIncomeSection member={member} months={months} catalog={catalog} />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('assessment.assets')}
      </Typography.Title>
      <MemberAssetsSection member={member} catalog={catalog} />
      {member.unusedRecords.length > 0 && (
        <>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('assessment.unusedRecords')}
          </Typography.Title>
          <UnusedRecordsTable
            records={member.unusedRecords}
            catalog={catalog}
            testId={`member-${id}-unused`}
          />
        </>
      )}
    </Flex>
  );
}

// ---------------------------------------------------------------- household summary

function HouseholdSummary({ view }: { view: AssessmentView }) {
  const { t } = useI18n();
  const { household, members } = view.result.assessment;
  const names = new Map(members.map((m) => [m.member.memberId, m.member.name]));
  const income = household.income;
  const assets = household.assets;
  return (
    <Card title={t('assessment.summary')} size="small" data-testid="assessment-summary">
      <Descriptions size="small" bordered column={3}>
        <Descriptions.Item label={t('assessment.figure.perCapitaMonthlyIncome')}>
          <Typography.Text strong data-testid="summary-per-capita">
            {household.perCapitaMonthlyIncomeFen === null
              ? t('assessment.noCountedMembers')
              : yuanText(household.perCapitaMonthlyIncomeFen)}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.countedMembers')}>
          <span data-testid="summary-counted-members">
            {t('assessment.countedMembersText', {
              count: household.membersCounted,
              names: household.countedMemberIds.map((id) => names.get(id) ?? id).join('、') || EMPTY,
            })}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.category.total')}>
          <span data-testid="summary-income-total">{yuanText(income.total.totalFen)}</span>
        </Descriptions.Item>
        {INCOME_CATEGORIES.map((category) => (
          <Descriptions.Item key={category} label={t(INCOME_CATEGORY_LABEL[category])}>
            <span data-testid={`summary-income-${category}`}>
              {yuanText(income.categories[category]?.totalFen ?? 0)}
            </span>
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={t('assessment.category.transferNet')}>
          <span data-testid="summary-income-transferNet">{yuanText(income.transferNet.totalFen)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.subsidy')}>
          {t('assessment.subsidyText', {
            counted: yuanText(income.subsidy.countedFen),
            exempt: yuanText(income.subsidy.exemptFen),
          })}
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.category.deposits')}>
          <span data-testid="summary-deposits">{yuanText(assets.deposits.totalFen)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.category.vehicles')}>
          <span data-testid="summary-vehicles">
            {t('assessment.vehiclesHousehold', {
              count: assets.vehicles.count,
              distinct: assets.vehicles.distinct,
            })}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.category.realEstate')}>
          <span data-testid="summary-real-estate">
            {t('assessment.realEstateHousehold', {
              count: assets.realEstate.count,
              distinct: assets.realEstate.distinctUnits,
              area: formatHundredths(assets.realEstate.areaHundredths),
            })}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.category.marketEntities')}>
          <span data-testid="summary-market-entities">
            {t('assessment.marketEntitiesHousehold', {
              count: assets.marketEntities.count,
              distinct: assets.marketEntities.distinctEntities,
              capital: yuanText(assets.marketEntities.subscribedCapitalFen),
            })}
          </span>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

// ---------------------------------------------------------------- discrepancies

function DiscrepanciesCard({
  view,
  memberName,
}: {
  view: AssessmentView;
  memberName: (id: string) => string;
}) {
  const { t } = useI18n();
  const list = view.result.discrepancies;
  const rows = (list ?? []).map((d, index) => ({ ...d, index }));
  const columns: TableColumnsType<Discrepancy & { index: number }> = [
    {
      title: t('assessment.discrepancy.severity'),
      key: 'severity',
      render: (_, d) => <SeverityTag severity={d.severity} testId={`discrepancy-severity-${d.index}`} />,
    },
    { title: t('assessment.discrepancy.member'), key: 'member', render: (_, d) => memberName(d.memberId) },
    {
      title: t('assessment.discrepancy.category'),
      key: 'category',
      render: (_, d) => t(DISCREPANCY_CATEGORY_LABEL[d.category]),
    },
    {
      title: t('assessment.discrepancy.kind'),
      key: 'kind',
      render: (_, d) => t(DISCREPANCY_KIND_LABEL[d.kind]),
    },
    {
      title: t('assessment.discrepancy.declared'),
      key: 'declared',
      align: 'right',
      render: (_, d) => (d.kind === 'amount' ? yuanText(d.declaredFen) : (d.declaredCount ?? EMPTY)),
    },
    {
      title: t('assessment.discrepancy.found'),
      key: 'found',
      align: 'right',
      render: (_, d) => (d.kind === 'amount' ? yuanText(d.foundFen) : (d.foundCount ?? EMPTY)),
    },
    {
      title: t('assessment.discrepancy.difference'),
      key: 'difference',
      align: 'right',
      render: (_, d) => (d.kind === 'amount' ? yuanText(d.differenceFen) : (d.differenceCount ?? EMPTY)),
    },
    {
      title: t('assessment.discrepancy.identifier'),
      key: 'identifier',
      render: (_, d) => d.identifier ?? EMPTY,
    },
    {
      title: t('assessment.discrepancy.evidence'),
      key: 'evidence',
      render: (_, d) => d.evidenceRecordIds.length,
    },
  ];
  return (
    <Card title={t('assessment.discrepancies')} size="small" data-testid="assessment-discrepancies">
      <Typography.Paragraph type="secondary">{t('assessment.discrepancy.hint')}</Typography.Paragraph>
      {list === null ? (
        <Alert
          type="info"
          message={t('assessment.discrepancy.noDeclaration')}
          data-testid="discrepancies-none"
        />
      ) : (
        <Table
          size="small"
          rowKey="index"
          columns={columns}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: t('assessment.discrepancy.empty') }}
          onRow={(d) => ({ 'data-testid': `discrepancy-row-${d.index}` }) as HTMLAttributes<HTMLElement>}
        />
      )}
    </Card>
  );
}

// ---------------------------------------------------------------- civil status

function CivilStatusCard({ view, memberName }: { view: AssessmentView; memberName: (id: string) => string }) {
  const { t } = useI18n();
  const { members, contradictions } = view.result.civilStatus;
  const columns: TableColumnsType<MemberCivilStatus> = [
    { title: t('assessment.name'), dataIndex: 'name', key: 'name' },
    { title: t('assessment.relation'), dataIndex: 'relation', key: 'relation' },
    {
      title: t('assessment.civil.hukou'),
      key: 'hukou',
      render: (_, m) =>
        m.hukou ? (
          <Space direction="vertical" size={0}>
            <span>{t('assessment.civil.householdNumber', { number: m.hukou.householdNumber })}</span>
            <span>
              {[m.hukou.relationToHead, m.hukou.status, m.hukou.statusChangeDate].filter(Boolean).join(' · ')}
            </span>
            {m.hukou.address && <Typography.Text type="secondary">{m.hukou.address}</Typography.Text>}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('assessment.civil.noHukou')}</Typography.Text>
        ),
    },
    {
      title: t('assessment.civil.marital'),
      key: 'marital',
      render: (_, m) => (
        <Space direction="vertical" size={0}>
          <span>{t(MARITAL_LABEL[m.marital.status])}</span>
          {m.marital.registrationDate && (
            <Typography.Text type="secondary">
              {[m.marital.registrationType, m.marital.registrationDate].filter(Boolean).join(' ')}
            </Typography.Text>
          )}
          {m.marital.partnerMemberId && (
            <Typography.Text type="secondary">
              {t('assessment.civil.partner', { name: memberName(m.marital.partnerMemberId) })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('assessment.civil.death'),
      key: 'death',
      render: (_, m) =>
        m.deaths.length === 0 ? EMPTY : m.deaths.map((d) => `${d.deathDate}（${d.source}）`).join('；'),
    },
    {
      title: t('assessment.civil.disability'),
      key: 'disability',
      render: (_, m) =>
        m.disability
          ? `${m.disability.category} ${m.disability.grade}（${m.disability.certificateNumber}）`
          : EMPTY,
    },
  ];
  return (
    <Card title={t('assessment.civilStatus')} size="small" data-testid="assessment-civil-status">
      <Table<MemberCivilStatus>
        size="small"
        rowKey="memberId"
        columns={columns}
        dataSource={members}
        pagination={false}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('assessment.contradictions')}
      </Typography.Title>
      {contradictions.length === 0 ? (
        <Typography.Text type="secondary" data-testid="contradictions-none">
          {t('assessment.civil.noContradictions')}
        </Typography.Text>
      ) : (
        <Flex vertical gap={8} data-testid="contradictions">
          {contradictions.map((c: CivilStatusContradiction, index) => (
            <Flex
              // biome-ignore lint/suspicious/noArrayIndexKey: the stored list never changes order
              key={index}
              gap={8}
              align="baseline"
              data-testid={`contradiction-${index}`}
            >
              <SeverityTag severity={c.severity} />
              <Typography.Text type="secondary">
                {c.memberId === 'household' ? t('assessment.household') : memberName(c.memberId)}
              </Typography.Text>
              <span>{c.message}</span>
            </Flex>
          ))}
        </Flex>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------- matching

function DecideModal({
  target,
  assessmentId,
  onClose,
  onDecided,
}: {
  target: { match: PossibleMatch; decision: MatchDecision };
  assessmentId: number;
  onClose: () => void;
  onDecided: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async () => {
    let values: { reason: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await decideMatch(assessmentId, {
        recordId: target.match.recordId,
        memberId: target.match.memberId,
        decision: target.decision,
        reason: values.reason.trim(),
      });
      message.success(t('assessment.match.saved'));
      onDecided();
    } catch (error) {
      if (!isSessionExpired(error)) setFailure(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t(
        target.decision === 'confirmed' ? 'assessment.match.confirmTitle' : 'assessment.match.rejectTitle',
      )}
      okText={t(target.decision === 'confirmed' ? 'assessment.match.confirm' : 'assessment.match.reject')}
      okButtonProps={withTestId('match-decide-submit', { danger: target.decision === 'rejected' })}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <div data-testid="match-decide-modal">
        <Typography.Paragraph type="secondary">{t('assessment.match.decideHint')}</Typography.Paragraph>
        {failure && <Alert type="error" showIcon message={failure} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={t('assessment.match.reason')}
            rules={[{ required: true, whitespace: true, message: t('assessment.match.reasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount data-testid="match-reason" />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}

function recordValuesText(values: Record<string, unknown>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join('；');
}

function MatchingCard({
  view,
  memberName,
  catalog,
  onRerunRecorded,
  rerunning,
}: {
  view: AssessmentView;
  memberName: (id: string) => string;
  catalog: Catalog;
  onRerunRecorded: () => void;
  rerunning: boolean;
}) {
  const { t } = useI18n();
  const [target, setTarget] = useState<{ match: PossibleMatch; decision: MatchDecision } | null>(null);
  const [decided, setDecided] = useState<Map<number, MatchDecision>>(() => new Map());
  const flagged = view.result.links.filter(
    (link): link is RecordLink & { flag: NonNullable<RecordLink['flag']> } => Boolean(link.flag),
  );
  const flagColumns: TableColumnsType<(typeof flagged)[number]> = [
    { title: t('assessment.discrepancy.member'), key: 'member', render: (_, l) => memberName(l.memberId) },
    { title: t('assessment.match.recordName'), key: 'recordName', render: (_, l) => l.flag.recordName },
    { title: t('assessment.match.personName'), key: 'personName', render: (_, l) => l.flag.personName },
    { title: t('assessment.match.detail'), key: 'detail', render: (_, l) => l.flag.detail },
    { title: t('assessment.match.basis'), key: 'basis', render: (_, l) => t(LINK_BASIS_LABEL[l.basis]) },
    { title: t('assessment.match.record'), key: 'record', render: (_, l) => `#${l.recordId}` },
  ];
  const matchColumns: TableColumnsType<PossibleMatch> = [
    { title: t('assessment.discrepancy.member'), key: 'member', render: (_, m) => memberName(m.memberId) },
    {
      title: t('assessment.match.record'),
      key: 'record',
      render: (_, m) => (
        <Space direction="vertical" size={0}>
          <span>
            {m.record.name} · {m.record.birthDate}
          </span>
          <Typography.Text type="secondary">
            {catalog.datasetName(m.record.dataset)} · {catalog.departmentName(m.record.departmentCode)} · #
            {m.record.batchId} · {t('assessment.match.rowN', { n: m.record.rowNumber })} · {m.record.dataAsOf}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {recordValuesText(m.record.values)}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('assessment.match.score'), dataIndex: 'score', key: 'score' },
    { title: t('assessment.match.reasons'), key: 'reasons', render: (_, m) => m.reasons.join('；') },
    {
      title: t('assessment.match.status'),
      key: 'status',
      render: (_, m) => {
        const mine = decided.get(m.recordId);
        if (mine)
          return (
            <Tag color="purple">
              {t(mine === 'confirmed' ? 'assessment.match.confirmedNow' : 'assessment.match.rejectedNow')}
            </Tag>
          );
        return m.status === 'rejected' ? (
          <Tag>{t('assessment.match.rejected')}</Tag>
        ) : (
          <Tag color="gold">{t('assessment.match.pending')}</Tag>
        );
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, m) => (
        <Space>
          <Button
            size="small"
            icon={<CheckOutlined />}
            onClick={() => setTarget({ match: m, decision: 'confirmed' })}
            data-testid={`match-confirm-${m.recordId}`}
          >
            {t('assessment.match.confirm')}
          </Button>
          <Button
            size="small"
            danger
            icon={<CloseOutlined />}
            onClick={() => setTarget({ match: m, decision: 'rejected' })}
            data-testid={`match-reject-${m.recordId}`}
          >
            {t('assessment.match.reject')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <Card title={t('assessment.matching')} size="small" data-testid="assessment-matching">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('assessment.match.nameMismatches')}
      </Typography.Title>
      {flagged.length === 0 ? (
        <Typography.Text type="secondary" data-testid="name-mismatches-none">
          {t('assessment.match.noNameMismatches')}
        </Typography.Text>
      ) : (
        <Table
          size="small"
          rowKey="recordId"
          columns={flagColumns}
          dataSource={flagged}
          pagination={false}
          data-testid="name-mismatches"
        />
      )}
      <Typography.Title level={5}>{t('assessment.match.possibleMatches')}</Typography.Title>
      {decided.size > 0 && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('assessment.match.decidedHint')}
          data-testid="match-decided"
          action={
            <Button
              size="small"
              type="primary"
              loading={rerunning}
              onClick={onRerunRecorded}
              data-testid="match-rerun-recorded"
            >
              {t('assessment.rerunRecorded')}
            </Button>
          }
        />
      )}
      {view.result.possibleMatches.length === 0 ? (
        <Typography.Text type="secondary" data-testid="possible-matches-none">
          {t('assessment.match.noPossibleMatches')}
        </Typography.Text>
      ) : (
        <Table<PossibleMatch>
          size="small"
          rowKey={(m) => `${m.recordId}-${m.memberId}`}
          columns={matchColumns}
          dataSource={view.result.possibleMatches}
          pagination={false}
          data-testid="possible-matches"
        />
      )}
      {target && (
        <DecideModal
          target={target}
          assessmentId={view.id}
          onClose={() => setTarget(null)}
          onDecided={() => {
            setDecided((previous) => new Map(previous).set(target.match.recordId, target.decision));
            setTarget(null);
          }}
        />
      )}
    </Card>
  );
}

// ---------------------------------------------------------------- sources and comparison

function SourcesCard({ view, catalog }: { view: AssessmentView; catalog: Catalog }) {
  const { t, label } = useI18n();
  const columns: TableColumnsType<SourceBatch> = [
    { title: t('assessment.evidence.batch'), key: 'id', render: (_, b) => `#${b.id}` },
    {
      title: t('assessment.evidence.dataset'),
      key: 'dataset',
      render: (_, b) => catalog.datasetName(b.dataset),
    },
    {
      title: t('assessment.evidence.department'),
      key: 'department',
      render: (_, b) => catalog.departmentName(b.departmentCode),
    },
    { title: t('assessment.source.period'), dataIndex: 'period', key: 'period' },
    { title: t('assessment.evidence.dataAsOf'), dataIndex: 'dataAsOf', key: 'dataAsOf' },
    { title: t('assessment.source.source'), key: 'source', render: (_, b) => label('batchSource', b.source) },
    { title: t('assessment.source.status'), key: 'status', render: (_, b) => label('batchStatus', b.status) },
  ];
  return (
    <Card title={t('assessment.sources')} size="small" data-testid="assessment-sources">
      <Table<SourceBatch>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={view.result.sources.batches}
        pagination={false}
        locale={{ emptyText: t('assessment.source.none') }}
        onRow={(b) => ({ 'data-testid': `source-batch-${b.id}` }) as HTMLAttributes<HTMLElement>}
      />
    </Card>
  );
}

function ComparisonCard({
  comparison,
  view,
  memberName,
}: {
  comparison: AssessmentComparison;
  view: AssessmentView;
  memberName: (id: string) => string;
}) {
  const { t } = useI18n();
  const rows = comparison.changes.map((change, index) => ({ ...change, index }));
  const columns: TableColumnsType<(typeof rows)[number]> = [
    {
      title: t('assessment.discrepancy.member'),
      key: 'member',
      render: (_, c) => (c.memberId === 'household' ? t('assessment.household') : memberName(c.memberId)),
    },
    {
      title: t('assessment.compare.figure'),
      key: 'figure',
      render: (_, c) => {
        const info = FIGURE_INFO[c.figure];
        return info ? t(info.label) : c.figure;
      },
    },
    {
      title: t('assessment.compare.before'),
      key: 'before',
      align: 'right',
      render: (_, c) => figureValueText(FIGURE_INFO[c.figure]?.unit ?? 'count', c.before),
    },
    {
      title: t('assessment.compare.after'),
      key: 'after',
      align: 'right',
      render: (_, c) => figureValueText(FIGURE_INFO[c.figure]?.unit ?? 'count', c.after),
    },
  ];
  const severities = ['serious', 'warning', 'info'] as const;
  const counts = (record: Record<string, number>) =>
    severities.map((s) => `${t(SEVERITY_LABEL[s])} ${record[s] ?? 0}`).join(' / ');
  return (
    <Card
      size="small"
      title={t(
        view.mode === 'recorded' ? 'assessment.compare.titleRecorded' : 'assessment.compare.titleStanding',
        {
          id: view.rerunOf ?? '',
        },
      )}
      data-testid="assessment-comparison"
      extra={
        view.rerunOf !== null && (
          <Link to={`/assessments/${view.rerunOf}`} data-testid="comparison-original">
            {t('assessment.compare.openOriginal')}
          </Link>
        )
      }
    >
      {comparison.changes.length === 0 ? (
        <Alert
          type="success"
          showIcon
          message={t('assessment.compare.noChange')}
          data-testid="comparison-no-change"
        />
      ) : (
        <Table
          size="small"
          rowKey="index"
          columns={columns}
          dataSource={rows}
          pagination={false}
          data-testid="comparison-changes"
        />
      )}
      <Descriptions size="small" column={2} style={{ marginTop: 12 }}>
        <Descriptions.Item label={t('assessment.compare.batchesAdded')}>
          <span data-testid="comparison-batches-added">
            {comparison.batchesAdded.length === 0
              ? EMPTY
              : comparison.batchesAdded.map((id) => `#${id}`).join('、')}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.compare.batchesRemoved')}>
          <span data-testid="comparison-batches-removed">
            {comparison.batchesRemoved.length === 0
              ? EMPTY
              : comparison.batchesRemoved.map((id) => `#${id}`).join('、')}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.compare.discrepanciesBefore')}>
          {counts(comparison.discrepanciesBefore)}
        </Descriptions.Item>
        <Descriptions.Item label={t('assessment.compare.discrepanciesAfter')}>
          {counts(comparison.discrepanciesAfter)}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

// ---------------------------------------------------------------- page

interface Loaded {
  view: AssessmentView;
  comparison: AssessmentComparison | null;
  catalog: Catalog;
}

/** Keyed by the id, so a re-run's result never shows the previous one while it loads. */
export function AssessmentResultPage() {
  const { id } = useParams();
  return <AssessmentResult key={id} id={Number(id)} />;
}

function AssessmentResult({ id }: { id: number }) {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const notifyError = useNotifyError();
  const [rerunning, setRerunning] = useState<AssessmentMode | null>(null);

  const load = useCallback(async (): Promise<Loaded> => {
    const [view, datasets] = await Promise.all([
      getAssessment(id),
      listDatasets().catch(() => [] as Dataset[]),
    ]);
    const comparison = view.rerunOf === null ? null : await getAssessmentComparison(id);
    return { view, comparison, catalog: catalogOf(datasets) };
  }, [id]);
  const { state, reload } = useAsync(load);

  const rerun = async (mode: AssessmentMode) => {
    setRerunning(mode);
    try {
      const { assessment } = await rerunAssessment(id, mode);
      navigate(`/assessments/${assessment.id}`);
    } catch (error) {
      notifyError(error);
    } finally {
      setRerunning(null);
    }
  };

  if (state.status === 'loading') return <Spin size="large" style={{ display: 'block', marginTop: 80 }} />;
  if (state.status === 'failed')
    return <LoadFailed error={state.error} onRetry={() => void reload()} testId="assessment-load-failed" />;

  const { view, comparison, catalog } = state.value;
  const result = view.result;
  const assessment = result.assessment;
  const memberViews = new Map(result.members.map((m) => [m.memberId, m]));
  const memberName = (memberId: string) =>
    memberId === 'household' ? t('assessment.household') : (memberViews.get(memberId)?.name ?? memberId);
  const typeKey: MessageKey | undefined = ASSISTANCE_TYPE_LABEL[view.assistanceType];

  return (
    <Flex vertical gap={16} data-testid="assessment-result">
      <Card
        data-testid="assessment-header"
        title={
          <Space>
            <span>{t('assessment.resultTitle')}</span>
            <Typography.Text data-testid="assessment-case-ref">{view.caseRef}</Typography.Text>
            {view.rerunOf !== null && (
              <Tag color="purple">
                {t(view.mode === 'recorded' ? 'assessment.rerunRecordedTag' : 'assessment.rerunStandingTag', {
                  id: view.rerunOf,
                })}
              </Tag>
            )}
          </Space>
        }
        extra={
          <Space wrap>
            <Button
              icon={<HistoryOutlined />}
              loading={rerunning === 'recorded'}
              disabled={rerunning !== null}
              onClick={() => void rerun('recorded')}
              data-testid="rerun-recorded"
            >
              {t('assessment.rerunRecorded')}
            </Button>
            <Button
              icon={<ReloadOutlined />}
              loading={rerunning === 'standing'}
              disabled={rerunning !== null}
              onClick={() => void rerun('standing')}
              data-testid="rerun-standing"
            >
              {t('assessment.rerunStanding')}
            </Button>
            <Button onClick={() => navigate('/assessments')}>{t('assessment.backToList')}</Button>
          </Space>
        }
      >
        <Alert
          type="warning"
          showIcon
          message={t('assessment.noticeTitle')}
          description={<span data-testid="assessment-notice">{result.notice}</span>}
          style={{ marginBottom: 16 }}
        />
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t('assessment.caseRef')}>{view.caseRef}</Descriptions.Item>
          <Descriptions.Item label={t('assessment.region')}>
            {view.regionCode === me.organisation.regionCode
              ? `${me.organisation.regionName}（${view.regionCode}）`
              : view.regionCode}
          </Descriptions.Item>
          <Descriptions.Item label={t('assessment.assistanceType')}>
            {typeKey ? t(typeKey) : view.assistanceType}
          </Descriptions.Item>
          <Descriptions.Item label={t('assessment.asOfDate')}>
            <span data-testid="assessment-as-of">{view.asOfDate}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('assessment.window')}>
            <span data-testid="assessment-window">
              {t('assessment.windowText', {
                first: assessment.window.firstMonth,
                last: assessment.window.lastMonth,
                months: assessment.window.months.length,
              })}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('assessment.policyLabel')}>
            <Space size={4}>
              <Typography.Text code data-testid="assessment-policy">
                {view.policyLabel}
              </Typography.Text>
              {result.policy.source === 'default' && <Tag>{t('assessment.policyDefault')}</Tag>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('assessment.createdAt')}>
            {formatDateTime(view.createdAt)} · {view.createdByName ?? EMPTY}
          </Descriptions.Item>
          <Descriptions.Item label={t('assessment.batchCount')}>{view.batchIds.length}</Descriptions.Item>
          <Descriptions.Item label={t('assessment.resultId')}>#{view.id}</Descriptions.Item>
        </Descriptions>
      </Card>

      {comparison && <ComparisonCard comparison={comparison} view={view} memberName={memberName} />}

      <HouseholdSummary view={view} />

      <Card title={t('assessment.members')} size="small" data-testid="assessment-members">
        {assessment.members.length === 0 ? (
          <Empty />
        ) : (
          <Tabs
            items={assessment.members.map((member) => ({
              key: member.member.memberId,
              label: (
                <span data-testid={`member-tab-${member.member.memberId}`}>
                  {member.member.name}
                  {!member.counted && (
                    <Tag color="orange" style={{ marginInlineStart: 6 }}>
                      {t('assessment.memberNotCounted')}
                    </Tag>
                  )}
                </span>
              ),
              children: (
                <MemberPanel
                  member={member}
                  view={memberViews.get(member.member.memberId)}
                  months={assessment.window.months}
                  catalog={catalog}
                />
              ),
            }))}
          />
        )}
      </Card>

      <DiscrepanciesCard view={view} memberName={memberName} />
      <CivilStatusCard view={view} memberName={memberName} />
      <MatchingCard
        view={view}
        memberName={memberName}
        catalog={catalog}
        rerunning={rerunning === 'recorded'}
        onRerunRecorded={() => void rerun('recorded')}
      />
      <SourcesCard view={view} catalog={catalog} />
    </Flex>
  );
}
