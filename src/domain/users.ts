/** How Feishu names a user on the wire. */

/** The id namespaces a request may use for users (`user_id_type`). */
export const USER_ID_TYPES = ['open_id', 'union_id', 'user_id', 'people_admin_id'] as const;

/** One of USER_ID_TYPES. */
export type UserIdType = (typeof USER_ID_TYPES)[number];
