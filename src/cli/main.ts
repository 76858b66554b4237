/** The `okrd` command: serve, migrate, demo, tenant/app/user administration, tokens, export and import. */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, ENV_HELP, loadConfig, type Config } from '../config.js';
import { systemClock } from '../domain/clock.js';
import { snowflakeIds } from '../domain/ids.js';
import type { IdSource } from '../domain/ids.js';
import { buildServices, type Services } from '../services/index.js';
import { openDb } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { serveCommand } from './serve.js';

const USAGE = `okrd: a self-hosted OKR server speaking the Feishu/Lark OKR Open API

Usage: okrd <command> [options]

Commands:
  serve [--workers N]           run the HTTP server (applies migrations first); N processes share the port
                                (default 1); SIGTERM/SIGINT drains in-flight requests, then exits
  migrate                       apply database migrations and exit
  demo [--workers N]            load the demo tenant (once), then serve
  tenant create --name NAME [--utc-offset MINUTES]
  tenant update --tenant ID [--name NAME] [--utc-offset MINUTES] [--password-sign-in on|off]
      [--oidc-issuer URL --oidc-client-id ID --oidc-client-secret SECRET] [--oidc-create-users on|off]
                                the three --oidc-* go together ('' for all three clears them)
  period-rule create --tenant ID --type month|year [--length 1|2|3|4|6|12] [--first-month 1-12]
  period-rule list --tenant ID
  period create --tenant ID --rule PERIOD_RULE_ID --start-month YYYY-MM
  period status --tenant ID --period PERIOD_ID --status 1|2|3
                                1 normal, 2 invalid, 3 hidden
  period list --tenant ID       every period, hidden ones too, newest first
  app create --tenant ID [--name NAME] [--scopes a,b,...] [--public] [--redirect-uri URI]...
                                prints app_id and app_secret (the secret is shown only once); a --public app
                                (PKCE, no secret) prints no secret
  app list --tenant ID          the tenant's apps, scopes and redirect URIs (never secrets)
  app scopes --app APP_ID --scopes a,b,...
                                replaces the app's scopes
  app redirect-uri add|remove --app APP_ID --uri URI
  app rotate-secret --app APP_ID
                                prints a new secret once; the old one stops at once (issued tokens run out)
  app delete --app APP_ID       deletes the app with its tokens, codes, refresh tokens, open_ids and redirect URIs
  user create --tenant ID --user-id EMPLOYEE_ID [--name-zh NAME] [--name-en NAME] [--leader EMPLOYEE_ID]
      [--department DEPARTMENT_ID]...
                                a member of each department named (repeat the option or give a comma list)
  user update --tenant ID --user EMPLOYEE_ID [--name-zh NAME] [--name-en NAME] [--email EMAIL] [--mobile NUMBER]
      [--leader EMPLOYEE_ID] [--department DEPARTMENT_ID]...
                                '' clears email, mobile, leader; --department gives exactly these departments
  user deactivate --tenant ID --user EMPLOYEE_ID
                                their tokens and sessions stop at once; their OKRs stay
  user activate --tenant ID --user EMPLOYEE_ID
  user invite|reset-password --tenant ID --user EMPLOYEE_ID
                                prints a single-use link where the person sets a password (7 days / 1 hour)
  user visibility --tenant ID --user EMPLOYEE_ID --leaders|--everyone
                                who may read all of the person's OKRs (--visibility leaders|tenant also works)
  admin grant|revoke --tenant ID --user EMPLOYEE_ID
                                a tenant administrator may use the admin API (/okrd/admin/) and page
  department create --tenant ID --name-zh NAME [--name-en NAME] [--department-id ID] [--parent DEPARTMENT_ID]
      [--leader EMPLOYEE_ID]    prints the department (--parent 0, the default, is the root department)
  department update --tenant ID --department-id ID [--name-zh NAME] [--name-en NAME] [--parent DEPARTMENT_ID]
      [--leader EMPLOYEE_ID]    --leader '' removes the leader; a parent below the department is refused
  department add-member --tenant ID --department-id ID --user EMPLOYEE_ID
  department remove-member --tenant ID --department-id ID --user EMPLOYEE_ID
  token user --app APP_ID --user EMPLOYEE_ID [--ttl SECONDS]
                                mint a user access token (default ttl 7200)
  review add --tenant ID --user EMPLOYEE_ID --period PERIOD_ID --kind cycle_review|progress_report --url URL
                                record a review document or progress report (an http(s) link)
  review remove --tenant ID --id REVIEW_ID
  category create --tenant ID --type person|team --color COLOR [--name-zh NAME] [--name-en NAME] [--name-ja NAME]
                                prints the category (colours: blue, purple, wathet, turquoise, indigo, orange)
  export --tenant ID            write the tenant as one JSON document to stdout
  import FILE                   load a tenant document written by export
  pull --from URL --app-id ID --app-secret SECRET [--tenant ID] [--periods ID,...] [--rate-limit N] [--json]
                                copy a tenant out of Feishu (or any Feishu-compatible server) through its API into
                                an empty tenant, or the one pulled from there before; run again to resume or update
                                (--rate-limit: calls per endpoint and minute, default 100, 0 only obeys the source)
  purge                         delete expired tokens, codes, sessions and sign-in links (serve does it every 10 min)

Environment:
${ENV_HELP.map(([name, fallback, meaning]) => `  ${name.padEnd(22)} ${meaning} (default ${fallback})`).join('\n')}
`;

const ONE_WORD_COMMANDS = new Set(['serve', 'migrate', 'demo', 'export', 'import', 'purge', 'pull']);

/** A usage mistake: printed as one line, exit code 2. */
class UsageError extends Error {}

function option(values: Record<string, string | boolean | string[] | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || !v) throw new UsageError(`--${name} is required`);
  return v;
}

/** The string options among `names` (option name by field) that were given, as fields; empty strings count as given. */
function optionals<F extends string>(
  values: Record<string, unknown>,
  names: Record<F, string>,
): Partial<Record<F, string>> {
  const given: Partial<Record<F, string>> = {};
  for (const [field, name] of Object.entries(names) as [F, string][]) {
    const v = values[name];
    if (typeof v === 'string') given[field] = v;
  }
  return given;
}

/** `--workers N` of serve and demo: how many processes serve (default 1, no cluster). */
function workersOption(values: Record<string, string | boolean | string[] | undefined>): number {
  const raw = values.workers;
  if (raw === undefined) return 1;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 64) {
    throw new UsageError('--workers must be a whole number from 1 to 64');
  }
  return Number(raw);
}

/** The person a command names: --user (or --user-id, as `user create` names them). */
function userOption(values: Record<string, string | boolean | string[] | undefined>): string {
  return typeof values['user-id'] === 'string' && !values.user ? values['user-id'] : option(values, 'user');
}

/** Runs `fn` with the services over a migrated database, closing it afterwards. */
async function withServices<T>(config: Config, ids: IdSource, fn: (services: Services) => Promise<T>): Promise<T> {
  const db = await openDb(config.databaseUrl);
  try {
    await migrate(db);
    return await fn(buildServices({ db, clock: systemClock, ids, config }));
  } finally {
    await db.close();
  }
}

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      name: { type: 'string' },
      'utc-offset': { type: 'string' },
      tenant: { type: 'string' },
      scopes: { type: 'string' },
      'user-id': { type: 'string' },
      'name-zh': { type: 'string' },
      'name-en': { type: 'string' },
      leader: { type: 'string' },
      app: { type: 'string' },
      user: { type: 'string' },
      ttl: { type: 'string' },
      period: { type: 'string' },
      kind: { type: 'string' },
      type: { type: 'string' },
      color: { type: 'string' },
      'name-ja': { type: 'string' },
      url: { type: 'string' },
      'department-id': { type: 'string' },
      parent: { type: 'string' },
      department: { type: 'string', multiple: true },
      'password-sign-in': { type: 'string' },
      'oidc-issuer': { type: 'string' },
      'oidc-client-id': { type: 'string' },
      'oidc-client-secret': { type: 'string' },
      'oidc-create-users': { type: 'string' },
      length: { type: 'string' },
      'first-month': { type: 'string' },
      rule: { type: 'string' },
      'start-month': { type: 'string' },
      status: { type: 'string' },
      email: { type: 'string' },
      mobile: { type: 'string' },
      leaders: { type: 'boolean' },
      everyone: { type: 'boolean' },
      visibility: { type: 'string' },
      uri: { type: 'string' },
      public: { type: 'boolean' },
      'redirect-uri': { type: 'string', multiple: true },
      id: { type: 'string' },
      from: { type: 'string' },
      'app-id': { type: 'string' },
      'app-secret': { type: 'string' },
      periods: { type: 'string' },
      'rate-limit': { type: 'string' },
      json: { type: 'boolean' },
      workers: { type: 'string' },
    },
  });
  const command = positionals.slice(0, 2).join(' ');
  if (values.help || positionals.length === 0) {
    process.stdout.write(USAGE);
    return;
  }
  const config = loadConfig();
  const ids = snowflakeIds(systemClock, randomInt(1024));
  const print = (value: unknown): void => {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  };

  // Commands are one word, or a noun and a verb ("app create").
  switch (ONE_WORD_COMMANDS.has(positionals[0]!) ? positionals[0] : command) {
    case 'serve':
      return serveCommand(config, workersOption(values));
    case 'migrate': {
      // Not withDb: it migrates before running its callback, so this would always find nothing to apply.
      const db = await openDb(config.databaseUrl);
      try {
        const applied = await migrate(db);
        process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'database is up to date\n');
      } finally {
        await db.close();
      }
      return;
    }
    case 'demo': {
      const { demoCommand } = await import('./demo.command.js');
      return demoCommand(config, workersOption(values), ids);
    }
    case 'tenant create': {
      const offset = values['utc-offset'];
      if (offset !== undefined && !/^-?\d+$/.test(offset)) throw new UsageError('--utc-offset must be whole minutes');
      return withServices(config, ids, async ({ admin }) =>
        print(await admin.createTenant(option(values, 'name'), offset === undefined ? 480 : Number(offset))),
      );
    }
    case 'tenant update': {
      const offset = values['utc-offset'];
      if (offset !== undefined && !/^-?\d+$/.test(offset)) throw new UsageError('--utc-offset must be whole minutes');
      const onOff = (name: string): boolean | undefined => {
        const v = values[name as keyof typeof values];
        if (v === undefined) return undefined;
        if (v !== 'on' && v !== 'off') throw new UsageError(`--${name} must be on or off`);
        return v === 'on';
      };
      const changes = {
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(offset !== undefined ? { utc_offset_minutes: Number(offset) } : {}),
        ...(onOff('password-sign-in') !== undefined ? { password_sign_in: onOff('password-sign-in') } : {}),
        ...(onOff('oidc-create-users') !== undefined ? { oidc_create_users: onOff('oidc-create-users') } : {}),
        ...optionals(values, {
          oidc_issuer: 'oidc-issuer',
          oidc_client_id: 'oidc-client-id',
          oidc_client_secret: 'oidc-client-secret',
        }),
      };
      if (Object.keys(changes).length === 0) throw new UsageError('tenant update needs at least one setting to change');
      return withServices(config, ids, async ({ admin }) =>
        print(await admin.updateTenant(option(values, 'tenant'), changes)),
      );
    }
    case 'period-rule create': {
      const whole = (name: 'length' | 'first-month'): number | undefined => {
        const v = values[name];
        if (v === undefined) return undefined;
        if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number`);
        return Number(v);
      };
      const length = whole('length');
      const firstMonth = whole('first-month');
      return withServices(config, ids, async ({ admin }) =>
        print(
          await admin.createPeriodRule(option(values, 'tenant'), {
            type: option(values, 'type'),
            ...(length !== undefined ? { length } : {}),
            ...(firstMonth !== undefined ? { first_month: firstMonth } : {}),
          }),
        ),
      );
    }
    case 'period-rule list':
      return withServices(config, ids, async ({ admin }) =>
        print({ period_rules: await admin.periodRules(option(values, 'tenant')) }),
      );
    case 'period create':
      return withServices(config, ids, async ({ admin }) =>
        print(
          await admin.createPeriod(option(values, 'tenant'), option(values, 'rule'), option(values, 'start-month')),
        ),
      );
    case 'period status': {
      const status = option(values, 'status');
      if (!/^[123]$/.test(status)) throw new UsageError('--status must be 1 (normal), 2 (invalid) or 3 (hidden)');
      return withServices(config, ids, async ({ admin }) =>
        print(await admin.setPeriodStatus(option(values, 'tenant'), option(values, 'period'), Number(status))),
      );
    }
    case 'period list':
      return withServices(config, ids, async ({ admin }) =>
        print({ periods: await admin.periodList(option(values, 'tenant')) }),
      );
    case 'user update': {
      const given = optionals(values, {
        name_zh: 'name-zh',
        name_en: 'name-en',
        email: 'email',
        mobile: 'mobile',
        leader_employee_id: 'leader',
      });
      const departmentIds =
        values.department === undefined
          ? undefined
          : [
              ...new Set(
                values.department
                  .flatMap((d) => d.split(','))
                  .map((d) => d.trim())
                  .filter(Boolean),
              ),
            ];
      if (Object.keys(given).length === 0 && departmentIds === undefined) {
        throw new UsageError('user update needs --name-zh, --name-en, --email, --mobile, --leader or --department');
      }
      return withServices(config, ids, async ({ admin }) =>
        print(
          await admin.updateUser(option(values, 'tenant'), userOption(values), {
            ...given,
            ...(departmentIds !== undefined ? { department_ids: departmentIds } : {}),
          }),
        ),
      );
    }
    case 'user invite':
    case 'user reset-password':
      return withServices(config, ids, async ({ signIn }) => {
        const link = await signIn.createLink(
          option(values, 'tenant'),
          userOption(values),
          command === 'user invite' ? 'invite' : 'reset',
        );
        print({ url: link.url, expires_at: link.expiresAt });
      });
    case 'user deactivate':
    case 'user activate':
      return withServices(config, ids, async ({ admin }) =>
        print(await admin.setUserActive(option(values, 'tenant'), userOption(values), command === 'user activate')),
      );
    case 'user visibility': {
      const chosen = [
        ...(values.leaders ? ['leaders'] : []),
        ...(values.everyone ? ['tenant'] : []),
        ...(values.visibility !== undefined ? [values.visibility] : []),
      ];
      if (chosen.length !== 1 || (chosen[0] !== 'leaders' && chosen[0] !== 'tenant')) {
        throw new UsageError('user visibility needs one of --leaders, --everyone, --visibility leaders|tenant');
      }
      return withServices(config, ids, async ({ admin }) =>
        print(
          await admin.setVisibility(option(values, 'tenant'), userOption(values), chosen[0] as 'leaders' | 'tenant'),
        ),
      );
    }
    case 'admin grant':
    case 'admin revoke':
      return withServices(config, ids, async ({ admin }) =>
        print(await admin.setAdmin(option(values, 'tenant'), userOption(values), command === 'admin grant')),
      );
    case 'app list':
      return withServices(config, ids, async ({ admin }) =>
        print({ apps: await admin.listApps(option(values, 'tenant')) }),
      );
    case 'app scopes': {
      const scopes = option(values, 'scopes')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return withServices(config, ids, async ({ admin }) => {
        const appId = option(values, 'app');
        print(await admin.updateAppScopes(await admin.tenantOfApp(appId), appId, scopes));
      });
    }
    case 'app redirect-uri': {
      const verb = positionals[2];
      if (verb !== 'add' && verb !== 'remove') throw new UsageError('app redirect-uri needs add or remove');
      return withServices(config, ids, async ({ admin }) => {
        const appId = option(values, 'app');
        const tenantId = await admin.tenantOfApp(appId);
        const uri = option(values, 'uri');
        print(
          verb === 'add'
            ? await admin.addRedirectUri(tenantId, appId, uri)
            : await admin.removeRedirectUri(tenantId, appId, uri),
        );
      });
    }
    case 'app rotate-secret':
      return withServices(config, ids, async ({ admin }) => {
        const appId = option(values, 'app');
        print(await admin.rotateAppSecret(await admin.tenantOfApp(appId), appId));
      });
    case 'app delete':
      return withServices(config, ids, async ({ admin }) => {
        const appId = option(values, 'app');
        print(await admin.deleteApp(await admin.tenantOfApp(appId), appId));
      });
    case 'review remove':
      return withServices(config, ids, async ({ admin }) =>
        print(await admin.removeReview(option(values, 'tenant'), option(values, 'id'))),
      );
    case 'purge':
      return withServices(config, ids, async ({ admin }) => print(await admin.purgeExpired()));
    case 'app create':
      return withServices(config, ids, async ({ admin }) => {
        const scopes = values.scopes
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const redirectUris = values['redirect-uri'] ?? [];
        const clientType = values.public ? 'public' : 'confidential';
        const created = await admin.createApp(option(values, 'tenant'), values.name ?? 'app', scopes, {
          client_type: clientType,
          redirect_uris: redirectUris,
        });
        // Without the newer options the output is exactly what it always was (decisions OQ-43).
        if (!values.public && redirectUris.length === 0) print(created);
        else {
          const { redirect_uris } = await admin.app(await admin.tenantOfApp(created.app_id), created.app_id);
          print({
            app_id: created.app_id,
            ...(values.public ? {} : { app_secret: created.app_secret }),
            client_type: clientType,
            redirect_uris,
          });
        }
      });
    case 'user create': {
      const departmentIds = [
        ...new Set(
          (values.department ?? [])
            .flatMap((d) => d.split(','))
            .map((d) => d.trim())
            .filter(Boolean),
        ),
      ];
      return withServices(config, ids, async ({ admin }) => {
        const employeeId = option(values, 'user-id');
        const user = await admin.createUser(option(values, 'tenant'), {
          employee_id: employeeId,
          name_zh: values['name-zh'] ?? '',
          name_en: values['name-en'] ?? employeeId,
          ...(values.leader ? { leader_employee_id: values.leader } : {}),
          department_ids: departmentIds,
        });
        print({
          user_id: user.employee_id,
          union_id: user.union_id,
          people_admin_id: user.people_admin_id,
          department_ids: departmentIds,
        });
      });
    }
    case 'department create':
      return withServices(config, ids, async ({ admin }) =>
        print(
          await admin.createDepartment(option(values, 'tenant'), {
            name_zh: option(values, 'name-zh'),
            ...optionals(values, {
              department_id: 'department-id',
              name_en: 'name-en',
              parent_department_id: 'parent',
            }),
            ...(values.leader ? { leader_employee_id: values.leader } : {}),
          }),
        ),
      );
    case 'department update': {
      const changes = optionals(values, {
        name_zh: 'name-zh',
        name_en: 'name-en',
        parent_department_id: 'parent',
        leader_employee_id: 'leader',
      });
      if (Object.keys(changes).length === 0) {
        throw new UsageError('department update needs --name-zh, --name-en, --parent or --leader');
      }
      return withServices(config, ids, async ({ admin }) =>
        print(
          await admin.updateDepartment(option(values, 'tenant'), option(values, 'department-id'), {
            ...changes,
            // --leader '' takes the leader away.
            ...(changes.leader_employee_id === '' ? { leader_employee_id: null } : {}),
          }),
        ),
      );
    }
    case 'department add-member':
    case 'department remove-member':
      return withServices(config, ids, async ({ admin }) => {
        const tenant = option(values, 'tenant');
        const department = option(values, 'department-id');
        const employeeId = option(values, 'user');
        print(
          command === 'department add-member'
            ? await admin.addDepartmentMember(tenant, department, employeeId)
            : await admin.removeDepartmentMember(tenant, department, employeeId),
        );
      });
    case 'token user': {
      const ttl = values.ttl ?? '7200';
      if (!/^\d+$/.test(ttl) || Number(ttl) < 60 || Number(ttl) > 30 * 86400)
        throw new UsageError('--ttl must be 60 to 2592000 seconds');
      return withServices(config, ids, async ({ admin }) => {
        const issued = await admin.userToken(option(values, 'app'), option(values, 'user'), Number(ttl));
        print({ user_access_token: issued.token, expire: issued.expire });
      });
    }
    case 'review add':
      return withServices(config, ids, async ({ reviews }) => {
        const review = await reviews.add(option(values, 'tenant'), {
          employee_id: option(values, 'user'),
          period_id: option(values, 'period'),
          kind: option(values, 'kind'),
          url: option(values, 'url'),
        });
        const { id, period_id, kind, url, create_time } = review;
        print({ id, user_id: values.user, period_id, kind, url, create_time });
      });
    case 'category create':
      return withServices(config, ids, async ({ categories }) =>
        print(
          await categories.create(option(values, 'tenant'), {
            category_type: option(values, 'type'),
            color: option(values, 'color'),
            name_zh: values['name-zh'],
            name_en: values['name-en'],
            name_ja: values['name-ja'],
          }),
        ),
      );
    case 'pull': {
      const rate = values['rate-limit'] ?? '100';
      if (!/^\d{1,6}$/.test(rate)) throw new UsageError('--rate-limit must be a whole number of calls per minute');
      const { pullCommand } = await import('./pull.command.js');
      const db = await openDb(config.databaseUrl);
      try {
        await migrate(db);
        await pullCommand(
          db,
          { config, clock: systemClock, ids },
          {
            from: option(values, 'from'),
            appId: option(values, 'app-id'),
            appSecret: option(values, 'app-secret'),
            tenantId: values.tenant,
            periodIds: values.periods?.split(',').filter(Boolean),
            perEndpointPerMinute: Number(rate),
          },
          values.json ?? false,
        );
      } finally {
        await db.close();
      }
      return;
    }
    case 'export':
      return withServices(config, ids, async ({ transfer }) =>
        print(await transfer.exportTenant(option(values, 'tenant'))),
      );
    case 'import': {
      const file = positionals[1];
      if (!file) throw new UsageError('import needs a FILE');
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
      }
      return withServices(config, ids, async ({ transfer }) => {
        const tenantId = await transfer.importTenant(doc);
        process.stdout.write(`imported tenant ${tenantId}\n`);
      });
    }
    default:
      throw new UsageError(`unknown command "${positionals.join(' ')}" (see okrd --help)`);
  }
}

/** Runs the CLI; every failure is one line on stderr and a non-zero exit, never a stack trace. */
export async function main(argv: string[]): Promise<void> {
  try {
    await run(argv);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // Lines are joined, not cut: parseArgs and JSON.parse put the useful part on later lines.
    process.stderr.write(`okrd: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    // OkrdError has a numeric code, so check the type before treating it as a string.
    const code = (err as { code?: unknown }).code;
    process.exitCode =
      err instanceof UsageError ||
      err instanceof ConfigError ||
      (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
        ? 2
        : 1;
  }
}
