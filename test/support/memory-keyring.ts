import { AppError } from '../../src/core/errors.js';
import type { Keyring } from '../../src/core/store/keyring.js';

/** An in-memory keychain for unit tests; `available: false` behaves like a machine without one. */
export function memoryKeyring(available = true): Keyring & { items: Map<string, string> } {
  const items = new Map<string, string>();
  const check = () => {
    if (!available) throw new AppError('KEYRING_UNAVAILABLE', 'No keychain on this machine.');
  };
  return {
    items,
    async probe() {
      return available;
    },
    async get(account) {
      check();
      return items.get(account);
    },
    async set(account, value) {
      check();
      items.set(account, value);
    },
    async delete(account) {
      check();
      return items.delete(account);
    },
  };
}
