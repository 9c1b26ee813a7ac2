import type {
  ApiConfig,
  OrganizationConfig,
  ResolvedClient,
  TenantOptions,
  UserConfig,
} from './config.js';
import { parseApi, parseOrganization, parseUser, resolveClient } from './config-validation.js';
import { defaultTenantOptions } from './defaults.js';

/** An API identifier starting with this is relative to the tenant's issuer. */
const ISSUER_PLACEHOLDER = '{issuer}';

/**
 * The tenant's configuration lists: clients, users, APIs, organizations. They survive an admin
 * reset; the admin surface can upsert clients and users.
 */
export class Directory {
  readonly #clients = new Map<string, ResolvedClient>();
  readonly #users = new Map<string, UserConfig>();
  readonly #apis = new Map<string, ApiConfig>();
  readonly #organizations: OrganizationConfig[] = [];
  readonly #issuer: (() => string) | undefined;

  /**
   * Lists that are absent from `options` come from {@link defaultTenantOptions}. `issuer` lets
   * an API identifier start with `{issuer}` (the My Account API's `{issuer}me/`).
   */
  constructor(options: TenantOptions, issuer?: () => string) {
    this.#issuer = issuer;
    const defaults = defaultTenantOptions();
    (options.clients ?? defaults.clients).forEach((client, index) => {
      this.upsertClient(resolveClient(client, `options.clients[${index}]`));
    });
    (options.users ?? defaults.users).forEach((user, index) => {
      this.upsertUser(parseUser(user, `options.users[${index}]`));
    });
    (options.apis ?? defaults.apis).forEach((api, index) => {
      const parsed = parseApi(api, `options.apis[${index}]`);
      this.#apis.set(parsed.identifier, parsed);
    });
    (options.organizations ?? defaults.organizations).forEach((organization, index) => {
      this.#organizations.push(parseOrganization(organization, `options.organizations[${index}]`));
    });
  }

  client(clientId: string): ResolvedClient | undefined {
    return this.#clients.get(clientId);
  }

  clients(): ResolvedClient[] {
    return [...this.#clients.values()];
  }

  upsertClient(client: ResolvedClient): void {
    this.#clients.set(client.clientId, client);
  }

  user(userId: string): UserConfig | undefined {
    return this.#users.get(userId);
  }

  users(): UserConfig[] {
    return [...this.#users.values()];
  }

  /** Emails are matched case-insensitively, as people type them. */
  userByEmail(email: string): UserConfig | undefined {
    const wanted = email.trim().toLowerCase();
    return this.users().find((user) => user.email.toLowerCase() === wanted);
  }

  /** Replaces the user with the same user_id. Refuses an email another user already has. */
  upsertUser(user: UserConfig): void {
    const holder = this.userByEmail(user.email);
    if (holder && holder.user_id !== user.user_id) {
      throw new TypeError(`"user.email" ${user.email} already belongs to ${holder.user_id}`);
    }
    this.#users.set(user.user_id, user);
  }

  api(identifier: string): ApiConfig | undefined {
    return this.#apis.get(identifier) ?? this.#issuerRelativeApi(identifier);
  }

  #issuerRelativeApi(identifier: string): ApiConfig | undefined {
    let issuer: string;
    try {
      issuer = this.#issuer?.() ?? '';
    } catch {
      return undefined; // not listening yet
    }
    if (issuer === '' || !identifier.startsWith(issuer)) return undefined;
    const api = this.#apis.get(`${ISSUER_PLACEHOLDER}${identifier.slice(issuer.length)}`);
    return api && { ...api, identifier };
  }

  apis(): ApiConfig[] {
    return [...this.#apis.values()];
  }

  /** Looks an organization up by id (`org_…`) or by name, as Auth0's `organization` does. */
  organization(idOrName: string): OrganizationConfig | undefined {
    return this.#organizations.find((org) => org.id === idOrName || org.name === idOrName);
  }

  /** Whether `userId` may log in to `organization` (no member list = everyone). */
  isMember(organization: OrganizationConfig, userId: string): boolean {
    return organization.members === undefined || organization.members.includes(userId);
  }

  /** Every origin any client allows (CORS is answered for this union). */
  allowedOrigins(): Set<string> {
    return new Set(this.clients().flatMap((client) => client.allowedOrigins));
  }
}
