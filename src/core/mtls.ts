import type { ClientContext } from './context.js';
import type { ServerMetadata } from './discovery.js';
import { assertSecureUrl } from './domain.js';
import { InvalidConfigurationError } from './errors.js';

/** The endpoints RFC 8705 §5 lets a server alias for mTLS, and that this SDK calls. */
const ALIASED = [
  'token_endpoint',
  'revocation_endpoint',
  'userinfo_endpoint',
  'pushed_authorization_request_endpoint',
  'backchannel_authentication_endpoint',
] as const;

/**
 * The metadata with each endpoint replaced by its `mtls_endpoint_aliases` entry (RFC 8705 §5),
 * where the server publishes one; endpoints without an alias stay as they are, as the RFC says.
 */
export function withMtlsAliases(metadata: ServerMetadata): ServerMetadata {
  const aliases = metadata.mtls_endpoint_aliases;
  if (aliases === undefined) return metadata;
  if (typeof aliases !== 'object' || aliases === null || Array.isArray(aliases)) {
    throw new InvalidConfigurationError({
      message: 'Discovery: "mtls_endpoint_aliases" is not an object.',
    });
  }
  const result: ServerMetadata = { ...metadata };
  for (const name of ALIASED) {
    const alias = (aliases as Record<string, unknown>)[name];
    if (alias === undefined) continue;
    if (typeof alias !== 'string') {
      throw new InvalidConfigurationError({
        message: `Discovery: "mtls_endpoint_aliases.${name}" is not a string.`,
      });
    }
    try {
      assertSecureUrl(alias, `Discovery "mtls_endpoint_aliases.${name}"`);
    } catch (cause) {
      throw new InvalidConfigurationError({ message: (cause as Error).message, cause });
    }
    result[name] = alias;
  }
  return result;
}

/** The context with its metadata seen through {@link withMtlsAliases}. */
export function mtlsContext(context: ClientContext): ClientContext {
  return { ...context, metadata: async () => withMtlsAliases(await context.metadata()) };
}
