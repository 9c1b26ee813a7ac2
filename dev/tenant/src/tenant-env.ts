// The Hono environment of the tenant app: what a request carries through its middleware.

/** What a handler adds to the request-log entry of the request it serves. */
export interface LogDetails {
  grantType?: string;
  clientId?: string;
  dpopJti?: string;
  dpopJkt?: string;
}

/** Hono environment of the tenant app. */
export interface TenantEnv {
  Variables: { log: LogDetails };
}
