/** Completions run in the real shells on partial command lines; the committed scripts match the command tree. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tempHome } from '../support/cli.js';
import { requirement } from '../support/requirements.js';
import { COMPLETION_FILES, completionScript } from '../../src/cli/completion.js';

const has = (shell: string) => {
  try {
    execFileSync(shell, ['-c', 'exit 0'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const file = (shell: keyof typeof COMPLETION_FILES) => path.join(ROOT, 'completions', COMPLETION_FILES[shell]);

let home: string;
let cleanup: () => Promise<void>;
let binDir: string;
before(async () => {
  ({ home, cleanup } = await tempHome());
  // A stored login whose site names the scripts can offer (read from the plain part of the file).
  fs.writeFileSync(path.join(home, 'oauth-tokens.json'), JSON.stringify({ format: 'confluence-adf/tokens', version: 1, record: { sites: [{ name: 'acme', url: 'https://acme.atlassian.net' }, { name: 'beta', url: 'https://beta.atlassian.net' }] } }));
  fs.mkdirSync(path.join(home, 'profiles', 'staging'), { recursive: true });
  fs.writeFileSync(path.join(home, 'profiles', 'staging', 'oauth-tokens.json'), '{}');
  binDir = path.join(home, 'bin');
  fs.mkdirSync(binDir);
  fs.symlinkSync(path.join(ROOT, 'bin', 'confluence-adf.js'), path.join(binDir, 'confluence-adf'));
});
after(() => cleanup());

const shellEnv = () => ({ PATH: `${binDir}:${path.dirname(process.execPath)}:${process.env.PATH}`, CONFLUENCE_ADF_HOME: home, HOME: home });

function bash(line: string): string[] {
  const words = line.split(' ');
  const script = `source ${JSON.stringify(file('bash'))}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _confluence_adf; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', script], { encoding: 'utf8', env: shellEnv() }).split('\n').filter(Boolean).sort();
}

function zsh(line: string): string[] {
  const words = line.split(' ');
  // compadd and compdef are stubbed to print: the script's own logic runs in the real zsh.
  const script = `compdef() { :; }; compadd() { [[ "$1" == -- ]] && shift; print -l -- "$@"; }; source ${JSON.stringify(file('zsh'))}; words=(${words.map((w) => JSON.stringify(w)).join(' ')}); CURRENT=${words.length}; _confluence_adf`;
  const prefix = words[words.length - 1]!;
  return execFileSync('zsh', ['-f', '-c', script], { encoding: 'utf8', env: shellEnv() }).split('\n').filter((w) => w && w.startsWith(prefix)).sort();
}

function fish(line: string): string[] {
  const script = `source ${JSON.stringify(file('fish'))}; complete -C ${JSON.stringify(line)}`;
  return execFileSync('fish', ['--no-config', '-c', script], { encoding: 'utf8', env: shellEnv() }).split('\n').map((l) => l.split('\t')[0]!).filter(Boolean).sort();
}

const cases: [string, (got: string[]) => void][] = [
  ['confluence-adf ', (got) => assert.deepEqual(got.filter((w) => !w.startsWith('-')), ['adf', 'auth', 'completion', 'pages', 'serve', 'spaces'])],
  ['confluence-adf adf ', (got) => assert.ok(got.includes('validate'), got.join(' '))],
  ['confluence-adf adf validate --j', (got) => assert.deepEqual(got, ['--json'])],
  ['confluence-adf pages update --ba', (got) => assert.deepEqual(got, ['--base-version'])],
  ['confluence-adf pages edit --replace', (got) => assert.deepEqual(got, ['--replace', '--replace-text'])],
  ['confluence-adf pages create --format ', (got) => assert.deepEqual(got, ['adf', 'markdown'])],
  ['confluence-adf au', (got) => assert.deepEqual(got, ['auth'])],
  ['confluence-adf auth lo', (got) => assert.deepEqual(got, ['login', 'logout'])],
  ['confluence-adf auth login --call', (got) => assert.deepEqual(got, ['--callback-port', '--callback-url'])],
  ['confluence-adf spaces list --type ', (got) => assert.deepEqual(got, ['collaboration', 'global', 'knowledge_base', 'onboarding', 'personal', 'system', 'xflow_sample_space'])],
  ['confluence-adf spaces list --status a', (got) => assert.deepEqual(got, ['archived'])],
  ['confluence-adf spaces list --sort -', (got) => assert.deepEqual(got, ['-id', '-key', '-name'])],
  ['confluence-adf --storage auth status --storage ', (got) => assert.deepEqual(got, ['file', 'keyring'])],
  ['confluence-adf pages ', (got) => assert.deepEqual(got.filter((w) => !w.startsWith('-')), ['children', 'create', 'edit', 'get', 'search', 'update'])],
  ['confluence-adf pages get 123 --format ', (got) => assert.deepEqual(got, ['adf', 'markdown'])],
  ['confluence-adf completion ', (got) => assert.deepEqual(got.filter((w) => !w.startsWith('-')), ['bash', 'fish', 'zsh'])],
  ['confluence-adf spaces list --site ', (got) => assert.deepEqual(got, ['acme', 'acme.atlassian.net', 'beta', 'beta.atlassian.net'])],
  ['confluence-adf auth status --profile ', (got) => assert.deepEqual(got, ['default', 'staging'])],
];

describe('shell completions', () => {
  test('the committed scripts are the ones the command tree makes (run `npm run completions` after changing commands)', () => {
    for (const [shell, name] of Object.entries(COMPLETION_FILES)) {
      assert.equal(fs.readFileSync(path.join(ROOT, 'completions', name), 'utf8'), completionScript(shell as 'bash'), `completions/${name} has drifted`);
    }
  });

  test('`confluence-adf completion bash` prints the same script', () => {
    const printed = execFileSync(process.execPath, [path.join(ROOT, 'bin', 'confluence-adf.js'), 'completion', 'bash'], { encoding: 'utf8' });
    assert.equal(printed, fs.readFileSync(file('bash'), 'utf8'));
  });

  for (const [shell, complete] of [['bash', bash], ['zsh', zsh], ['fish', fish]] as const) {
    test(`${shell}: subcommands, flags, fixed values and stored site names`, { skip: requirement(has(shell), shell) }, () => {
      for (const [line, check] of cases) {
        const got = complete(line);
        try {
          check(got);
        } catch (error) {
          throw new Error(`${shell} on "${line}": got ${JSON.stringify(got)}\n${(error as Error).message}`);
        }
      }
    });
  }
});
