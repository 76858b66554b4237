/** What a progress page is about: an objective or a key result, as its path names it (`/progress/:kind/:id`). */
export interface Target {
  kind: 'objective' | 'key_result';
  id: string;
}

/** The v1 `target_type` of a target (progress records, image uploads). */
export const v1Type = (target: Target): 2 | 3 => (target.kind === 'objective' ? 2 : 3);

/** The page of a target's progress. */
export const progressPath = (target: Target) => `/progress/${target.kind}/${encodeURIComponent(target.id)}`;
