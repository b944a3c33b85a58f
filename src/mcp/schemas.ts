import { z } from 'zod';

/** Output schemas shared by the tools and by the tests that validate what the server returns. */
const site = z.object({ cloudId: z.string(), name: z.string(), url: z.string() });
const account = z.object({ accountId: z.string(), name: z.string(), email: z.string().optional() });

const profile = z.object({ name: z.string(), source: z.enum(['flag', 'environment', 'stored default', 'implicit']) });

export const statusSchema = z.object({
  profile,
  source: z.enum(['store', 'environment']).optional(),
  exportedAt: z.string().optional(),
  signedIn: z.boolean(),
  reason: z.string().optional(),
  hint: z.string().optional(),
  site: site.optional(),
  sites: z.array(site).optional(),
  account: account.optional(),
  clientId: z.string().optional(),
  scopes: z.object({ granted: z.array(z.string()), missingDefaults: z.array(z.string()) }).optional(),
  accessToken: z.object({ expiresAt: z.string(), valid: z.boolean() }).optional(),
  refreshToken: z
    .object({ present: z.boolean(), issuedAt: z.string().optional(), idleExpiresAt: z.string().optional(), absoluteExpiresAt: z.string() })
    .optional(),
  storage: z.object({ backend: z.enum(['keyring', 'file', 'none']), tokenFile: z.string(), keyFile: z.string().optional() }),
  check: z.object({ performed: z.boolean(), ok: z.boolean().optional(), code: z.string().optional(), message: z.string().optional(), hint: z.string().optional() }),
  quota: z
    .object({
      pausedUntil: z.string().optional(),
      pauseReason: z.string().optional(),
      remaining: z.number().optional(),
      limit: z.number().optional(),
      nearLimit: z.boolean().optional(),
      seenAt: z.string().optional(),
    })
    .optional(),
  warning: z.string().optional(),
});

export const loginStartSchema = z.object({
  url: z.string(),
  redirectUri: z.string(),
  browserOpened: z.boolean(),
  message: z.string(),
});

export const loginCompleteSchema = z.object({
  signedIn: z.literal(true),
  site,
  account: account.nullable(),
  scopes: z.array(z.string()),
  missingScopes: z.array(z.string()),
});

export const logoutSchema = z.object({
  wasSignedIn: z.boolean(),
  revoked: z.enum(['yes', 'no', 'skipped']),
  removed: z.array(z.string()),
  failed: z.array(z.object({ what: z.string(), error: z.string() })),
});

export const spaceSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  status: z.string().nullable(),
  url: z.string().nullable(),
});

export const spacesListSchema = z.object({
  profile: z.string(),
  site,
  results: z.array(spaceSchema),
  nextCursor: z.string().nullable(),
});

export const pagesSearchSchema = z.object({
  cql: z.string(),
  results: z.array(z.object({ id: z.string(), title: z.string(), space: z.string().nullable(), url: z.string().nullable(), excerpt: z.string(), lastModified: z.string().nullable() })),
  nextCursor: z.string().nullable(),
});

export const pageReadSchema = z.object({
  id: z.string(),
  title: z.string(),
  space: z.string().nullable(),
  version: z.number().nullable(),
  url: z.string().nullable(),
  parent: z.string().nullable(),
  outline: z.array(z.object({ level: z.number(), text: z.string(), chars: z.number() })),
  outlineTruncated: z.boolean(),
  section: z.string().nullable(),
  format: z.enum(['markdown', 'adf']),
  markdown: z.string().optional(),
  adf: z.string().optional(),
  totalChars: z.number(),
  offset: z.number(),
  truncated: z.boolean(),
  nextOffset: z.number().nullable(),
});

export const pageChildrenSchema = z.object({
  page: z.object({ id: z.string(), site: z.string() }),
  results: z.array(z.object({ id: z.string(), title: z.string(), status: z.string(), parentId: z.string(), depth: z.number() })),
  nextCursor: z.string().nullable(),
});
