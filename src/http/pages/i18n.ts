/** The sign-in pages' texts in Chinese and English, and which one a request wants. */
export type Lang = 'zh' | 'en';

const TEXT = {
  signInTitle: { zh: '登录 okrd', en: 'Sign in to okrd' },
  continueTo: { zh: '登录后继续使用 {app}', en: 'Sign in to continue to {app}' },
  login: { zh: '工号或邮箱', en: 'Employee ID or email' },
  password: { zh: '密码', en: 'Password' },
  org: { zh: '组织 ID', en: 'Organisation ID' },
  signIn: { zh: '登录', en: 'Sign in' },
  signOut: { zh: '退出登录', en: 'Sign out' },
  oidcSignIn: { zh: '使用所在组织的账号登录', en: 'Sign in with your organisation' },
  oidcFailed: {
    zh: '无法通过组织账号登录。请重试，或联系管理员。',
    en: 'Signing in with your organisation did not work. Please try again or ask your administrator.',
  },
  oidcUnavailable: {
    zh: '该组织未配置组织账号登录。',
    en: 'This organisation has no sign-in provider set up.',
  },
  failed: { zh: '登录失败：请检查账号和密码。', en: 'Sign-in failed: check your ID and password.' },
  orgRequired: { zh: '请填写组织 ID。', en: 'Please enter your organisation ID.' },
  throttled: {
    zh: '尝试次数过多，请稍后再试。',
    en: 'Too many attempts. Please try again later.',
  },
  signedInAs: { zh: '已登录：{name}', en: 'Signed in as {name}' },
  consentTitle: { zh: '授权确认', en: 'Allow access?' },
  consentIntro: {
    zh: '{app} 请求以你（{name}）的身份访问以下权限：',
    en: '{app} asks to act as you ({name}) with these permissions:',
  },
  allow: { zh: '允许', en: 'Allow' },
  deny: { zh: '拒绝', en: 'Deny' },
  errorTitle: { zh: '出错了', en: 'Something went wrong' },
  unknownClient: { zh: '未知的应用。', en: 'Unknown application.' },
  badRedirect: {
    zh: '回调地址未在该应用中登记。',
    en: 'The redirect URI is not registered for this application.',
  },
  formExpired: {
    zh: '表单已过期，请返回重新提交。',
    en: 'This form has expired: go back, reload and try again.',
  },
  passwordTitle: { zh: '设置密码', en: 'Set your password' },
  passwordFor: {
    zh: '为 {name} 设置密码（至少 8 个字符）。',
    en: 'Choose a password for {name} (at least 8 characters).',
  },
  newPassword: { zh: '新密码', en: 'New password' },
  confirmPassword: { zh: '再次输入新密码', en: 'New password again' },
  save: { zh: '保存', en: 'Save' },
  tooShort: { zh: '密码至少需要 8 个字符。', en: 'The password needs at least 8 characters.' },
  tooLong: { zh: '密码过长。', en: 'The password is too long.' },
  mismatch: { zh: '两次输入的密码不一致。', en: 'The two passwords differ.' },
  invalidLink: {
    zh: '链接无效、已使用或已过期。请联系管理员获取新链接。',
    en: 'This link is invalid, used or expired. Ask your administrator for a new one.',
  },
  passwordSet: { zh: '密码已设置，现在可以登录。', en: 'Your password is set: you can sign in now.' },
  switchLang: { zh: 'English', en: '中文' },
} as const;

export type TextKey = keyof typeof TEXT;

/** The text `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function t(lang: Lang, key: TextKey, vars: Record<string, string> = {}): string {
  return TEXT[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}

/** The language a request asks for: `?lang=zh|en`, else Accept-Language's first (Chinese when none, English when other). */
export function langOf(queryLang: unknown, acceptLanguage: string | undefined): Lang {
  if (queryLang === 'zh' || queryLang === 'en') return queryLang;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first === '' || first.startsWith('zh') ? 'zh' : 'en';
}
