# confluence-adf shell completion, generated from the command tree by `confluence-adf completion`. Do not edit.
# bash: source this file, or put it in ~/.local/share/bash-completion/completions/confluence-adf
_confluence_adf_words() {
  case "$1" in
    '') echo 'auth spaces adf pages serve completion --version --verbose --debug --no-color --storage --profile --wait --help' ;;
    'auth') echo 'login status logout switch export import token refresh --verbose --debug --no-color --storage --profile --wait --help' ;;
    'auth login') echo '--client-id --client-secret-stdin --callback-port --scopes --site --no-browser --callback-url --timeout --json --verbose --debug --no-color --storage --profile --wait --help' ;;
    'auth status') echo '--json --offline --all --verbose --debug --no-color --storage --profile --wait --help' ;;
    'auth logout') echo '--json --all --verbose --debug --no-color --storage --profile --wait --help' ;;
    'auth switch') echo '--verbose --debug --no-color --storage --profile --wait --help' ;;
    'auth export') echo '--output --plaintext --keep --verbose --debug --no-color --storage --profile --wait --help' ;;
    'auth import') echo '--offline --force --plaintext --verbose --debug --no-color --storage --profile --wait --help' ;;
    'auth token') echo '--verbose --debug --no-color --storage --profile --wait --help' ;;
    'auth refresh') echo '--json --verbose --debug --no-color --storage --profile --wait --help' ;;
    'spaces') echo 'list --verbose --debug --no-color --storage --profile --wait --help' ;;
    'spaces list') echo '--site --type --status --keys --sort --limit --all --cursor --json --verbose --debug --no-color --storage --profile --wait --help' ;;
    'adf') echo 'to-markdown from-markdown validate --verbose --debug --no-color --storage --profile --wait --help' ;;
    'adf to-markdown') echo '--verbose --debug --no-color --storage --profile --wait --help' ;;
    'adf from-markdown') echo '--base --verbose --debug --no-color --storage --profile --wait --help' ;;
    'adf validate') echo '--json --verbose --debug --no-color --storage --profile --wait --help' ;;
    'pages') echo 'get search children create update edit --verbose --debug --no-color --storage --profile --wait --help' ;;
    'pages get') echo '--format --version --output --json --site --verbose --debug --no-color --storage --profile --wait --help' ;;
    'pages search') echo '--text --title --space --limit --all --cursor --json --site --verbose --debug --no-color --storage --profile --wait --help' ;;
    'pages children') echo '--depth --json --site --verbose --debug --no-color --storage --profile --wait --help' ;;
    'pages create') echo '--space --title --parent --file --format --site --dry-run --json --verbose --debug --no-color --storage --profile --wait --help' ;;
    'pages update') echo '--file --format --base-version --title --message --site --dry-run --force --json --verbose --debug --no-color --storage --profile --wait --help' ;;
    'pages edit') echo '--section --replace --append --insert-after --delete --find --replace-text --all --format --expected-version --message --site --dry-run --json --verbose --debug --no-color --storage --profile --wait --help' ;;
    'serve') echo '--mcp --log-file --verbose --debug --no-color --storage --profile --wait --help' ;;
    'completion') echo 'bash zsh fish --verbose --debug --no-color --storage --profile --wait --help' ;;
  esac
}

_confluence_adf_values() {
  case "$1|$2" in
    '|--storage') echo 'keyring file' ;;
    'auth|--storage') echo 'keyring file' ;;
    'auth login|--storage') echo 'keyring file' ;;
    'auth status|--storage') echo 'keyring file' ;;
    'auth logout|--storage') echo 'keyring file' ;;
    'auth switch|--storage') echo 'keyring file' ;;
    'auth export|--storage') echo 'keyring file' ;;
    'auth import|--storage') echo 'keyring file' ;;
    'auth token|--storage') echo 'keyring file' ;;
    'auth refresh|--storage') echo 'keyring file' ;;
    'spaces|--storage') echo 'keyring file' ;;
    'spaces list|--type') echo 'global collaboration knowledge_base personal system onboarding xflow_sample_space' ;;
    'spaces list|--status') echo 'current archived' ;;
    'spaces list|--sort') echo 'id -id key -key name -name' ;;
    'spaces list|--storage') echo 'keyring file' ;;
    'adf|--storage') echo 'keyring file' ;;
    'adf to-markdown|--storage') echo 'keyring file' ;;
    'adf from-markdown|--storage') echo 'keyring file' ;;
    'adf validate|--storage') echo 'keyring file' ;;
    'pages|--storage') echo 'keyring file' ;;
    'pages get|--format') echo 'markdown adf' ;;
    'pages get|--storage') echo 'keyring file' ;;
    'pages search|--storage') echo 'keyring file' ;;
    'pages children|--storage') echo 'keyring file' ;;
    'pages create|--format') echo 'markdown adf' ;;
    'pages create|--storage') echo 'keyring file' ;;
    'pages update|--format') echo 'markdown adf' ;;
    'pages update|--storage') echo 'keyring file' ;;
    'pages edit|--format') echo 'markdown adf' ;;
    'pages edit|--storage') echo 'keyring file' ;;
    'serve|--storage') echo 'keyring file' ;;
    'completion|--storage') echo 'keyring file' ;;
    '|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'auth|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'auth login|--site') confluence-adf __complete sites 2>/dev/null ;;
    'auth login|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'auth status|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'auth logout|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'auth switch|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'auth export|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'auth import|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'auth token|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'auth refresh|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'spaces|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'spaces list|--site') confluence-adf __complete sites 2>/dev/null ;;
    'spaces list|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'adf|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'adf to-markdown|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'adf from-markdown|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'adf validate|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'pages|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'pages get|--site') confluence-adf __complete sites 2>/dev/null ;;
    'pages get|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'pages search|--site') confluence-adf __complete sites 2>/dev/null ;;
    'pages search|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'pages children|--site') confluence-adf __complete sites 2>/dev/null ;;
    'pages children|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'pages create|--site') confluence-adf __complete sites 2>/dev/null ;;
    'pages create|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'pages update|--site') confluence-adf __complete sites 2>/dev/null ;;
    'pages update|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'pages edit|--site') confluence-adf __complete sites 2>/dev/null ;;
    'pages edit|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'serve|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    'completion|--profile') confluence-adf __complete profiles 2>/dev/null ;;
    *) return 1 ;;
  esac
}

# The command path so far (not $path: zsh ties that name to $PATH): the words that are subcommands of what precedes them.
_confluence_adf_path() {
  local cmdpath="" w
  for w in "$@"; do
    case "$w" in -*) continue ;; esac
    case " $(_confluence_adf_words "$cmdpath") " in *" $w "*) cmdpath="${cmdpath:+$cmdpath }$w" ;; esac
  done
  printf '%s' "$cmdpath"
}

# The candidates in $2 that start with $1, each quoted. Not compgen -W: it expands $(...) and
# backquotes inside the candidates, and a stored site name is not ours to run.
_confluence_adf_reply() {
  local cur="$1" c q
  local -a list
  read -r -d '' -a list <<< "$2"
  COMPREPLY=()
  for c in "${list[@]}"; do
    [[ "$c" == "$cur"* ]] || continue
    printf -v q '%q' "$c"
    COMPREPLY+=("$q")
  done
}

_confluence_adf() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmdpath values
  cmdpath="$(_confluence_adf_path "${COMP_WORDS[@]:1:COMP_CWORD-1}")"
  if [[ "$prev" == -* ]] && values="$(_confluence_adf_values "$cmdpath" "$prev")"; then
    _confluence_adf_reply "$cur" "$values"
    return
  fi
  _confluence_adf_reply "$cur" "$(_confluence_adf_words "$cmdpath")"
}
complete -F _confluence_adf confluence-adf
