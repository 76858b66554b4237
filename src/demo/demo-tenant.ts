/**
 * The demo tenant as an export document: the Feishu reference example (test/fixtures/seed-batch-get-response.json)
 * with its exact ids and times, inside a small company with a leader chain, three monthly periods, aligned and
 * weighted OKRs, scores, progress statuses and progress records. Deterministic, so loading it is idempotent.
 */
import { createHash, scryptSync } from 'node:crypto';
import { ALL_SCOPES } from '../contract/scopes.js';
import { sequentialIds } from '../domain/ids.js';
import { parseMonth, periodBounds, periodNames } from '../domain/period.js';
import { paragraph, type Content } from '../domain/rich-text.js';
import type {
  AlignmentRow,
  AppRow,
  AppUserRow,
  CategoryRow,
  CommentRow,
  DepartmentMemberRow,
  DepartmentRow,
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

// The stored form of services/password.ts (`scrypt$N$r$p$salt$hash`, N = 2^15, r = 8, p = 1) with a fixed salt, so
// the document is identical on every load; scrypt is slow by design, so it is computed once per process.
let demoPasswordHash: string | undefined;
function demoOwnerPasswordHash(): string {
  if (demoPasswordHash === undefined) {
    const salt = Buffer.from('okrd-demo-pw-slt');
    const key = scryptSync(DEMO_OWNER_PASSWORD.normalize('NFC'), salt, 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    });
    demoPasswordHash = `scrypt$${2 ** 15}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }
  return demoPasswordHash;
}

export const DEMO_TENANT_ID = '7060000000000000001';
export const DEMO_APP_ID = 'cli_okrd_demo';
export const DEMO_APP_SECRET = 'okrd_demo_secret';
/** 陈敏 (SEED.ownerEmployeeId) signs in with this password. */
export const DEMO_OWNER_PASSWORD = 'okrd-demo-password';
/** The demo app's one registered redirect URI (OAuth sign-in, spec §9.1). */
export const DEMO_REDIRECT_URI = 'http://127.0.0.1:8080/okrd/callback';
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
    password_sign_in: 1,
    oidc_issuer: null,
    oidc_client_id: null,
    oidc_client_secret: null,
    oidc_create_users: 0,
  };
  const app: AppRow = {
    app_id: DEMO_APP_ID,
    tenant_id: DEMO_TENANT_ID,
    name: 'okrd demo app',
    // A fixed salt keeps the document identical on every load.
    secret_hash: hashSecret(DEMO_APP_SECRET, 'okrd-demo-salt'),
    scopes: ALL_SCOPES.join(' '),
    created_at: CREATED,
    client_type: 'confidential',
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
      email: `${employeeId}@okrd.example.com`,
      mobile: null,
      active: 1,
      // 王伟 leads the company and administers the tenant.
      is_admin: employeeId === 'wangwei' ? 1 : 0,
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

  const team = teamsAndV2({ users, periods, okrs, objectives, keyResults, alignments, indicators });

  return {
    format: 'okrd-tenant',
    version: 1,
    tables: {
      tenants: [{ ...tenant }],
      apps: [{ ...app }],
      users: [...users.values()].map((u) => ({ ...u })),
      app_users: appUsers.map((a) => ({ ...a })),
      app_redirect_uris: [
        { tenant_id: DEMO_TENANT_ID, app_id: DEMO_APP_ID, uri: DEMO_REDIRECT_URI, created_at: CREATED },
      ],
      passwords: [
        {
          user_ref: person(SEED.ownerEmployeeId).id,
          tenant_id: DEMO_TENANT_ID,
          hash: demoOwnerPasswordHash(),
          updated_at: CREATED,
        },
      ],
      period_rules: [{ ...rule }],
      periods: periods.map((p) => ({ ...p })),
      departments: team.departments.map((d) => ({ ...d })),
      department_members: team.members.map((m) => ({ ...m })),
      okrs: okrs.map((o) => ({ ...o })),
      categories: team.categories.map((c) => ({ ...c })),
      objectives: objectives.map((o) => ({ ...o })),
      key_results: keyResults.map((k) => ({ ...k })),
      indicators: indicators.map((i) => ({ ...i })),
      alignments: alignments.map((a) => ({ ...a })),
      progress_records: records.map((r) => ({ ...r })),
      comments: team.comments.map((c) => ({ ...c })),
      images: [],
      reviews: reviews.map((r) => ({ ...r })),
    },
  };
}

// Departments (decisions.md OQ-34): the company under the root, and a team under it per leader reporting to 王伟.
// department_id, Chinese name, English name, leader's employee id, parent's department_id (null: the root "0").
const DEPARTMENTS: [string, string, string, string, string | null][] = [
  ['okrd_demo', 'okrd 示例公司', 'okrd Demo Co.', 'wangwei', null],
  ['product', '产品研发部', 'Product & Engineering', 'lina', 'okrd_demo'],
  ['sales', '销售部', 'Sales', 'zhaolei', 'okrd_demo'],
  ['marketing', '市场部', 'Marketing', 'huangmei', 'okrd_demo'],
];

// Categories of objectives (spec §4.2): type, colour, Chinese, English and Japanese names, enabled.
const CATEGORIES: [CategoryRow['category_type'], string, string, string, string, number][] = [
  ['person', 'blue', '业务', 'Business', 'ビジネス', 1],
  ['person', 'purple', '个人成长', 'Personal growth', '自己成長', 1],
  ['team', 'orange', '战略重点', 'Strategic focus', '戦略重点', 1],
  ['team', 'turquoise', '客户价值', 'Customer value', '顧客価値', 1],
  ['person', 'indigo', '历史分类', 'Archived', 'アーカイブ', 0],
];

// The product team's April OKR: objectives (title, weight, category index) with key results (title, weight,
// unit type, unit, start, target, current). Progress is what the indicator values give.
const TEAM_OKR: [string, number, number, [string, number, 0 | 1, string, number, number, number][]][] = [
  [
    '发布 2.0 版本，打磨核心体验',
    600,
    2,
    [
      ['核心流程自动化测试覆盖率达到 100%', 400, 0, 'PERCENT', 0, 100, 70],
      ['上线 12 个新功能', 600, 1, '个', 0, 12, 6],
    ],
  ],
  [
    '提升付费转化与订阅收入',
    400,
    3,
    [
      ['新增订阅收入 50 万元', 500, 0, 'YUAN', 0, 500_000, 200_000],
      ['付费转化率从 3% 提升到 8%', 500, 0, 'PERCENT', 3, 8, 5],
    ],
  ],
];

/** The rows the generator above made, which the additions below read and extend. */
interface DemoBase {
  users: Map<string, UserRow>;
  periods: PeriodRow[];
  okrs: OkrRow[];
  objectives: ObjectiveRow[];
  keyResults: KeyResultRow[];
  alignments: AlignmentRow[];
  indicators: IndicatorRow[];
}

/**
 * Departments, categories, a team OKR, units on its key results, cross-team alignments and a comment thread, added
 * after the rest so nothing above changes (decisions.md OQ-43): every kind of new row takes its ids from a range of
 * its own, new rows go at the end of their tables, and of the rows above only some objectives get a category. The
 * reference example stays exactly as it is.
 */
function teamsAndV2(base: DemoBase): {
  departments: DepartmentRow[];
  members: DepartmentMemberRow[];
  categories: CategoryRow[];
  comments: CommentRow[];
} {
  const { users, periods, okrs, objectives, keyResults, alignments, indicators } = base;
  const person = (employeeId: string) => users.get(employeeId)!;
  const april = periods[1]!;
  const deadline = april.period_end_time + 1 - 86_400_000;

  const departmentId = sequentialIds(7_300_000_000_000_000_001n);
  const departments = new Map<string, DepartmentRow>();
  for (const [id, zh, en, leader, parent] of DEPARTMENTS) {
    departments.set(id, {
      id: departmentId(),
      tenant_id: DEMO_TENANT_ID,
      department_id: id,
      open_department_id: `od-${demoHex(`department:${id}`)}`,
      name_zh: zh,
      name_en: en,
      parent_id: parent ? departments.get(parent)!.id : null,
      leader_id: person(leader).id,
      created_at: CREATED,
      updated_at: CREATED,
    });
  }
  // Everyone belongs to the department of the nearest person up their leader chain (themselves first) who leads one.
  const led = new Map([...departments.values()].map((d) => [d.leader_id!, d]));
  const byRef = new Map([...users.values()].map((u) => [u.id, u]));
  const members: DepartmentMemberRow[] = [];
  for (const user of users.values()) {
    let chain: UserRow | undefined = user;
    while (chain && !led.has(chain.id)) chain = chain.leader_id ? byRef.get(chain.leader_id) : undefined;
    if (!chain) continue;
    members.push({
      tenant_id: DEMO_TENANT_ID,
      department_ref: led.get(chain.id)!.id,
      user_ref: user.id,
      created_at: CREATED,
    });
  }
  // The export's order.
  members.sort((a, b) => (a.department_ref + a.user_ref < b.department_ref + b.user_ref ? -1 : 1));

  const categoryId = sequentialIds(7_310_000_000_000_000_001n);
  const categories: CategoryRow[] = CATEGORIES.map(([type, color, zh, en, ja, enabled]) => ({
    id: categoryId(),
    tenant_id: DEMO_TENANT_ID,
    category_type: type,
    enabled,
    color,
    name_zh: zh,
    name_en: en,
    name_ja: ja,
    created_at: CREATED,
    updated_at: CREATED,
  }));
  const [business, growth] = categories as [CategoryRow, CategoryRow];

  const okrOf = (employeeId: string) =>
    okrs.find((o) => o.owner_id === person(employeeId).id && o.period_id === april.id)!;
  const objectiveAt = (okrId: string, position: number) =>
    objectives.find((o) => o.okr_id === okrId && o.position === position)!;
  const textOf = (o: ObjectiveRow) =>
    (JSON.parse(o.content) as Content).blocks![0]!.paragraph!.elements![0]!.text_run!.text!;

  // Person categories on the April objectives of 李娜, 赵磊 and 孙丽 (never on the reference example).
  for (const employeeId of ['lina', 'zhaolei', 'sunli']) {
    for (const o of objectives.filter((x) => x.okr_id === okrOf(employeeId).id && x.id !== SEED.objectiveId)) {
      o.category_id = textOf(o).startsWith('打造高效团队') ? growth.id : business.id;
    }
  }

  // The product team's April OKR (owner: the department), with units on its key results.
  const teamId = sequentialIds(7_320_000_000_000_000_001n);
  const indicatorId = sequentialIds(7_210_000_000_000_000_001n);
  const product = departments.get('product')!;
  const t0 = april.period_start_time + 86_400_000;
  const teamOkr: OkrRow = {
    id: teamId(),
    tenant_id: DEMO_TENANT_ID,
    owner_id: null,
    period_id: april.id,
    confirm_status: 4,
    visibility: 'tenant',
    created_at: t0,
    updated_at: t0,
    department_id: product.id,
  };
  okrs.push(teamOkr);
  const teamObjectives: ObjectiveRow[] = [];
  for (const [i, [title, weight, category, krs]] of TEAM_OKR.entries()) {
    const touched = t0 + 3_600_000 * (i + 1);
    const krPercents = krs.map(([, , , , start, target, current]) => ((current - start) * 100) / (target - start));
    const objective: ObjectiveRow = {
      id: teamId(),
      tenant_id: DEMO_TENANT_ID,
      okr_id: teamOkr.id,
      position: i + 1,
      content: json(paragraph(title)),
      notes: json(i === 0 ? paragraph('团队本月重点，每周一例会同步') : { blocks: [] }),
      score: 0,
      weight_milli: weight,
      progress_percent: krs.reduce((sum, kr, j) => sum + (krPercents[j]! * kr[1]) / 1000, 0),
      progress_status: 0,
      deadline,
      category_id: categories[category]!.id,
      progress_rate_percent_last_updated_time: touched,
      progress_rate_status_last_updated_time: touched,
      progress_record_last_updated_time: 0,
      progress_report_last_updated_time: i === 0 ? t0 : 0,
      score_last_updated_time: 0,
      created_at: t0,
      updated_at: touched,
    };
    objectives.push(objective);
    teamObjectives.push(objective);
    indicators.push(defaultIndicator(indicatorId(), DEMO_TENANT_ID, 2, objective.id, t0));
    for (const [j, [krTitle, krWeight, unitType, unit, start, target, current]] of krs.entries()) {
      const kr: KeyResultRow = {
        id: teamId(),
        tenant_id: DEMO_TENANT_ID,
        objective_id: objective.id,
        okr_id: teamOkr.id,
        position: j + 1,
        content: json(paragraph(krTitle)),
        score: 0,
        weight_milli: krWeight,
        progress_percent: krPercents[j]!,
        progress_status: 0,
        deadline,
        progress_rate_percent_last_updated_time: touched,
        progress_rate_status_last_updated_time: touched,
        progress_record_last_updated_time: 0,
        progress_report_last_updated_time: 0,
        score_last_updated_time: 0,
        created_at: t0,
        updated_at: touched,
      };
      keyResults.push(kr);
      indicators.push({
        ...defaultIndicator(indicatorId(), DEMO_TENANT_ID, 3, kr.id, t0),
        indicator_status: 0,
        start_value: start,
        target_value: target,
        current_value: current,
        unit_type: unitType,
        unit_value: unit,
        updated_at: touched,
      });
    }
  }

  // Across teams: 赵磊's second April objective supports 李娜's first; the product team's first supports 王伟's.
  const alignmentId = sequentialIds(7_330_000_000_000_000_001n);
  const linaFirst = objectiveAt(okrOf('lina').id, 1);
  for (const [from, to] of [
    [objectiveAt(okrOf('zhaolei').id, 2), linaFirst],
    [teamObjectives[0]!, objectiveAt(okrOf('wangwei').id, 1)],
  ] as const) {
    const at = Math.max(from.created_at, to.created_at) + 7_200_000;
    alignments.push({
      id: alignmentId(),
      tenant_id: DEMO_TENANT_ID,
      from_objective_id: from.id,
      to_objective_id: to.id,
      created_at: at,
      updated_at: at,
    });
  }

  // Comments on 李娜's first April objective: a thread with a reply, a selection thread, and a solved thread.
  const commentId = sequentialIds(7_340_000_000_000_000_001n);
  const selectionId = sequentialIds(7_350_000_000_000_000_001n);
  const comments: CommentRow[] = [];
  const day = linaFirst.created_at + 86_400_000;
  const comment = (
    author: string,
    at: number,
    content: Content,
    thread?: CommentRow,
    extra: Partial<CommentRow> = {},
  ): CommentRow => {
    const id = commentId();
    const row: CommentRow = {
      id,
      tenant_id: DEMO_TENANT_ID,
      target_type: 'objective',
      target_id: linaFirst.id,
      okr_id: linaFirst.okr_id,
      thread_id: thread?.thread_id ?? id,
      ref_comment_id: thread?.id ?? null,
      commentator_id: person(author).id,
      content: json(content),
      selection_id: null,
      selected_text: null,
      status: 'open',
      solver_id: null,
      solved_time: null,
      created_at: at,
      updated_at: at,
      ...extra,
    };
    comments.push(row);
    return row;
  };
  const hour = 3_600_000;
  const first = comment('wangwei', day, paragraph('方向和公司本月重点一致，进展不错'));
  comment('lina', day + hour, paragraph('谢谢 ', { mention: person('wangwei').id }, '，周五前同步详细计划'), first);
  const quoted = textOf(linaFirst).slice(2);
  const selection = comment('zhaolei', day + 2 * hour, paragraph('这里的范围包括移动端吗？'), undefined, {
    selection_id: selectionId(),
    selected_text: quoted,
  });
  comment('lina', day + 3 * hour, paragraph('包括，移动端单独列了关键结果'), selection);
  const solvedAt = day + 6 * hour;
  const solved = {
    status: 'solved' as const,
    solver_id: person('lina').id,
    solved_time: solvedAt,
    updated_at: solvedAt,
  };
  const question = comment('wangwei', day + 4 * hour, paragraph('截止日期要不要提前一周？'), undefined, solved);
  comment('lina', day + 5 * hour, paragraph('已提前到月底前一周'), question, solved);

  return { departments: [...departments.values()], members, categories, comments };
}
