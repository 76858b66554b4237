/**
 * The demo tenant as an export document: the Feishu reference example (test/fixtures/seed-batch-get-response.json)
 * with its exact ids and times, inside a small company with a leader chain, three monthly periods, aligned and
 * weighted OKRs, scores, progress statuses and progress records. Deterministic, so loading it is idempotent.
 */
import { createHash } from 'node:crypto';
import { ALL_SCOPES } from '../contract/scopes.js';
import { sequentialIds } from '../domain/ids.js';
import { parseMonth, periodBounds, periodNames } from '../domain/period.js';
import { paragraph, type Content } from '../domain/rich-text.js';
import type {
  AlignmentRow,
  AppRow,
  AppUserRow,
  IndicatorRow,
  KeyResultRow,
  ObjectiveRow,
  OkrRow,
  PeriodRow,
  PeriodRuleRow,
  ProgressRecordRow,
  ReviewRow,
  TenantRow,
  UserRow,
} from '../store/rows.js';
import { defaultIndicator } from '../store/indicator.repository.js';
import type { TenantDocument } from '../services/transfer.service.js';
import { hashSecret } from '../services/secrets.js';

export const DEMO_TENANT_ID = '7060000000000000001';
export const DEMO_APP_ID = 'cli_okrd_demo';
export const DEMO_APP_SECRET = 'okrd_demo_secret';
/** The reference example's OKR, period and owner. */
export const SEED = {
  okrId: '7072252816005349396',
  periodId: '7067724095781142548',
  objectiveId: '7073360513731690515',
  keyResultId: '7073360471990140948',
  ownerEmployeeId: 'okrd_demo_owner',
} as const;

const UTC_OFFSET = 480;
const CREATED = 1_646_000_000_000; // late February 2022, before everything else

// employee id, Chinese name, English name, leader's employee id, fixed demo-app open_id (the seed's mentions)
const PEOPLE: [string, string, string, string | null, string?][] = [
  ['wangwei', '王伟', 'Wang Wei', null],
  ['lina', '李娜', 'Li Na', 'wangwei'],
  ['zhaolei', '赵磊', 'Zhao Lei', 'wangwei'],
  ['huangmei', '黄梅', 'Huang Mei', 'wangwei'],
  [SEED.ownerEmployeeId, '陈敏', 'Chen Min', 'lina'],
  ['liusan', '刘三', 'Liu San', 'lina', 'ou_ab08720df94e64045cc8c2b7694ef2a0'],
  ['zhengqiang', '郑强', 'Zheng Qiang', 'lina'],
  ['zhangsan9', '张三9', 'Zhang San 9', SEED.ownerEmployeeId, 'ou_a79faffdb6aee3618f0da4d42b192466'],
  ['wufang', '吴芳', 'Wu Fang', SEED.ownerEmployeeId],
  ['sunli', '孙丽', 'Sun Li', 'zhaolei'],
  ['zhoujie', '周杰', 'Zhou Jie', 'zhaolei'],
];

// Objective themes, each with its key results; an OKR takes two or three of them.
const THEMES: [string, string[]][] = [
  ['提升产品稳定性', ['线上 P0 故障数降为 0', '核心接口可用性达到 99.95%', '告警平均响应时间小于 5 分钟']],
  ['加快交付节奏', ['需求平均交付周期缩短到 10 天', '每周稳定发布两次', '自动化测试覆盖率达到 80%']],
  ['提高客户满意度', ['NPS 提升到 45', '工单首次响应时间小于 2 小时', '完成 20 次客户回访']],
  ['打造高效团队', ['完成 3 次技术分享', '新人 2 周内独立交付', '团队满意度调查 4.5 分以上']],
  ['扩大市场份额', ['新增付费客户 30 家', '进入两个新的行业', '渠道收入占比达到 25%']],
  ['降低运营成本', ['云资源成本下降 15%', '人工对账工作量减半', '供应商合同全部重新评估']],
];

const json = (c: Content) => JSON.stringify(c);
const demoOpenId = (employeeId: string) =>
  `ou_${createHash('sha256').update(`okrd-demo:${employeeId}`).digest('hex').slice(0, 32)}`;
const demoHex = (seed: string) => createHash('sha256').update(seed).digest('hex').slice(0, 32);

/** Splits 1000 thousandths into `n` weights that sum to exactly 1000. */
function evenWeights(n: number): number[] {
  const base = Math.floor(1000 / n);
  return Array.from({ length: n }, (_, i) => (i === 0 ? 1000 - base * (n - 1) : base));
}

/** The demo tenant document. */
export function demoTenantDocument(): TenantDocument {
  const nextId = sequentialIds(7_100_000_000_000_000_001n);
  const tenant: TenantRow = {
    id: DEMO_TENANT_ID,
    name: 'okrd demo',
    utc_offset_minutes: UTC_OFFSET,
    created_at: CREATED,
    data_version: 0,
  };
  const app: AppRow = {
    app_id: DEMO_APP_ID,
    tenant_id: DEMO_TENANT_ID,
    name: 'okrd demo app',
    // A fixed salt keeps the document identical on every load.
    secret_hash: hashSecret(DEMO_APP_SECRET, 'okrd-demo-salt'),
    scopes: ALL_SCOPES.join(' '),
    created_at: CREATED,
  };

  const users = new Map<string, UserRow>();
  const appUsers: AppUserRow[] = [];
  for (const [employeeId, zh, en, leader, openId] of PEOPLE) {
    const user: UserRow = {
      id: nextId(),
      tenant_id: DEMO_TENANT_ID,
      employee_id: employeeId,
      union_id: `on_${demoHex(`union:${employeeId}`)}`,
      people_admin_id: nextId(),
      name_zh: zh,
      name_en: en,
      leader_id: leader ? users.get(leader)!.id : null,
      created_at: CREATED,
    };
    users.set(employeeId, user);
    appUsers.push({
      app_id: DEMO_APP_ID,
      user_ref: user.id,
      open_id: openId ?? demoOpenId(employeeId),
      tenant_id: DEMO_TENANT_ID,
    });
  }
  const person = (employeeId: string) => users.get(employeeId)!;

  const rule: PeriodRuleRow = {
    id: nextId(),
    tenant_id: DEMO_TENANT_ID,
    type: 'month',
    length: 1,
    first_month: 1,
    created_at: CREATED,
  };
  const periods: PeriodRow[] = (
    [
      [SEED.periodId, '2022-03', 1],
      [nextId(), '2022-04', 1],
      [nextId(), '2022-05', 0],
    ] as const
  ).map(([id, month, status]) => {
    const m = parseMonth(month)!;
    return {
      id,
      tenant_id: DEMO_TENANT_ID,
      rule_id: rule.id,
      ...periodNames(m, m),
      status,
      start_month: month,
      end_month: month,
      ...periodBounds(m, m, UTC_OFFSET),
      created_at: CREATED,
      updated_at: CREATED,
    };
  });

  const okrs: OkrRow[] = [];
  const objectives: ObjectiveRow[] = [];
  const keyResults: KeyResultRow[] = [];
  const alignments: AlignmentRow[] = [];
  const records: ProgressRecordRow[] = [];

  // The reference example, field for field.
  const seedOwner = person(SEED.ownerEmployeeId);
  okrs.push({
    id: SEED.okrId,
    tenant_id: DEMO_TENANT_ID,
    owner_id: seedOwner.id,
    period_id: SEED.periodId,
    confirm_status: 4,
    visibility: 'tenant',
    created_at: 1_646_900_000_000,
    updated_at: 1_646_907_590_472,
    department_id: null,
  });
  objectives.push({
    id: SEED.objectiveId,
    tenant_id: DEMO_TENANT_ID,
    okr_id: SEED.okrId,
    position: 1,
    content: json(paragraph('需求', { mention: person('liusan').id })),
    notes: json(paragraph('红豆泥')),
    score: 100,
    weight_milli: 400,
    progress_percent: 30,
    progress_status: 0,
    deadline: 1_648_656_000_000,
    category_id: null,
    progress_rate_percent_last_updated_time: 1_646_907_261_326,
    progress_rate_status_last_updated_time: 1_646_907_261_326,
    progress_record_last_updated_time: 1_646_907_590_448,
    progress_report_last_updated_time: 1_646_907_387_911,
    score_last_updated_time: 1_646_907_590_472,
    created_at: 1_646_900_000_000,
    updated_at: 1_646_907_590_472,
  });
  keyResults.push({
    id: SEED.keyResultId,
    tenant_id: DEMO_TENANT_ID,
    objective_id: SEED.objectiveId,
    okr_id: SEED.okrId,
    position: 1,
    content: json(paragraph('1111', { mention: person('zhangsan9').id })),
    score: 100,
    weight_milli: 500,
    progress_percent: 60,
    progress_status: 1,
    deadline: 1_648_656_000_000,
    progress_rate_percent_last_updated_time: 1_646_907_176_099,
    progress_rate_status_last_updated_time: 1_646_907_176_099,
    progress_record_last_updated_time: 1_646_907_586_253,
    progress_report_last_updated_time: 0,
    score_last_updated_time: 1_646_907_586_244,
    created_at: 1_646_900_000_000,
    updated_at: 1_646_907_586_253,
  });
  // The example lists records newest-modified first; these times reproduce its order.
  const seedRecords: [string, 2 | 3, string, number, string][] = [
    ['7073410950447120403', 2, SEED.objectiveId, 1_646_907_590_448, '需求评审已完成，进入开发阶段'],
    ['7073410950174474260', 2, SEED.objectiveId, 1_646_907_580_000, '与设计确认交互稿'],
    ['7073360502990094355', 2, SEED.objectiveId, 1_646_907_300_000, '整理用户反馈 32 条'],
    ['7073360502990061587', 2, SEED.objectiveId, 1_646_907_290_000, '启动需求调研'],
    ['7073411057431199764', 3, SEED.keyResultId, 1_646_907_586_253, '完成 60%，剩余接口联调中'],
    ['7073410950174392340', 3, SEED.keyResultId, 1_646_907_576_000, '第二批用例通过'],
    ['7073360480580010004', 3, SEED.keyResultId, 1_646_907_190_000, '测试环境部署完成'],
    ['7073360513731805203', 3, SEED.keyResultId, 1_646_907_180_000, '方案评审通过'],
  ];
  for (const [id, targetType, targetId, time, text] of seedRecords) {
    records.push({
      id,
      tenant_id: DEMO_TENANT_ID,
      okr_id: SEED.okrId,
      target_type: targetType,
      target_id: targetId,
      source_title: '周报系统',
      source_url: 'https://okrd.example.com/weekly',
      source_url_pc: null,
      source_url_mobile: null,
      content: json(paragraph(text)),
      progress_percent: null,
      progress_status: null,
      created_by: seedOwner.id,
      created_at: time,
      modify_time: time,
    });
  }

  // Everyone else: two or three objectives per OKR, first objective aligned to the leader's first one.
  // (The seed objective stays unaligned: the reference example shows empty alignment lists.)
  const firstObjective = new Map<string, string>(); // `${periodId}:${userRef}` → objective id
  let n = 0;
  for (const [pIndex, period] of periods.entries()) {
    for (const user of users.values()) {
      if (period.id === SEED.periodId && user.id === seedOwner.id) continue;
      n++;
      const okrId = nextId();
      const t0 = period.period_start_time + 86_400_000 * (1 + (n % 5));
      const done = pIndex === 0; // the oldest period has been scored
      okrs.push({
        id: okrId,
        tenant_id: DEMO_TENANT_ID,
        owner_id: user.id,
        period_id: period.id,
        confirm_status: done ? 4 : pIndex === 1 ? [4, 2, 1, 3][n % 4]! : [0, 1][n % 2]!,
        visibility: user.employee_id === 'huangmei' ? 'leaders' : 'tenant',
        created_at: t0,
        updated_at: t0,
        department_id: null,
      });
      const themeCount = 2 + (n % 2);
      const objectiveWeights = evenWeights(themeCount);
      for (let i = 0; i < themeCount; i++) {
        const [title, krTitles] = THEMES[(n + i) % THEMES.length]!;
        const objectiveId = nextId();
        const progressed = pIndex < 2;
        const percent = progressed ? (done ? 70 + ((n + i) % 4) * 10 : 10 + ((n * 7 + i * 13) % 60)) : 0;
        const status = progressed ? [0, 0, 1, 2][(n + i) % 4]! : -1;
        const touched = progressed ? t0 + 3_600_000 * (i + 1) : 0;
        const leaderObjective = user.leader_id ? firstObjective.get(`${period.id}:${user.leader_id}`) : undefined;
        objectives.push({
          id: objectiveId,
          tenant_id: DEMO_TENANT_ID,
          okr_id: okrId,
          position: i + 1,
          content: json(
            i === 1 && user.leader_id
              ? paragraph(`${title}，配合 `, { mention: user.leader_id }, ' 的团队目标')
              : paragraph(title),
          ),
          notes: json(i === 0 && progressed ? paragraph('本月重点，每周同步一次') : { blocks: [] }),
          score: done ? 60 + ((n + i) % 5) * 10 : 0,
          weight_milli: objectiveWeights[i]!,
          progress_percent: percent,
          progress_status: status,
          deadline: period.period_end_time + 1 - 86_400_000,
          category_id: null,
          progress_rate_percent_last_updated_time: touched,
          progress_rate_status_last_updated_time: touched,
          progress_record_last_updated_time: 0,
          progress_report_last_updated_time: i === 0 && progressed ? t0 : 0,
          score_last_updated_time: done ? period.period_end_time - 86_400_000 : 0,
          created_at: t0,
          updated_at: touched || t0,
        });
        if (i === 0) {
          firstObjective.set(`${period.id}:${user.id}`, objectiveId);
          if (leaderObjective) {
            alignments.push({
              id: nextId(),
              tenant_id: DEMO_TENANT_ID,
              from_objective_id: objectiveId,
              to_objective_id: leaderObjective,
              created_at: t0,
              updated_at: t0,
            });
          }
        }
        const krWeights = evenWeights(krTitles.length);
        for (const [j, krTitle] of krTitles.entries()) {
          const krId = nextId();
          const krPercent = progressed ? Math.min(100, percent + ((j * 17) % 30)) : 0;
          keyResults.push({
            id: krId,
            tenant_id: DEMO_TENANT_ID,
            objective_id: objectiveId,
            okr_id: okrId,
            position: j + 1,
            content: json(paragraph(krTitle)),
            score: done ? 50 + ((n + i + j) % 6) * 10 : 0,
            weight_milli: krWeights[j]!,
            progress_percent: krPercent,
            progress_status: status,
            deadline: period.period_end_time + 1 - 86_400_000,
            progress_rate_percent_last_updated_time: touched,
            progress_rate_status_last_updated_time: touched,
            progress_record_last_updated_time: 0,
            progress_report_last_updated_time: 0,
            score_last_updated_time: done ? period.period_end_time - 86_400_000 : 0,
            created_at: t0,
            updated_at: touched || t0,
          });
          // A progress record on the first key result of each objective in the current period.
          if (pIndex === 1 && j === 0) {
            const time = touched + 600_000;
            records.push({
              id: nextId(),
              tenant_id: DEMO_TENANT_ID,
              okr_id: okrId,
              target_type: 3,
              target_id: krId,
              source_title: '周报系统',
              source_url: 'https://okrd.example.com/weekly',
              source_url_pc: null,
              source_url_mobile: null,
              content: json(paragraph(`${krTitle}：进度 ${krPercent}%`)),
              progress_percent: krPercent,
              progress_status: status,
              created_by: user.id,
              created_at: time,
              modify_time: time,
            });
            keyResults[keyResults.length - 1]!.progress_record_last_updated_time = time;
          }
        }
      }
    }
  }

  // Reviews: 陈敏, 王伟 and 李娜 wrote up March (review documents at its end, progress reports during it), 陈敏 also
  // reported on April. Ids follow the list; the times deliberately do not, as readers order by create_time.
  const [march, april] = periods as [PeriodRow, PeriodRow, PeriodRow];
  const demoReviews: [string, PeriodRow, ReviewRow['kind'], string, number][] = [
    [SEED.ownerEmployeeId, march, 'cycle_review', 'review-2022-03-chenmin', 1_648_706_400_000],
    [SEED.ownerEmployeeId, march, 'progress_report', 'report-2022-03-25-chenmin', 1_648_188_000_000],
    [SEED.ownerEmployeeId, march, 'progress_report', 'report-2022-03-11-chenmin', 1_646_978_400_000],
    ['wangwei', march, 'cycle_review', 'review-2022-03-wangwei', 1_648_620_000_000],
    ['lina', march, 'cycle_review', 'review-2022-03-lina', 1_648_692_000_000],
    ['lina', march, 'progress_report', 'report-2022-03-18-lina', 1_647_583_200_000],
    [SEED.ownerEmployeeId, april, 'progress_report', 'report-2022-04-14-chenmin', 1_649_916_000_000],
  ];
  const reviews: ReviewRow[] = demoReviews.map(([employeeId, period, kind, doc, time]) => ({
    id: nextId(),
    tenant_id: DEMO_TENANT_ID,
    user_ref: person(employeeId).id,
    period_id: period.id,
    kind,
    url: `https://okrd.example.com/docs/${doc}`,
    create_time: time,
  }));

  // Every objective and key result has an indicator (decisions.md OQ-31); their ids come from a range of their own
  // so the ids above stay as they were (decisions.md OQ-43).
  const indicatorId = sequentialIds(7_200_000_000_000_000_001n);
  const indicators: IndicatorRow[] = [
    ...objectives.map((o) => defaultIndicator(indicatorId(), DEMO_TENANT_ID, 2, o.id, o.created_at)),
    ...keyResults.map((k) => defaultIndicator(indicatorId(), DEMO_TENANT_ID, 3, k.id, k.created_at)),
  ];

  return {
    format: 'okrd-tenant',
    version: 1,
    tables: {
      tenants: [{ ...tenant }],
      apps: [{ ...app }],
      users: [...users.values()].map((u) => ({ ...u })),
      app_users: appUsers.map((a) => ({ ...a })),
      period_rules: [{ ...rule }],
      periods: periods.map((p) => ({ ...p })),
      departments: [],
      department_members: [],
      okrs: okrs.map((o) => ({ ...o })),
      categories: [],
      objectives: objectives.map((o) => ({ ...o })),
      key_results: keyResults.map((k) => ({ ...k })),
      indicators: indicators.map((i) => ({ ...i })),
      alignments: alignments.map((a) => ({ ...a })),
      progress_records: records.map((r) => ({ ...r })),
      comments: [],
      images: [],
      reviews: reviews.map((r) => ({ ...r })),
    },
  };
}
