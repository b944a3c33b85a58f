import { Option, type Command } from 'commander';
import type { ActionFactory, Verbs } from './program.js';

const FORMAT_HELP = 'markdown (with front matter) or adf (JSON); default: adf for .json files and JSON text, else markdown';

/** `pages create | update | edit`: the writing verbs, under the `pages` noun (created here if the readers have not). */
export function addPageWriteCommands(program: Command, verbs: Verbs, action: ActionFactory, exitCodesHelp: string): void {
  const pages = program.commands.find((c) => c.name() === 'pages') ?? verbs.noun(program, 'pages', 'Confluence pages: read, search, write');

  verbs.add(pages, 'create', (c) =>
    c
      .description('create a page from Markdown or ADF, validated before it is sent')
      .option('--space <key>', 'the space key (or `space:` in the front matter)')
      .option('--title <title>', 'the title, unique within the space (or `title:` in the front matter)')
      .option('--parent <page>', 'the parent page: id or URL (or `parent:` in the front matter)')
      .option('--file <file>', 'the page text; - or nothing reads stdin')
      .addOption(new Option('--format <format>', FORMAT_HELP).choices(['markdown', 'adf']))
      .option('--site <site>', 'site URL, name or cloud ID (default: the one chosen at login, or the parent URL\'s)')
      .option('--dry-run', 'validate and show the blocks; send nothing')
      .option('--json', 'print the result as JSON on stdout')
      .addHelpText(
        'after',
        `
Examples:
  $ confluence-adf pages create --space ENG --title "Release notes" --file notes.md
  $ confluence-adf pages create --space ENG --title "Q4 plan" --parent 123456 --file plan.md --dry-run
  $ echo "# Hello" | confluence-adf pages create --space ENG --title Hello --json
${exitCodesHelp}
JSON: { id, title, url, version, written, dryRun, changes: [ { index, before, after } ] }`,
      )
      .action(action(() => import('./commands/pages/create.js'))),
  );

  verbs.add(pages, 'update', (c) =>
    c
      .description('write a page edited from `pages get`: unchanged blocks kept exactly, concurrent edits merged per block')
      .argument('<page>', 'page id or URL')
      .option('--file <file>', 'the edited page (Markdown with the front matter of `pages get`, or ADF); - or nothing reads stdin')
      .addOption(new Option('--format <format>', FORMAT_HELP).choices(['markdown', 'adf']))
      .option('--base-version <n>', 'the version the text was made from (default: `version` in the front matter)')
      .option('--title <title>', 'a new title (default: `title` in the front matter; unchanged if it is the base title)')
      .option('--message <text>', 'the version comment')
      .option('--site <site>', 'site URL, name or cloud ID (default: the page URL\'s, or the one chosen at login)')
      .option('--dry-run', 'print the block diff against the current page; send nothing')
      .option('--force', 'on a conflict, write ours over theirs in the conflicting blocks (and say which)')
      .option('--json', 'print the result (or the conflict) as JSON on stdout')
      .addHelpText(
        'after',
        `
Examples:
  $ confluence-adf pages get 123456 > page.md && $EDITOR page.md && confluence-adf pages update 123456 --file page.md
  $ confluence-adf pages update 123456 --file page.md --dry-run
  $ confluence-adf pages update 123456 --file page.json --base-version 7
Someone saved since your version: blocks changed on one side only are merged; blocks changed on
both sides are a conflict, nothing is written and the exit status is 5 (--force writes yours).
${exitCodesHelp}
JSON: { id, title, url, version, baseVersion, written, dryRun, merged, replaced: [ { heading, theirs, ours } ],
        changes: [ { index, before, after } ] }`,
      )
      .action(action(() => import('./commands/pages/update.js'))),
  );

  verbs.add(pages, 'edit', (c) =>
    c
      .description('edit a section or replace text on the current page, without sending it through Markdown')
      .argument('<page>', 'page id or URL')
      .option('--section <heading>', 'the section under this heading ("Parent > Heading" when it is not unique)')
      .option('--replace <file>', 'replace the section\'s text with this file (a leading heading replaces the heading too)')
      .option('--append <file>', 'add this file at the end of the section\'s own text')
      .option('--insert-after <file>', 'add this file after the section and its subsections')
      .option('--delete', 'delete the section, heading and subsections')
      .option('--find <text>', 'the text to replace (case-sensitive; may span bold, links and comments)')
      .option('--replace-text <text>', 'what --find becomes; the marks of the text are kept')
      .option('--all', 'replace every occurrence of --find (else it must occur once)')
      .addOption(new Option('--format <format>', `format of the section file: ${FORMAT_HELP}`).choices(['markdown', 'adf']))
      .option('--expected-version <n>', 'the version you looked at; changes since then are merged, or refused if they clash')
      .option('--message <text>', 'the version comment')
      .option('--site <site>', 'site URL, name or cloud ID')
      .option('--dry-run', 'print the block diff; send nothing')
      .option('--json', 'print the result as JSON on stdout')
      .addHelpText(
        'after',
        `
Examples:
  $ confluence-adf pages edit 123456 --section "Risks" --append new-risk.md
  $ confluence-adf pages edit 123456 --section "Design > Notes" --delete
  $ confluence-adf pages edit 123456 --find "Q3 2026" --replace-text "Q4 2026" --all
${exitCodesHelp}
JSON: { id, title, url, version, written, dryRun, counts: [n], changes: [ { index, before, after } ] }`,
      )
      .action(action(() => import('./commands/pages/edit.js'))),
  );
}
