import { isCI } from '../../src/cli/io.js';

/**
 * Tests of the real parts (Secret Service, Chromium) skip on a developer machine without them, but
 * fail in CI, where .ci/run installs them: a green CI must mean they ran.
 */
export function requirement(available: boolean, what: string): string | false {
  if (available) return false;
  if (isCI(process.env)) throw new Error(`${what} is required in CI (.ci/run installs it) but is not available.`);
  return `${what} is not available here`;
}
