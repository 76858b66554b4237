/** v2 objective categories (spec §4.2, decisions.md OQ-4): the list, and creating them (CLI). */
import { Category, type ListCategoriesData, type ListCategoriesQuery } from '../contract/v2/category.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { OkrdError, invalidParam } from '../errors.js';
import { insertCategory, listCategories } from '../store/category.repository.js';
import type { Db } from '../store/db.js';
import type { CategoryRow } from '../store/rows.js';
import { findTenant } from '../store/tenant.repository.js';
import { writeTenant } from '../store/tenant-write.js';
import type { Caller } from './auth.service.js';
import { decodeCursor, toPage } from './paging.js';

/** The colours a category may have: the contract's enum. */
export const CATEGORY_COLORS: readonly string[] = (Category.properties.color as unknown as { enum: readonly string[] })
  .enum;

/** The kinds of category: for personal or for team (department) OKRs. */
export const CATEGORY_TYPES: readonly string[] = ['person', 'team'];

/** The most characters a category name may have in each language. */
export const MAX_CATEGORY_NAME_LENGTH = 64;

/** A category to create; names left out or blank are not shown. */
export interface NewCategory {
  category_type: string;
  color: string;
  name_zh?: string | undefined;
  name_en?: string | undefined;
  name_ja?: string | undefined;
  enabled?: boolean | undefined;
}

const NAME_FIELDS = ['name_zh', 'name_en', 'name_ja'] as const;

// The list's `owner_type` names the owner; a category names the kind of OKR (decisions.md OQ-4).
const OWNER_TYPE_CATEGORY = { user: 'person', department: 'team' } as const;

/** Serves the category list and creates categories. */
export class CategoryService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /** GET /okr/v2/categories: oldest first; `owner_type` user|department keeps person|team categories. */
  async list(caller: Caller, query: ListCategoriesQuery): Promise<ListCategoriesData> {
    const pageSize = query.page_size ?? 10;
    const token = query.page_token ? decodeCursor(query.page_token, ['number', 'string']) : undefined;
    const type = query.owner_type === undefined ? undefined : OWNER_TYPE_CATEGORY[query.owner_type];
    const rows = await this.db.read((tx) =>
      listCategories(tx, caller.tenantId, type, token && { created_at: token[0], id: token[1] }, pageSize + 1),
    );
    return toPage(rows, pageSize, (r) => [r.created_at, r.id], categoryView);
  }

  /** A new category of the tenant; 1001001 naming each field that breaks a rule, 1001004 for an unknown tenant. */
  async create(tenantId: string, c: NewCategory): Promise<CategoryRow> {
    const names = Object.fromEntries(NAME_FIELDS.map((f) => [f, (c[f] ?? '').trim()])) as Record<
      (typeof NAME_FIELDS)[number],
      string
    >;
    const problems: string[] = [];
    if (!CATEGORY_TYPES.includes(c.category_type)) {
      problems.push(`category_type: must be ${CATEGORY_TYPES.join(' or ')}`);
    }
    if (!CATEGORY_COLORS.includes(c.color)) problems.push(`color: must be one of ${CATEGORY_COLORS.join(', ')}`);
    if (NAME_FIELDS.every((f) => names[f] === '')) {
      problems.push(`name: at least one of ${NAME_FIELDS.join(', ')} is required`);
    }
    for (const f of NAME_FIELDS) {
      // Count code points, as a person counts characters ("目标" is two).
      if ([...names[f]].length > MAX_CATEGORY_NAME_LENGTH) {
        problems.push(`${f}: must be at most ${MAX_CATEGORY_NAME_LENGTH} characters`);
      }
    }
    if (problems.length > 0) throw invalidParam(problems.join('; '));
    return writeTenant(this.db, tenantId, async (tx) => {
      if (!(await findTenant(tx, tenantId))) throw new OkrdError(1001004, `tenant not found: ${tenantId}`);
      const now = this.clock();
      const row: CategoryRow = {
        id: this.ids(),
        tenant_id: tenantId,
        category_type: c.category_type as CategoryRow['category_type'],
        enabled: c.enabled === false ? 0 : 1,
        color: c.color,
        ...names,
        created_at: now,
        updated_at: now,
      };
      await insertCategory(tx, row);
      return row;
    });
  }
}

/** The wire form of a category: only the names that are set. */
export function categoryView(row: CategoryRow): Category {
  const name: Category['name'] = {};
  if (row.name_zh) name.zh = row.name_zh;
  if (row.name_en) name.en = row.name_en;
  if (row.name_ja) name.ja = row.name_ja;
  return {
    id: row.id,
    create_time: String(row.created_at),
    update_time: String(row.updated_at),
    category_type: row.category_type,
    enabled: Number(row.enabled) !== 0,
    color: row.color as Category['color'],
    name,
  };
}
