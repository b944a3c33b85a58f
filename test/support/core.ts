import { Core } from '../../src/core/core.js';
import type { StoredLogin } from '../../src/core/store/token-store.js';
import type { Keyring } from '../../src/core/store/keyring.js';
import { AtlassianEmulator, DEFAULT_APP, DEFAULT_SITES } from '../emulator/server.js';
import { memoryKeyring } from './memory-keyring.js';

/** A clock tests move by hand. */
export function movableClock(start = Date.UTC(2026, 10, 22, 12)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms), set: (v: number) => void (t = v) };
}

export function coreFor(
  home: string,
  emu: AtlassianEmulator | undefined,
  options: { now?: () => number; keyring?: Keyring; storage?: string; notices?: string[]; retry?: { retries: number; baseDelayMs: number; maxDelayMs: number; maxTotalWaitMs: number }; random?: () => number; timeoutMs?: number; rate?: { perSecond: number; burst: number } } = {},
): Core {
  return new Core({
    env: { CONFLUENCE_ADF_HOME: home, ...(emu ? { CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl } : {}) },
    homedir: home,
    now: options.now ?? Date.now,
    keyring: options.keyring ?? memoryKeyring(false),
    ...(options.storage ? { storage: options.storage } : {}),
    onNotice: (m) => options.notices?.push(m),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.rate ? { rate: options.rate } : {}),
  });
}

/** A stored login as `auth login` would leave it, with a real grant from the emulator. */
export async function seedLogin(core: Core, emu: AtlassianEmulator, now: number, overrides: { accessTokenExpiresAt?: number } = {}): Promise<StoredLogin> {
  const grant = emu.issueGrant(DEFAULT_APP.clientId);
  const site = DEFAULT_SITES[0]!;
  const login: StoredLogin = {
    record: {
      clientId: DEFAULT_APP.clientId,
      authUrl: emu.authUrl,
      apiUrl: emu.apiUrl,
      callbackPort: 9000,
      site: { cloudId: site.id, name: site.name, url: site.url },
      sites: [{ cloudId: site.id, name: site.name, url: site.url }],
      scopes: [...DEFAULT_APP.scopes],
      requestedScopes: [...DEFAULT_APP.scopes],
      accessTokenExpiresAt: overrides.accessTokenExpiresAt ?? now + 3600_000,
      refreshTokenIssuedAt: now,
      consentAt: now,
      updatedAt: now,
    },
    secrets: { accessToken: grant.accessToken, refreshToken: grant.refreshToken, clientSecret: DEFAULT_APP.clientSecret },
  };
  await core.store.write(login);
  return login;
}

/** A fresh home signed in to the emulator, and the environment that points the CLI at both. */
export async function signedInHome(emu: AtlassianEmulator, keyring: Keyring = memoryKeyring(false)) {
  const { tempHome } = await import('./cli.js');
  const { home, cleanup } = await tempHome();
  const login = await seedLogin(coreFor(home, emu, { keyring }), emu, Date.now());
  const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl };
  return { home, login, env, cleanup };
}
