/** Typed rows, one interface per table, named and typed as the columns are. */

export interface TenantRow {
  id: string;
  name: string;
  utc_offset_minutes: number;
  created_at: number;
  /** Bumped by every write that changes what OKR reads return (the render cache's key). */
  data_version: number;
  /** 1: people may sign in with a local password. */
  password_sign_in: number;
  /** The organisation's OpenID Connect provider, when people sign in through it. */
  oidc_issuer: string | null;
  oidc_client_id: string | null;
  oidc_client_secret: string | null;
  /** 1: create a person on their first sign-in through the provider. */
  oidc_create_users: number;
}

export interface AppRow {
  app_id: string;
  tenant_id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  created_at: number;
  /** 'confidential' (holds a secret) or 'public' (PKCE only, decisions OQ-38). */
  client_type: 'confidential' | 'public';
}

export interface UserRow {
  id: string;
  tenant_id: string;
  employee_id: string;
  union_id: string;
  people_admin_id: string;
  name_zh: string;
  name_en: string;
  leader_id: string | null;
  created_at: number;
  email: string | null;
  mobile: string | null;
  /** 1 active, 0 deactivated (their tokens stop working; their OKRs stay). */
  active: number;
  /** 1: a tenant administrator. */
  is_admin: number;
}

export interface AppUserRow {
  app_id: string;
  user_ref: string;
  open_id: string;
  tenant_id: string;
}

export interface AccessTokenRow {
  token_hash: string;
  kind: 'tenant' | 'app' | 'user';
  tenant_id: string;
  app_id: string;
  user_ref: string | null;
  created_at: number;
  expires_at: number;
  /** Scopes a person granted (space-separated); null: the app's scopes. */
  scope: string | null;
  /** The refresh-token family a signed-in user token belongs to. */
  family_id: string | null;
}

export interface PeriodRuleRow {
  id: string;
  tenant_id: string;
  type: 'month' | 'year';
  length: number;
  first_month: number;
  created_at: number;
}

export interface PeriodRow {
  id: string;
  tenant_id: string;
  rule_id: string | null;
  zh_name: string;
  en_name: string;
  status: number;
  start_month: string;
  end_month: string;
  period_start_time: number;
  period_end_time: number;
  created_at: number;
  updated_at: number;
}

/** A cycle: one user's (v1: the OKR) or one department's (team OKR, decisions.md OQ-34) for one period. */
export interface OkrRow {
  id: string;
  tenant_id: string;
  /** The owning user; null for a department's cycle. */
  owner_id: string | null;
  period_id: string;
  confirm_status: number;
  visibility: 'tenant' | 'leaders';
  created_at: number;
  updated_at: number;
  /** The owning department; null for a user's cycle. */
  department_id: string | null;
}

export interface DepartmentRow {
  id: string;
  tenant_id: string;
  department_id: string;
  open_department_id: string;
  name_zh: string;
  name_en: string;
  /** null: directly under the root department "0". */
  parent_id: string | null;
  leader_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface DepartmentMemberRow {
  tenant_id: string;
  department_ref: string;
  user_ref: string;
  created_at: number;
}

export interface CategoryRow {
  id: string;
  tenant_id: string;
  category_type: 'person' | 'team';
  /** 1 enabled, 0 disabled. */
  enabled: number;
  color: string;
  name_zh: string;
  name_en: string;
  name_ja: string;
  created_at: number;
  updated_at: number;
}

export interface IndicatorRow {
  id: string;
  tenant_id: string;
  entity_type: 2 | 3;
  entity_id: string;
  indicator_status: number;
  status_calculate_type: number;
  start_value: number | null;
  target_value: number | null;
  current_value: number | null;
  current_value_calculate_type: number;
  unit_type: number;
  unit_value: string;
  created_at: number;
  updated_at: number;
}

export interface CommentRow {
  id: string;
  tenant_id: string;
  target_type: 'cycle' | 'progress' | 'objective' | 'key_result';
  target_id: string;
  okr_id: string;
  thread_id: string;
  ref_comment_id: string | null;
  commentator_id: string;
  content: string;
  selection_id: string | null;
  selected_text: string | null;
  status: 'open' | 'solved';
  solver_id: string | null;
  solved_time: number | null;
  created_at: number;
  updated_at: number;
}

/** Columns objectives and key results share. */
interface ProgressTracked {
  id: string;
  tenant_id: string;
  okr_id: string;
  position: number;
  content: string;
  score: number;
  weight_milli: number;
  progress_percent: number;
  progress_status: number;
  deadline: number;
  progress_rate_percent_last_updated_time: number;
  progress_rate_status_last_updated_time: number;
  progress_record_last_updated_time: number;
  progress_report_last_updated_time: number;
  score_last_updated_time: number;
  created_at: number;
  updated_at: number;
}

export interface ObjectiveRow extends ProgressTracked {
  notes: string;
  category_id: string | null;
}

export interface KeyResultRow extends ProgressTracked {
  objective_id: string;
}

export type { ImageRow } from './image.repository.js';

export interface AlignmentRow {
  id: string;
  tenant_id: string;
  from_objective_id: string;
  to_objective_id: string;
  created_at: number;
  updated_at: number;
}

export interface ProgressRecordRow {
  id: string;
  tenant_id: string;
  okr_id: string;
  target_type: number;
  target_id: string;
  source_title: string;
  source_url: string;
  source_url_pc: string | null;
  source_url_mobile: string | null;
  content: string;
  progress_percent: number | null;
  progress_status: number | null;
  created_by: string | null;
  created_at: number;
  modify_time: number;
}

export interface ReviewRow {
  id: string;
  tenant_id: string;
  user_ref: string;
  period_id: string;
  kind: 'cycle_review' | 'progress_report';
  url: string;
  create_time: number;
}
