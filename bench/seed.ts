/**
 * The benchmark tenant: 10,000 OKRs of 3 objectives × 3 key results with Chinese content, @-mentions, notes,
 * progress records and alignments along the leader tree, written straight into a SQLite file.
 *
 * It is built as typed rows (src/store/rows.ts) and inserted with insertRow in one write transaction, the same
 * path an import takes minus the document checks: a whole tenant in a few seconds, where going through the
 * HTTP API would take minutes.
 */
import { createHash } from 'node:crypto';
import { ALL_SCOPES } from '../src/contract/scopes.js';
import { sequentialIds } from '../src/domain/ids.js';
import { formatMonth, parseMonth, periodBounds, periodNames } from '../src/domain/period.js';
import { paragraph, type Content } from '../src/domain/rich-text.js';
import { hashSecret } from '../src/services/secrets.js';
import { openDb } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import type {
  AlignmentRow,
  AppRow,
  AppUserRow,
  KeyResultRow,
  ObjectiveRow,
  OkrRow,
  PeriodRow,
  PeriodRuleRow,
  ProgressRecordRow,
  TenantRow,
  UserRow,
} from '../src/store/rows.js';
import { TENANT_TABLES, insertRow, type TenantTable } from '../src/store/table.repository.js';

export const BENCH_TENANT_ID = '7200000000000000001';
export const BENCH_APP_ID = 'cli_okrd_bench';

/** What the benchmark needs to know about the tenant it seeded. */
export interface SeededTenant {
  appId: string;
  appSecret: string;
  /** okrIds[period][user]: the OKR of each user in each period. */
  okrIds: string[][];
  /** A cycle of 100 objectives with two key results each (the v2 list and weight-update cases). */
  bigCycle: { id: string; objectiveIds: string[] };
  rowCounts: Partial<Record<TenantTable, number>>;
}

/** Objectives in the big cycle: the most a cycle may hold (positions 1–100). */
export const BIG_CYCLE_OBJECTIVES = 100;

// Four quarters; the first is over and scored, the last has not started.
const QUARTERS = ['2026-01', '2026-04', '2026-07', '2026-10'] as const;
const UTC_OFFSET = 480;
const CREATED = Date.UTC(2025, 11, 1);
const DAY = 86_400_000;
// A manager has this many direct reports: about five levels for 2,500 people.
const SPAN = 8;

const SURNAMES: [string, string][] = [
  ['王', 'Wang'],
  ['李', 'Li'],
  ['张', 'Zhang'],
  ['刘', 'Liu'],
  ['陈', 'Chen'],
  ['杨', 'Yang'],
  ['黄', 'Huang'],
  ['赵', 'Zhao'],
  ['吴', 'Wu'],
  ['周', 'Zhou'],
  ['徐', 'Xu'],
  ['孙', 'Sun'],
  ['马', 'Ma'],
  ['朱', 'Zhu'],
  ['胡', 'Hu'],
  ['郭', 'Guo'],
];
const GIVEN_NAMES: [string, string][] = [
  ['伟', 'Wei'],
  ['芳', 'Fang'],
  ['娜', 'Na'],
  ['敏', 'Min'],
  ['静', 'Jing'],
  ['丽', 'Li'],
  ['强', 'Qiang'],
  ['磊', 'Lei'],
  ['洋', 'Yang'],
  ['秀英', 'Xiuying'],
  ['建华', 'Jianhua'],
  ['晓明', 'Xiaoming'],
];

// Objective themes with their three key results; each OKR takes three of them.
const THEMES: [string, [string, string, string]][] = [
  ['提升产品稳定性', ['线上 P0 故障数降为 0', '核心接口可用性达到 99.95%', '告警平均响应时间小于 5 分钟']],
  ['加快交付节奏', ['需求平均交付周期缩短到 10 天', '每周稳定发布两次', '自动化测试覆盖率达到 80%']],
  ['提高客户满意度', ['NPS 提升到 45', '工单首次响应时间小于 2 小时', '完成 20 次客户回访']],
  ['打造高效团队', ['完成 3 次技术分享', '新人 2 周内独立交付', '团队满意度调查 4.5 分以上']],
  ['扩大市场份额', ['新增付费客户 30 家', '进入两个新的行业', '渠道收入占比达到 25%']],
  ['降低运营成本', ['云资源成本下降 15%', '人工对账工作量减半', '供应商合同全部重新评估']],
  ['完善数据体系', ['核心指标看板覆盖全部业务线', '发布统一的数据口径文档', '日报自动生成率达到 90%']],
  ['提升研发效能', ['构建时间缩短到 8 分钟以内', '代码评审平均等待时间小于 4 小时', '关闭 40 项技术债']],
  ['强化安全合规', ['完成年度等保测评', '高危漏洞 48 小时内修复', '全员安全培训完成率 100%']],
  ['优化用户体验', ['首屏加载时间降到 1.5 秒', '关键流程转化率提升 10%', '完成 12 场可用性测试']],
  ['推进国际化', ['上线英文和日文版本', '海外用户数达到 5 万', '本地化问题清零']],
  ['建设知识库', ['沉淀 50 篇最佳实践', '新人手册覆盖所有岗位', '文档搜索满意度 4 分以上']],
];

const json = (c: Content) => JSON.stringify(c);
const hex = (seed: string) => createHash('sha256').update(seed).digest('hex').slice(0, 32);

/** The identity columns of a person who signs in by no means yet. */
const PERSON_DEFAULTS = { email: null, mobile: null, active: 1, is_admin: 0 };

/** 1000 thousandths split three ways, summing to exactly 1000. */
const WEIGHTS = [334, 333, 333] as const;

/**
 * The OKRs the benchmark asks for. One id: a mid-tree person of the second quarter, whose OKR has a leader
 * mention, an alignment each way and progress records. Ten ids: people spread over the company and three quarters.
 */
export function benchCases(seeded: SeededTenant): { '1 id': string[]; '10 ids': string[] } {
  const okrAt = (period: number, user: number) => seeded.okrIds[period]![user]!;
  return {
    '1 id': [okrAt(1, 10)],
    '10 ids': Array.from({ length: 10 }, (_, k) => okrAt(k % 3, 10 + k * 229)),
  };
}

/** Creates (and migrates) the SQLite file at `file` holding the benchmark tenant with `okrCount` OKRs. */
export async function seedBenchTenant(file: string, okrCount: number): Promise<SeededTenant> {
  const nextId = sequentialIds(7_200_000_000_000_001_000n);
  const appSecret = `bench_${hex(`secret:${Date.now()}:${Math.random()}`)}`;
  const userCount = Math.ceil(okrCount / QUARTERS.length);

  // Tables this benchmark does not fill (newer ones included) are simply absent.
  const tables: Partial<Record<TenantTable, object[]>> = {};
  const add = <R extends object>(table: TenantTable, row: R): R => {
    (tables[table] ??= []).push(row);
    return row;
  };
  const base = { tenant_id: BENCH_TENANT_ID };

  add<TenantRow>('tenants', {
    id: BENCH_TENANT_ID,
    name: 'okrd bench',
    utc_offset_minutes: UTC_OFFSET,
    created_at: CREATED,
    data_version: 0,
    password_sign_in: 1,
    oidc_issuer: null,
    oidc_client_id: null,
    oidc_client_secret: null,
    oidc_create_users: 0,
  });
  add<AppRow>('apps', {
    app_id: BENCH_APP_ID,
    ...base,
    name: 'okrd bench app',
    secret_hash: hashSecret(appSecret),
    scopes: ALL_SCOPES.join(' '),
    created_at: CREATED,
    client_type: 'confidential',
  });

  const users: UserRow[] = [];
  for (let u = 0; u < userCount; u++) {
    const [surZh, surEn] = SURNAMES[u % SURNAMES.length]!;
    const [givenZh, givenEn] = GIVEN_NAMES[Math.floor(u / SURNAMES.length) % GIVEN_NAMES.length]!;
    const user = add<UserRow>('users', {
      id: nextId(),
      ...base,
      employee_id: `e${String(u).padStart(6, '0')}`,
      union_id: `on_${hex(`union:${u}`)}`,
      people_admin_id: nextId(),
      name_zh: surZh + givenZh,
      name_en: `${givenEn} ${surEn}`,
      leader_id: u === 0 ? null : users[Math.floor((u - 1) / SPAN)]!.id,
      created_at: CREATED,
      ...PERSON_DEFAULTS,
    });
    users.push(user);
    add<AppUserRow>('app_users', {
      app_id: BENCH_APP_ID,
      user_ref: user.id,
      open_id: `ou_${hex(`open:${u}`)}`,
      ...base,
    });
  }

  const rule = add<PeriodRuleRow>('period_rules', {
    id: nextId(),
    ...base,
    type: 'month',
    length: 3,
    first_month: 1,
    created_at: CREATED,
  });
  const periods = QUARTERS.map((month, p) => {
    const start = parseMonth(month)!;
    return add<PeriodRow>('periods', {
      id: nextId(),
      ...base,
      rule_id: rule.id,
      ...periodNames(start, start + 2),
      status: p === QUARTERS.length - 1 ? 0 : 1,
      start_month: month,
      end_month: formatMonth(start + 2),
      ...periodBounds(start, start + 2, UTC_OFFSET),
      created_at: CREATED,
      updated_at: CREATED,
    });
  });

  const okrIds: string[][] = periods.map(() => []);
  let made = 0;
  for (const [p, period] of periods.entries()) {
    const scored = p === 0;
    const progressed = p < QUARTERS.length - 1;
    const firstObjective: string[] = []; // by user index, for alignments to the leader
    for (const [u, user] of users.entries()) {
      if (made++ >= okrCount) break;
      const t0 = period.period_start_time + DAY * (1 + (u % 7));
      const okr = add<OkrRow>('okrs', {
        id: nextId(),
        ...base,
        owner_id: user.id,
        period_id: period.id,
        confirm_status: scored ? 4 : progressed ? [4, 4, 2, 1][u % 4]! : 0,
        // A few OKRs are for the leader chain only; a tenant token still sees them.
        visibility: u % 20 === 7 ? 'leaders' : 'tenant',
        created_at: t0,
        updated_at: t0,
        department_id: null,
      });
      okrIds[p]!.push(okr.id);
      const peer = users[(u + 1) % users.length]!;

      for (let i = 0; i < 3; i++) {
        const [title, krTitles] = THEMES[(u + p + i * 5) % THEMES.length]!;
        const percent = progressed ? (scored ? 70 + ((u + i) % 4) * 10 : 10 + ((u * 7 + i * 13) % 60)) : 0;
        const status = progressed ? [0, 0, 0, 1, 2][(u + i) % 5]! : -1;
        const touched = progressed ? t0 + 3_600_000 * (i + 1) : 0;
        let content: Content;
        if (i === 1 && user.leader_id)
          content = paragraph(`${title}，配合 `, { mention: user.leader_id }, ' 的团队目标');
        else if (i === 2) content = paragraph(`${title}，夯实基础能力`);
        else content = paragraph(title);
        const objective = add<ObjectiveRow>('objectives', {
          id: nextId(),
          ...base,
          okr_id: okr.id,
          position: i + 1,
          content: json(content),
          notes: json(i === 0 && progressed ? paragraph('本季度重点，每两周同步一次进展') : { blocks: [] }),
          score: scored ? 60 + ((u + i) % 5) * 10 : 0,
          weight_milli: WEIGHTS[i]!,
          progress_percent: percent,
          progress_status: status,
          deadline: period.period_end_time + 1 - DAY,
          category_id: null,
          progress_rate_percent_last_updated_time: touched,
          progress_rate_status_last_updated_time: touched,
          progress_record_last_updated_time: progressed && i === 0 ? touched + 600_000 : 0,
          progress_report_last_updated_time: i === 0 && progressed ? t0 : 0,
          score_last_updated_time: scored ? period.period_end_time - DAY : 0,
          created_at: t0,
          updated_at: touched || t0,
        });
        if (i === 0) {
          firstObjective[u] = objective.id;
          // Every fifth person aligns their first objective to their leader's first one.
          const leaderIndex = Math.floor((u - 1) / SPAN);
          if (u > 0 && u % 5 === 0 && firstObjective[leaderIndex]) {
            add<AlignmentRow>('alignments', {
              id: nextId(),
              ...base,
              from_objective_id: objective.id,
              to_objective_id: firstObjective[leaderIndex],
              created_at: t0,
              updated_at: t0,
            });
          }
        }
        for (const [j, krTitle] of krTitles.entries()) {
          const krPercent = progressed ? Math.min(100, percent + ((j * 17) % 30)) : 0;
          const krContent =
            i === 2 && j === 2 && u % 2 === 0
              ? paragraph(`${krTitle}，与 `, { mention: peer.id }, ' 共同推进')
              : paragraph(krTitle);
          const kr = add<KeyResultRow>('key_results', {
            id: nextId(),
            ...base,
            objective_id: objective.id,
            okr_id: okr.id,
            position: j + 1,
            content: json(krContent),
            score: scored ? 50 + ((u + i + j) % 6) * 10 : 0,
            weight_milli: WEIGHTS[j]!,
            progress_percent: krPercent,
            progress_status: status,
            deadline: period.period_end_time + 1 - DAY,
            progress_rate_percent_last_updated_time: touched,
            progress_rate_status_last_updated_time: touched,
            progress_record_last_updated_time: progressed && i === 0 && j === 0 ? touched + 1_200_000 : 0,
            progress_report_last_updated_time: 0,
            score_last_updated_time: scored ? period.period_end_time - DAY : 0,
            created_at: t0,
            updated_at: touched || t0,
          });
          // Two progress records per started OKR: one on the first objective, one on its first key result.
          if (progressed && i === 0 && j === 0) {
            for (const [target, type, time, text] of [
              [objective.id, 2, touched + 600_000, `${title}：本周完成方案评审`],
              [kr.id, 3, touched + 1_200_000, `${krTitle}：进度 ${krPercent}%`],
            ] as const) {
              add<ProgressRecordRow>('progress_records', {
                id: nextId(),
                ...base,
                okr_id: okr.id,
                target_type: type,
                target_id: target,
                source_title: '周报系统',
                source_url: 'https://okrd.example.com/weekly',
                source_url_pc: null,
                source_url_mobile: null,
                content: json(paragraph(text)),
                progress_percent: type === 3 ? krPercent : null,
                progress_status: type === 3 ? status : null,
                created_by: user.id,
                created_at: time,
                modify_time: time,
              });
            }
          }
        }
      }
    }
  }

  // The big cycle: one more person whose second-quarter cycle holds 100 objectives (weights 10‰ each), each with two
  // key results — the largest page of the v2 objective list.
  const author = add<UserRow>('users', {
    id: nextId(),
    ...base,
    employee_id: 'bench_author',
    union_id: `on_${hex('union:author')}`,
    people_admin_id: nextId(),
    name_zh: '陈大文',
    name_en: 'Chen Dawen',
    leader_id: users[0]!.id,
    created_at: CREATED,
    ...PERSON_DEFAULTS,
  });
  add<AppUserRow>('app_users', {
    app_id: BENCH_APP_ID,
    user_ref: author.id,
    open_id: `ou_${hex('open:author')}`,
    ...base,
  });
  const big = periods[1]!;
  const bigCycle = add<OkrRow>('okrs', {
    id: nextId(),
    ...base,
    owner_id: author.id,
    period_id: big.id,
    confirm_status: 0,
    visibility: 'tenant',
    created_at: big.period_start_time,
    updated_at: big.period_start_time,
    department_id: null,
  });
  const bigObjectiveIds: string[] = [];
  for (let i = 0; i < BIG_CYCLE_OBJECTIVES; i++) {
    const [title, krTitles] = THEMES[i % THEMES.length]!;
    const t0 = big.period_start_time + 60_000 * i;
    const tracked = {
      progress_percent: (i * 7) % 100,
      progress_status: 0,
      deadline: big.period_end_time + 1 - DAY,
      progress_rate_percent_last_updated_time: t0,
      progress_rate_status_last_updated_time: t0,
      progress_record_last_updated_time: 0,
      progress_report_last_updated_time: 0,
      score_last_updated_time: 0,
      created_at: t0,
      updated_at: t0,
    };
    const objective = add<ObjectiveRow>('objectives', {
      id: nextId(),
      ...base,
      okr_id: bigCycle.id,
      position: i + 1,
      content: json(
        i % 3 === 1
          ? paragraph(`${title}（${i + 1}），配合 `, { mention: users[0]!.id }, ' 的目标')
          : paragraph(`${title}（${i + 1}）`),
      ),
      notes: json(paragraph('每周同步一次进展')),
      score: 0,
      weight_milli: 1000 / BIG_CYCLE_OBJECTIVES,
      category_id: null,
      ...tracked,
    });
    bigObjectiveIds.push(objective.id);
    for (const [j, krTitle] of krTitles.slice(0, 2).entries()) {
      add<KeyResultRow>('key_results', {
        id: nextId(),
        ...base,
        objective_id: objective.id,
        okr_id: bigCycle.id,
        position: j + 1,
        content: json(paragraph(krTitle)),
        score: 0,
        weight_milli: 500,
        ...tracked,
      });
    }
  }

  const db = await openDb(`sqlite:${file}`);
  try {
    await migrate(db);
    await db.write(async (tx) => {
      for (const table of TENANT_TABLES) for (const row of tables[table] ?? []) await insertRow(tx, table, row);
    });
  } finally {
    await db.close();
  }
  const rowCounts = Object.fromEntries(Object.entries(tables).map(([t, rows]) => [t, rows.length]));
  return {
    appId: BENCH_APP_ID,
    appSecret,
    okrIds,
    bigCycle: { id: bigCycle.id, objectiveIds: bigObjectiveIds },
    rowCounts,
  };
}
