/** Both scope families: v2 endpoints check granular scopes, v1 and CQL still check classic ones. */
export const DEFAULT_SCOPES: readonly string[] = [
  'read:space:confluence',
  'read:confluence-space.summary',
  'read:page:confluence',
  'write:page:confluence',
  'read:confluence-content.all',
  'write:confluence-content',
  'search:confluence',
  'read:confluence-user',
  'read:me',
  'offline_access',
];

/** The scope each command needs, so a missing one can be named exactly. */
export const SCOPE_FOR = {
  spacesList: 'read:space:confluence',
  pageRead: 'read:page:confluence',
  search: 'search:confluence',
  me: 'read:me',
  pageWrite: 'write:page:confluence',
} as const;

/** Normalises a user's scope list; offline_access is always added, or no refresh token is issued. */
export function withOfflineAccess(scopes: readonly string[]): string[] {
  const list = scopes.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  if (!list.includes('offline_access')) list.push('offline_access');
  return [...new Set(list)];
}
