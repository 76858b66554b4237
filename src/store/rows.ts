/** Typed rows, one interface per table, named and typed as the columns are. */

export interface TenantRow {
  id: string;
  name: string;
  utc_offset_minutes: number;
  created_at: number;
  /** Bumped by every write that changes what OKR reads return (the render cache's key). */
  data_version: number;
}

export interface AppRow {
  app_id: string;
  tenant_id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  created_at: number;
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

export interface OkrRow {
  id: string;
  tenant_id: string;
  owner_id: string;
  period_id: string;
  confirm_status: number;
  visibility: 'tenant' | 'leaders';
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
