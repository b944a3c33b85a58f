import type { Command, Option } from 'commander';
import { buildProgram, SHELLS } from './program.js';

type Shell = (typeof SHELLS)[number];

/** Flags whose values come from the stored login (no network): the script asks `__complete`. */
const DYNAMIC_VALUES: Record<string, string> = { '--site': 'sites', '--profile': 'profiles' };

interface Spec {
  /** Command path ('' for the top) → the words that may follow: subcommands, flags, fixed arguments. */
  words: Map<string, string[]>;
  /** 'path|--flag' → the fixed values of that flag. */
  values: Map<string, string[]>;
  /** 'path|--flag' → what `__complete` lists for it. */
  dynamic: Map<string, string>;
}

function isHidden(command: Command): boolean {
  return (command as unknown as { _hidden?: boolean })._hidden === true;
}

/** Walks the real command tree: completions are made from it, never written by hand. */
export function completionSpec(program: Command = buildProgram({ version: '0', action: () => async () => undefined, loginTimeoutS: 300, output: {} })): Spec {
  const spec: Spec = { words: new Map(), values: new Map(), dynamic: new Map() };
  const globals = program.options.filter((o) => !o.hidden);
  const flagNames = (options: readonly Option[]) => options.flatMap((o) => (o.long ? [o.long] : []));
  const visit = (command: Command, path: string) => {
    const subcommands = command.commands.filter((c) => !isHidden(c));
    const args = command.registeredArguments.flatMap((a) => a.argChoices ?? []);
    const own = command === program ? [] : command.options.filter((o) => !o.hidden);
    // --version belongs to the top alone; the other top-level flags work after any subcommand.
    const inherited = command === program ? globals : globals.filter((o) => o.long !== '--version');
    spec.words.set(path, [...subcommands.map((c) => c.name()), ...args, ...flagNames(own), ...flagNames(inherited), '--help']);
    for (const option of [...own, ...globals]) {
      if (!option.long) continue;
      const key = `${path}|${option.long}`;
      if (option.argChoices) spec.values.set(key, option.argChoices);
      else if (DYNAMIC_VALUES[option.long]) spec.dynamic.set(key, DYNAMIC_VALUES[option.long]!);
    }
    for (const sub of subcommands) visit(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  visit(program, '');
  return spec;
}

function caseTable(entries: Iterable<[string, string[]]>, indent: string, shell: Shell): string {
  const lines: string[] = [];
  for (const [key, words] of entries) {
    const list = words.join(' ');
    if (shell === 'fish') lines.push(`${indent}case '${key}'\n${indent}    echo '${list}'`);
    else lines.push(`${indent}'${key}') echo '${list}' ;;`);
  }
  return lines.join('\n');
}

const HEADER = '# confluence-adf shell completion, generated from the command tree by `confluence-adf completion`. Do not edit.';

/** The completion script for a shell. */
export function completionScript(shell: Shell, spec: Spec = completionSpec()): string {
  const valueEntries: [string, string[]][] = [...spec.values.entries()];
  const dynamicEntries = [...spec.dynamic.entries()];
  if (shell === 'bash' || shell === 'zsh') {
    const dynamicCases = dynamicEntries.map(([key, what]) => `    '${key}') confluence-adf __complete ${what} 2>/dev/null ;;`).join('\n');
    const common = `_confluence_adf_words() {
  case "$1" in
${caseTable(spec.words.entries(), '    ', shell)}
  esac
}

_confluence_adf_values() {
  case "$1|$2" in
${caseTable(valueEntries, '    ', shell)}
${dynamicCases}
    *) return 1 ;;
  esac
}

# The command path so far (not $path: zsh ties that name to $PATH): the words that are subcommands of what precedes them.
_confluence_adf_path() {
  local cmdpath="" w
  for w in "$@"; do
    case "$w" in -*) continue ;; esac
    case " $(_confluence_adf_words "$cmdpath") " in *" $w "*) cmdpath="\${cmdpath:+$cmdpath }$w" ;; esac
  done
  printf '%s' "$cmdpath"
}
`;
    if (shell === 'bash') {
      return `${HEADER}
# bash: source this file, or put it in ~/.local/share/bash-completion/completions/confluence-adf
${common}
# The candidates in $2 that start with $1, each quoted. Not compgen -W: it expands $(...) and
# backquotes inside the candidates, and a stored site name is not ours to run.
_confluence_adf_reply() {
  local cur="$1" c q
  local -a list
  read -r -d '' -a list <<< "$2"
  COMPREPLY=()
  for c in "\${list[@]}"; do
    [[ "$c" == "$cur"* ]] || continue
    printf -v q '%q' "$c"
    COMPREPLY+=("$q")
  done
}

_confluence_adf() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmdpath values
  cmdpath="$(_confluence_adf_path "\${COMP_WORDS[@]:1:COMP_CWORD-1}")"
  if [[ "$prev" == -* ]] && values="$(_confluence_adf_values "$cmdpath" "$prev")"; then
    _confluence_adf_reply "$cur" "$values"
    return
  fi
  _confluence_adf_reply "$cur" "$(_confluence_adf_words "$cmdpath")"
}
complete -F _confluence_adf confluence-adf
`;
    }
    return `#compdef confluence-adf
${HEADER}
# zsh: put this file in a directory of $fpath as _confluence-adf, or source it after compinit.
${common}
_confluence_adf() {
  local cmdpath values prev="\${words[CURRENT-1]}"
  cmdpath="$(_confluence_adf_path "\${(@)words[2,CURRENT-1]}")"
  if [[ "$prev" == -* ]] && values="$(_confluence_adf_values "$cmdpath" "$prev")"; then
    compadd -- \${=values}
    return
  fi
  compadd -- \${=$(_confluence_adf_words "$cmdpath")}
}
compdef _confluence_adf confluence-adf
`;
  }
  const fishDynamic = dynamicEntries.map(([key, what]) => `        case '${key}'\n            confluence-adf __complete ${what} 2>/dev/null`).join('\n');
  return `${HEADER}
# fish: put this file in ~/.config/fish/completions/confluence-adf.fish
function __confluence_adf_words
    switch $argv[1]
${caseTable(spec.words.entries(), '        ', 'fish')}
    end
end

function __confluence_adf_values
    switch "$argv[1]|$argv[2]"
${caseTable(valueEntries, '        ', 'fish')}
${fishDynamic}
        case '*'
            return 1
    end
end

function __confluence_adf_complete
    set -l tokens (commandline -opc)
    set -l path ''
    for w in $tokens[2..-1]
        string match -q -- '-*' $w; and continue
        if contains -- $w (string split ' ' -- (__confluence_adf_words "$path"))
            set path (string trim -- "$path $w")
        end
    end
    set -l prev $tokens[-1]
    if string match -q -- '-*' $prev
        set -l values (__confluence_adf_values "$path" $prev)
        and begin
            string split ' ' -- $values
            return
        end
    end
    string split ' ' -- (__confluence_adf_words "$path")
end

complete -c confluence-adf -f -a '(__confluence_adf_complete)'
`;
}

export const COMPLETION_FILES: Record<Shell, string> = { bash: 'confluence-adf.bash', zsh: '_confluence-adf', fish: 'confluence-adf.fish' };
