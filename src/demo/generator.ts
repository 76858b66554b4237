/**
 * Generated tenants of any size (`npm run gen`, the benchmark, tests that need a full source server): N OKRs, an OKR
 * being one person's cycle in one period, with everything that hangs under OKRs in a real company. Deterministic for
 * a seed (ids, names, text, numbers); only the app secret is random unless one is passed.
 *
 * What a tenant holds: people in a leader tree (8 direct reports each) with open_ids for its app, departments led by
 * the upper three levels of the tree with every person a member of the nearest one, four quarterly periods, each
 * person's OKR in each quarter (3 objectives × 3 key results with weights, positions, scores and progress; some with
 * categories, units on some key results), alignments to the leader's objectives, progress records with rich text and
 * @-mentions, a few images (real PNG files in `imageDir` with their rows), comment threads, OKRs visible to the owner's
 * leader chain only, one team OKR (a department's cycle), and one person whose cycle holds 100 objectives (the largest
 * page a v2 objective list can have).
 *
 * Rows are built in memory a batch of people at a time and loaded by store/bulk-load.repository.ts, one tenant write
 * transaction per batch: memory stays bounded by the batch whatever N is.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ALL_SCOPES } from '../contract/scopes.js';
import { sequentialIds } from '../domain/ids.js';
import { formatMonth, parseMonth, periodBounds, periodNames } from '../domain/period.js';
import { paragraph, type Block, type Content } from '../domain/rich-text.js';
import { hashSecret } from '../services/secrets.js';
import { analyzeAfterBulkLoad, beginBulkLoad, insertRows } from '../store/bulk-load.repository.js';
import type { Db } from '../store/db.js';
import type {
  AlignmentRow,
  CategoryRow,
  CommentRow,
  DepartmentRow,
  IndicatorRow,
  KeyResultRow,
  ObjectiveRow,
  OkrRow,
  PeriodRow,
  ProgressRecordRow,
  UserRow,
} from '../store/rows.js';
import { TENANT_TABLES, type TenantTable } from '../store/table.repository.js';
import { writeTenant } from '../store/tenant-write.js';
import { solidPng } from './png.js';

/** What to generate. */
export interface GenerateOptions {
  /** How many OKRs (person × period). */
  okrs: number;
  /** Same seed, same tenant (default 1). */
  seed?: number;
  /** The new tenant's id (default: drawn from the seed). */
  tenantId?: string;
  /** Where the image files go (the server's IMAGE_DIR); without it the tenant has no images. */
  imageDir?: string;
  /** The app's secret (default: random, printed once by the caller). */
  appSecret?: string;
  /** People per write transaction (default 2,000: about 8,000 OKRs and 130,000 rows). */
  batchPeople?: number;
  /** Called after each committed batch with the OKRs written so far. */
  onProgress?: (okrsDone: number) => void;
}

/** What was generated: the credentials to read it, row counts, and ids worth knowing. */
export interface GeneratedTenant {
  tenantId: string;
  appId: string;
  appSecret: string;
  rows: Partial<Record<TenantTable, number>>;
  periodIds: string[];
  /** Ten OKRs spread over the company and three quarters (the benchmark's 10-id request); the first alone is its 1-id one. */
  sampleOkrIds: string[];
  /** An OKR only its owner's leader chain may read, its owner, and a person outside that chain. */
  hidden: { okrId: string; ownerRef: string; leaderRef: string; outsiderRef: string };
  /** The team OKR (a department's cycle). */
  teamOkrId: string;
  /** The cycle holding 100 objectives of two key results each. */
  bigCycle: { id: string; objectiveIds: string[] };
  /** The images: file token, the progress record that shows it, and its bytes' length. */
  images: { fileToken: string; progressRecordId: string; size: number }[];
}

// Four quarters of 2026: the first is over and scored, the second and third under way, the fourth not started.
const QUARTERS = ['2026-01', '2026-04', '2026-07', '2026-10'] as const;
const UTC_OFFSET = 480;
const CREATED = Date.UTC(2025, 11, 1);
const DAY = 86_400_000;
const HOUR = 3_600_000;
// Direct reports per manager: about six levels for 250,000 people.
const SPAN = 8;
// People at depths 0–DEPARTMENT_DEPTH who lead anyone head a department.
const DEPARTMENT_DEPTH = 3;
const IMAGE_COUNT = 5;
/** Objectives in the big cycle: the most a cycle may hold (positions 1–100). */
export const BIG_CYCLE_OBJECTIVES = 100;

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

// Objective themes with three key results each.
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
const UPDATES = ['本周完成方案评审', '灰度发布已覆盖一半用户', '遇到依赖阻塞，已升级处理', '数据已对齐，下周复盘'];
const CATEGORIES: [CategoryRow['category_type'], string, string, string, string][] = [
  ['person', 'blue', '业务', 'Business', 'ビジネス'],
  ['person', 'purple', '成长', 'Growth', '成長'],
  ['team', 'orange', '团队建设', 'Team building', 'チームづくり'],
];
/** 1000 thousandths split three ways, summing to exactly 1000. */
const WEIGHTS = [334, 333, 333] as const;

/** A small fast PRNG (mulberry32): the same seed gives the same tenant. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);
const json = (c: Content) => JSON.stringify(c);

/** Rows of one batch, by table; loaded in TENANT_TABLES order (parents first). */
class Batch {
  readonly tables = new Map<TenantTable, object[]>();
  add<R extends object>(table: TenantTable, row: R): R {
    let rows = this.tables.get(table);
    if (!rows) this.tables.set(table, (rows = []));
    rows.push(row);
    return row;
  }
}

/** Fills a new tenant of `db` (migrated) with `options.okrs` OKRs; see the module comment. */
export async function generateTenant(db: Db, options: GenerateOptions): Promise<GeneratedTenant> {
  const seed = options.seed ?? 1;
  const total = Math.max(1, Math.floor(options.okrs));
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // Ids of different seeds and tenants never meet, so several generated tenants can share a database.
  const idSpace = parseInt(hex(`ids:${seed}:${options.tenantId ?? ''}`).slice(0, 8), 16);
  const nextId = sequentialIds(7_000_000_000_000_000_000n + BigInt(idSpace) * 2n ** 28n);
  const tenantId = options.tenantId ?? nextId();
  const appId = `cli_gen_${hex(`app:${tenantId}`).slice(0, 16)}`;
  const appSecret = options.appSecret ?? `gen_${randomBytes(16).toString('hex')}`;
  const unique = (kind: string, n: number | string) => hex(`${kind}:${tenantId}:${n}`);
  const base = { tenant_id: tenantId };
  const counts: Partial<Record<TenantTable, number>> = {};

  const load = async (batch: Batch) => {
    await writeTenant(db, tenantId, async (tx) => {
      await beginBulkLoad(tx);
      for (const table of TENANT_TABLES) {
        const rows = batch.tables.get(table);
        if (!rows) continue;
        await insertRows(tx, table, rows);
        counts[table] = (counts[table] ?? 0) + rows.length;
      }
    });
  };

  // The tenant, its app with every scope, periods and categories.
  let batch = new Batch();
  batch.add('tenants', {
    id: tenantId,
    name: `okrd generated (${total} OKRs, seed ${seed})`,
    utc_offset_minutes: UTC_OFFSET,
    created_at: CREATED,
    data_version: 0,
    password_sign_in: 1,
    oidc_issuer: null,
    oidc_client_id: null,
    oidc_client_secret: null,
    oidc_create_users: 0,
  });
  batch.add('apps', {
    app_id: appId,
    ...base,
    name: 'okrd generated app',
    secret_hash: hashSecret(appSecret),
    scopes: ALL_SCOPES.join(' '),
    created_at: CREATED,
    client_type: 'confidential',
  });
  const rule = batch.add('period_rules', {
    id: nextId(),
    ...base,
    type: 'month',
    length: 3,
    first_month: 1,
    created_at: CREATED,
  });
  const periods = QUARTERS.map((month, p) => {
    const start = parseMonth(month)!;
    return batch.add<PeriodRow>('periods', {
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
  const categories = CATEGORIES.map(([type, color, zh, en, ja], i) =>
    batch.add<CategoryRow>('categories', {
      id: nextId(),
      ...base,
      category_type: type,
      enabled: 1,
      color,
      name_zh: zh,
      name_en: en,
      name_ja: ja,
      created_at: CREATED + i,
      updated_at: CREATED + i,
    }),
  );
  const personCategories = categories.filter((c) => c.category_type === 'person');
  await load(batch);

  const userCount = Math.ceil(total / QUARTERS.length);
  const leaderOf = (u: number) => (u === 0 ? -1 : Math.floor((u - 1) / SPAN));
  // Only people who lead someone are remembered: their ids (for mentions), departments and first objectives.
  const leaders = Math.max(1, Math.min(userCount, Math.floor((userCount - 2) / SPAN) + 1));
  const userIds: string[] = [];
  const depth = new Uint8Array(userCount);
  const departmentOf: string[] = []; // by leader index: the department they belong to (their own if they lead one)
  const firstObjective: string[][] = periods.map(() => []); // [period][leader index]
  const images: GeneratedTenant['images'] = [];
  const sampleAt = Array.from({ length: 10 }, (_, k) =>
    Math.min(userCount - 1, Math.floor(((k + 0.5) * userCount) / 10)),
  );
  const sampleOkrIds: string[] = Array.from({ length: 10 }, () => '');
  let hidden: GeneratedTenant['hidden'] | undefined;
  let made = 0;
  if (options.imageDir) await mkdir(options.imageDir, { recursive: true });

  const tracked = (period: PeriodRow, t0: number, percent: number, status: number, scored: boolean) => ({
    progress_percent: percent,
    progress_status: status,
    deadline: period.period_end_time + 1 - DAY,
    progress_rate_percent_last_updated_time: status === -1 ? 0 : t0 + HOUR,
    progress_rate_status_last_updated_time: status === -1 ? 0 : t0 + HOUR,
    progress_record_last_updated_time: 0,
    progress_report_last_updated_time: 0,
    score_last_updated_time: scored ? period.period_end_time - DAY : 0,
    created_at: t0,
    updated_at: status === -1 ? t0 : t0 + HOUR,
  });

  batch = new Batch();
  const batchPeople = Math.max(SPAN + 1, options.batchPeople ?? 2_000);
  for (let u = 0; u < userCount; u++) {
    const leader = leaderOf(u);
    const leaderId = leader === -1 ? null : userIds[leader]!;
    depth[u] = leader === -1 ? 0 : depth[leader]! + 1;
    const [surZh, surEn] = SURNAMES[u % SURNAMES.length]!;
    const [givenZh, givenEn] = GIVEN_NAMES[Math.floor(u / SURNAMES.length) % GIVEN_NAMES.length]!;
    const user = batch.add<UserRow>('users', {
      id: nextId(),
      ...base,
      employee_id: `e${String(u).padStart(7, '0')}`,
      union_id: `on_${unique('union', u)}`,
      people_admin_id: nextId(),
      name_zh: surZh + givenZh,
      name_en: `${givenEn} ${surEn}`,
      leader_id: leaderId,
      created_at: CREATED,
      email: `e${String(u).padStart(7, '0')}@gen.okrd.example`,
      mobile: null,
      active: 1,
      is_admin: u === 0 ? 1 : 0,
    });
    if (u < leaders) userIds.push(user.id);
    batch.add('app_users', { app_id: appId, user_ref: user.id, open_id: `ou_${unique('open', u)}`, ...base });

    // Departments: the upper levels of the tree lead one each; everyone joins the nearest one up their chain.
    let department = leader === -1 ? undefined : departmentOf[leader];
    if (u < leaders && depth[u]! <= DEPARTMENT_DEPTH) {
      const [name] = THEMES[u % THEMES.length]!;
      department = batch.add<DepartmentRow>('departments', {
        id: nextId(),
        ...base,
        department_id: `d${String(u).padStart(5, '0')}`,
        open_department_id: `od-${unique('department', u)}`,
        name_zh: `${user.name_zh}的团队（${name.slice(2)}）`,
        name_en: `${user.name_en}'s team`,
        parent_id: department ?? null,
        leader_id: user.id,
        created_at: CREATED,
        updated_at: CREATED,
      }).id;
    }
    if (u < leaders) departmentOf.push(department!);
    batch.add('department_members', { ...base, department_ref: department!, user_ref: user.id, created_at: CREATED });
    const peerId = u > 0 ? (userIds[(u * 7) % Math.max(1, Math.min(u, leaders))] ?? null) : null;

    for (const [p, period] of periods.entries()) {
      if (made >= total) break;
      made++;
      const scored = p === 0;
      const started = p < QUARTERS.length - 1;
      const t0 = period.period_start_time + DAY * (1 + Math.floor(random() * 10));
      // About one OKR in twenty is for the owner's leader chain only (never the root's: they have no leader).
      const restricted = leaderId !== null && random() < 0.05;
      const okr = batch.add<OkrRow>('okrs', {
        id: nextId(),
        ...base,
        owner_id: user.id,
        period_id: period.id,
        confirm_status: scored ? 4 : started ? pick([4, 4, 2, 1]) : 0,
        visibility: restricted ? 'leaders' : 'tenant',
        created_at: t0,
        updated_at: t0,
        department_id: null,
      });
      const sample = sampleAt.indexOf(u);
      if (sample !== -1 && p === sample % 3) sampleOkrIds[sample] = okr.id;
      if (restricted && !hidden) {
        const outsider = outsiderOf(u, leaderOf, leaders);
        if (outsider !== undefined)
          hidden = { okrId: okr.id, ownerRef: user.id, leaderRef: leaderId!, outsiderRef: userIds[outsider]! };
      }

      for (let i = 0; i < 3; i++) {
        const [title, krTitles] = pick(THEMES);
        const percent = started ? (scored ? 60 + Math.floor(random() * 41) : Math.floor(random() * 80)) : 0;
        const status = started ? pick([0, 0, 0, 1, 2]) : -1;
        const content =
          i === 1 && leaderId
            ? paragraph(`${title}，配合 `, { mention: leaderId }, ' 的团队目标')
            : paragraph(i === 2 ? `${title}，夯实基础能力` : title);
        const objective = batch.add<ObjectiveRow>('objectives', {
          id: nextId(),
          ...base,
          okr_id: okr.id,
          position: i + 1,
          content: json(content),
          notes: json(i === 0 && started ? paragraph('本季度重点，每两周同步一次进展') : { blocks: [] }),
          score: scored ? 50 + Math.floor(random() * 6) * 10 : 0,
          weight_milli: WEIGHTS[i]!,
          category_id: random() < 0.25 ? pick(personCategories).id : null,
          ...tracked(period, t0, percent, status, scored),
          progress_report_last_updated_time: i === 0 && started ? t0 : 0,
        });
        batch.add<IndicatorRow>('indicators', indicator(nextId(), base.tenant_id, 2, objective.id, t0));
        if (i === 0) {
          if (u < leaders) firstObjective[p]!.push(objective.id);
          // One person in five aligns their first objective to their leader's.
          if (leader !== -1 && random() < 0.2) {
            batch.add<AlignmentRow>('alignments', {
              id: nextId(),
              ...base,
              from_objective_id: objective.id,
              to_objective_id: firstObjective[p]![leader]!,
              created_at: t0 + HOUR,
              updated_at: t0 + HOUR,
            });
          }
          if (random() < 0.02 && leaderId)
            addThread(batch, nextId, base.tenant_id, objective, okr.id, leaderId, user.id);
        }
        for (const [j, krTitle] of krTitles.entries()) {
          const krPercent = started ? Math.min(100, percent + Math.floor(random() * 30)) : 0;
          const kr = batch.add<KeyResultRow>('key_results', {
            id: nextId(),
            ...base,
            objective_id: objective.id,
            okr_id: okr.id,
            position: j + 1,
            content: json(
              j === 2 && peerId && random() < 0.3
                ? paragraph(`${krTitle}，与 `, { mention: peerId }, ' 共同推进')
                : paragraph(krTitle),
            ),
            score: scored ? 40 + Math.floor(random() * 7) * 10 : 0,
            weight_milli: WEIGHTS[j]!,
            ...tracked(period, t0, krPercent, status, scored),
          });
          // One key result in five measures a percentage towards 100.
          const measured = random() < 0.2;
          batch.add<IndicatorRow>('indicators', {
            ...indicator(nextId(), base.tenant_id, 3, kr.id, t0),
            ...(measured ? { unit_value: 'PERCENT', start_value: 0, target_value: 100, current_value: krPercent } : {}),
          });
          // A progress record on the first key result of a started OKR; a second one on its objective in two OKRs of three.
          if (started && i === 0 && j === 0) {
            const image = options.imageDir && images.length < IMAGE_COUNT ? nextImage(images.length) : undefined;
            const recordAt = t0 + 2 * HOUR;
            const record = progressRecord(nextId(), base.tenant_id, okr.id, 3, kr.id, user.id, recordAt, {
              text: `${krTitle}：${pick(UPDATES)}，进度 ${krPercent}%`,
              mention: leaderId,
              image,
            });
            record.progress_percent = krPercent;
            record.progress_status = status;
            batch.add('progress_records', record);
            kr.progress_record_last_updated_time = recordAt;
            if (image) {
              await writeFile(join(options.imageDir!, image.fileToken), image.bytes);
              batch.add('images', {
                file_token: image.fileToken,
                ...base,
                target_type: 3,
                target_id: kr.id,
                content_type: 'image/png',
                size: image.bytes.length,
                created_by: user.id,
                created_at: recordAt - 60_000,
              });
              images.push({ fileToken: image.fileToken, progressRecordId: record.id, size: image.bytes.length });
            }
            if (random() < 0.66) {
              const objectiveRecordAt = recordAt + HOUR;
              batch.add(
                'progress_records',
                progressRecord(nextId(), base.tenant_id, okr.id, 2, objective.id, user.id, objectiveRecordAt, {
                  text: `${title}：${pick(UPDATES)}`,
                  mention: peerId,
                }),
              );
              objective.progress_record_last_updated_time = objectiveRecordAt;
            }
          }
        }
      }
    }
    if ((u + 1) % batchPeople === 0) {
      await load(batch);
      batch = new Batch();
      options.onProgress?.(made);
    }
  }

  // The team OKR: the root department's second-quarter cycle, with a team category and units on its key results.
  const q2 = periods[1]!;
  const t0 = q2.period_start_time + DAY;
  const teamOkr = batch.add<OkrRow>('okrs', {
    id: nextId(),
    ...base,
    owner_id: null,
    period_id: q2.id,
    confirm_status: 4,
    visibility: 'tenant',
    created_at: t0,
    updated_at: t0,
    department_id: departmentOf[0]!,
  });
  for (let i = 0; i < 2; i++) {
    const [title, krTitles] = THEMES[i]!;
    const objective = batch.add<ObjectiveRow>('objectives', {
      id: nextId(),
      ...base,
      okr_id: teamOkr.id,
      position: i + 1,
      content: json(paragraph(`团队：${title}`)),
      notes: json({ blocks: [] }),
      score: 0,
      weight_milli: 500,
      category_id: categories[2]!.id,
      ...tracked(q2, t0, 40, 0, false),
    });
    batch.add('indicators', indicator(nextId(), base.tenant_id, 2, objective.id, t0));
    for (const [j, krTitle] of krTitles.slice(0, 2).entries()) {
      const kr = batch.add<KeyResultRow>('key_results', {
        id: nextId(),
        ...base,
        objective_id: objective.id,
        okr_id: teamOkr.id,
        position: j + 1,
        content: json(paragraph(krTitle)),
        score: 0,
        weight_milli: 500,
        ...tracked(q2, t0, 40, 0, false),
      });
      batch.add('indicators', {
        ...indicator(nextId(), base.tenant_id, 3, kr.id, t0),
        indicator_status: 0,
        start_value: 0,
        target_value: 50,
        current_value: 20,
        unit_type: 1,
        unit_value: '家',
      });
    }
  }

  // The big cycle: one more person (reporting to the root) whose second-quarter cycle holds 100 objectives.
  const author = batch.add<UserRow>('users', {
    id: nextId(),
    ...base,
    employee_id: 'big_cycle_author',
    union_id: `on_${unique('union', 'author')}`,
    people_admin_id: nextId(),
    name_zh: '陈大文',
    name_en: 'Chen Dawen',
    leader_id: userIds[0]!,
    created_at: CREATED,
    email: null,
    mobile: null,
    active: 1,
    is_admin: 0,
  });
  batch.add('app_users', { app_id: appId, user_ref: author.id, open_id: `ou_${unique('open', 'author')}`, ...base });
  batch.add('department_members', {
    ...base,
    department_ref: departmentOf[0]!,
    user_ref: author.id,
    created_at: CREATED,
  });
  const bigCycle = batch.add<OkrRow>('okrs', {
    id: nextId(),
    ...base,
    owner_id: author.id,
    period_id: q2.id,
    confirm_status: 0,
    visibility: 'tenant',
    created_at: q2.period_start_time,
    updated_at: q2.period_start_time,
    department_id: null,
  });
  const bigObjectiveIds: string[] = [];
  for (let i = 0; i < BIG_CYCLE_OBJECTIVES; i++) {
    const [title, krTitles] = THEMES[i % THEMES.length]!;
    const at = q2.period_start_time + 60_000 * i;
    const objective = batch.add<ObjectiveRow>('objectives', {
      id: nextId(),
      ...base,
      okr_id: bigCycle.id,
      position: i + 1,
      content: json(
        i % 3 === 1
          ? paragraph(`${title}（${i + 1}），配合 `, { mention: userIds[0]! }, ' 的目标')
          : paragraph(`${title}（${i + 1}）`),
      ),
      notes: json(paragraph('每周同步一次进展')),
      score: 0,
      weight_milli: 1000 / BIG_CYCLE_OBJECTIVES,
      category_id: null,
      ...tracked(q2, at, (i * 7) % 100, 0, false),
    });
    bigObjectiveIds.push(objective.id);
    batch.add('indicators', indicator(nextId(), base.tenant_id, 2, objective.id, at));
    for (const [j, krTitle] of krTitles.slice(0, 2).entries()) {
      const kr = batch.add<KeyResultRow>('key_results', {
        id: nextId(),
        ...base,
        objective_id: objective.id,
        okr_id: bigCycle.id,
        position: j + 1,
        content: json(paragraph(krTitle)),
        score: 0,
        weight_milli: 500,
        ...tracked(q2, at, (i * 7) % 100, 0, false),
      });
      batch.add('indicators', indicator(nextId(), base.tenant_id, 3, kr.id, at));
    }
  }
  await load(batch);
  options.onProgress?.(made);
  await analyzeAfterBulkLoad(db);

  if (!hidden) throw new Error('generateTenant: too few OKRs for one visible only to a leader chain (try 100 or more)');
  return {
    tenantId,
    appId,
    appSecret,
    rows: counts,
    periodIds: periods.map((p) => p.id),
    sampleOkrIds: sampleOkrIds.filter(Boolean),
    hidden,
    teamOkrId: teamOkr.id,
    bigCycle: { id: bigCycle.id, objectiveIds: bigObjectiveIds },
    images,
  };
}

/** A person who leads someone but is neither `u` nor above `u` in the leader tree (so cannot read `u`'s restricted OKRs). */
function outsiderOf(u: number, leaderOf: (u: number) => number, leaders: number): number | undefined {
  const chain = new Set<number>([u]);
  for (let l = leaderOf(u); l !== -1; l = leaderOf(l)) chain.add(l);
  for (let candidate = 1; candidate < Math.min(leaders, u); candidate++) if (!chain.has(candidate)) return candidate;
  return undefined;
}

/** The default indicator of an objective (2) or key result (3): manual, no values, no unit. */
function indicator(id: string, tenantId: string, entityType: 2 | 3, entityId: string, at: number): IndicatorRow {
  return {
    id,
    tenant_id: tenantId,
    entity_type: entityType,
    entity_id: entityId,
    indicator_status: -1,
    status_calculate_type: 0,
    start_value: null,
    target_value: null,
    current_value: null,
    current_value_calculate_type: 0,
    unit_type: 0,
    unit_value: 'NONE',
    created_at: at,
    updated_at: at,
  };
}

/** The n-th generated image: a 16 × 16 PNG of its own colour. */
function nextImage(n: number): { fileToken: string; bytes: Buffer } {
  return {
    // The shape of an uploaded image's token: `box` and 24 base64url characters.
    fileToken: `box${hex(`image:${n}`).slice(0, 24)}`,
    bytes: solidPng(16, 16, [(n * 67) % 256, (n * 131 + 40) % 256, (n * 29 + 200) % 256]),
  };
}

/** A progress record whose text @-mentions `mention` (when given) and shows `image` in a gallery (when given). */
function progressRecord(
  id: string,
  tenantId: string,
  okrId: string,
  targetType: 2 | 3,
  targetId: string,
  authorId: string,
  at: number,
  body: { text: string; mention: string | null; image?: { fileToken: string } | undefined },
): ProgressRecordRow {
  const blocks: Block[] = [
    ...(body.mention ? paragraph(`${body.text}，请 `, { mention: body.mention }, ' 关注') : paragraph(body.text))
      .blocks!,
    ...(body.image
      ? [
          {
            block_element_type: 'gallery' as const,
            gallery: { images: [{ file_token: body.image.fileToken, src: '', width: 16, height: 16 }] },
          },
        ]
      : []),
  ];
  return {
    id,
    tenant_id: tenantId,
    okr_id: okrId,
    target_type: targetType,
    target_id: targetId,
    source_title: '周报系统',
    source_url: 'https://okrd.example.com/weekly',
    source_url_pc: null,
    source_url_mobile: null,
    content: json({ blocks }),
    progress_percent: null,
    progress_status: null,
    created_by: authorId,
    created_at: at,
    modify_time: at,
  };
}

/** A comment thread on an objective: the leader asks, the owner answers and marks it solved. */
function addThread(
  batch: Batch,
  nextId: () => string,
  tenantId: string,
  objective: ObjectiveRow,
  okrId: string,
  leaderId: string,
  ownerId: string,
): void {
  const at = objective.created_at + DAY;
  const first = batch.add<CommentRow>('comments', {
    id: nextId(),
    tenant_id: tenantId,
    target_type: 'objective',
    target_id: objective.id,
    okr_id: okrId,
    thread_id: '',
    ref_comment_id: null,
    commentator_id: leaderId,
    content: json(paragraph('方向不错，截止日期要不要提前一周？')),
    selection_id: null,
    selected_text: null,
    status: 'solved',
    solver_id: ownerId,
    solved_time: at + 2 * HOUR,
    created_at: at,
    updated_at: at + 2 * HOUR,
  });
  first.thread_id = first.id;
  batch.add<CommentRow>('comments', {
    ...first,
    id: nextId(),
    ref_comment_id: first.id,
    commentator_id: ownerId,
    content: json(paragraph('已提前到月底前一周，谢谢 ', { mention: leaderId })),
    created_at: at + HOUR,
  });
}
