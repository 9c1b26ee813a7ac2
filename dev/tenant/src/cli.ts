#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ClientConfig, TenantOptions } from './config.js';
import { isRecord } from './config-validation.js';
import { defaultTenantOptions } from './defaults.js';
import type { TlsCredentials } from './listen.js';
import { createTenant, DEFAULT_TENANT_PORT } from './tenant.js';

const HELP = `Usage: auth0-enclave-tenant [options]

Runs a local Auth0-compatible authorization server for development and tests.

Options:
  --port <n>        port to listen on (default ${DEFAULT_TENANT_PORT}; 0 picks a free port)
  --host <name>     hostname to bind (default localhost)
  --config <file>   JSON file with tenant options; each list it gives (clients, users,
                    apis, organizations) replaces the default one
  --admin           serve the /__admin/* test surface
  --https           serve https with a certificate generated for localhost; prints
                    the NODE_EXTRA_CA_CERTS line that makes Node trust it
  --cert <file>     serve https with this certificate (PEM; needs --key)
  --key <file>      the private key of --cert (PEM)
  -h, --help        show this help`;

function describeClient(client: ClientConfig): string {
  const auth =
    client.tokenEndpointAuthMethod === 'none' ? 'public' : client.tokenEndpointAuthMethod;
  const dpop = client.dpop ?? 'allowed';
  const nonce = client.dpopNonce ? ' with nonce' : '';
  return `${client.clientId.padEnd(16)} ${auth}, DPoP ${dpop}${nonce}, grants: ${(client.grantTypes ?? ['authorization_code', 'refresh_token']).join(' ')}`;
}

async function readConfig(path: string): Promise<TenantOptions> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read --config ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`--config ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw new Error(`--config ${path} must hold a JSON object`);
  return parsed as TenantOptions;
}

/** The `https` listen option the flags ask for: generated, read from files, or none. */
async function readTls(values: {
  https?: boolean | undefined;
  cert?: string | undefined;
  key?: string | undefined;
}): Promise<TlsCredentials | true | undefined> {
  if (values.cert !== undefined && values.key !== undefined) {
    const read = async (flag: string, path: string) => {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        throw new Error(`cannot read ${flag} ${path}: ${(error as Error).message}`);
      }
    };
    return { cert: await read('--cert', values.cert), key: await read('--key', values.key) };
  }
  return values.https ? true : undefined;
}

/** Runs the CLI; resolves with an exit code, or never (while serving). */
async function main(args: string[]): Promise<number | undefined> {
  const parse = (argv: string[]) =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        config: { type: 'string' },
        admin: { type: 'boolean' },
        https: { type: 'boolean' },
        cert: { type: 'string' },
        key: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(args));
  } catch (error) {
    console.error(`auth0-enclave-tenant: ${(error as Error).message}\n\n${HELP}`);
    return 1;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const port = values.port === undefined ? DEFAULT_TENANT_PORT : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > 65_535) {
    console.error(`auth0-enclave-tenant: --port must be a number from 0 to 65535`);
    return 1;
  }

  if ((values.cert === undefined) !== (values.key === undefined)) {
    console.error('auth0-enclave-tenant: --cert and --key go together');
    return 1;
  }

  try {
    const https = await readTls(values);
    const fromFile = values.config === undefined ? {} : await readConfig(values.config);
    // The same rule as createTenant(): a list the file gives replaces the default list.
    const options: TenantOptions = { ...defaultTenantOptions(), ...fromFile };
    if (values.admin) options.admin = true;
    const tenant = createTenant(options);
    const server = await tenant.listen({
      port,
      ...(values.host ? { hostname: values.host } : {}),
      ...(https ? { https } : {}),
    });
    const issuer = tenant.issuer();
    const lines = [
      'auth0-enclave dev tenant',
      `  issuer     ${issuer}`,
      ...(server.caCertPath === undefined
        ? []
        : [
            `  https      a certificate generated for this run, issued by a throwaway CA; trust it:`,
            `             NODE_EXTRA_CA_CERTS=${server.caCertPath}`,
          ]),
      `  discovery  ${issuer}.well-known/openid-configuration`,
      `  admin      ${options.admin ? `${issuer}__admin/ (enabled)` : 'disabled (--admin enables it)'}`,
      'clients',
      ...(options.clients ?? []).map((client) => `  ${describeClient(client)}`),
      'users (email / password)',
      ...(options.users ?? []).map(
        (user) => `  ${user.email} / ${user.password}  (${user.user_id})`,
      ),
      'APIs',
      ...(options.apis ?? []).map((api) => `  ${api.identifier}  scopes: ${api.scopes.join(' ')}`),
      '',
      'Press Ctrl+C to stop.',
    ];
    console.log(lines.join('\n'));
    const stop = () => {
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const hint = message.includes('already in use')
      ? '\n  Stop the other process or choose another port with --port.'
      : '';
    console.error(`auth0-enclave-tenant: ${message}${hint}`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
