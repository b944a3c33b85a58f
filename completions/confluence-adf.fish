# confluence-adf shell completion, generated from the command tree by `confluence-adf completion`. Do not edit.
# fish: put this file in ~/.config/fish/completions/confluence-adf.fish
function __confluence_adf_words
    switch $argv[1]
        case ''
            echo 'auth spaces adf pages serve completion --version --verbose --debug --no-color --storage --profile --wait --help'
        case 'auth'
            echo 'login status logout switch export import token refresh --verbose --debug --no-color --storage --profile --wait --help'
        case 'auth login'
            echo '--client-id --client-secret-stdin --callback-port --scopes --site --no-browser --callback-url --timeout --json --verbose --debug --no-color --storage --profile --wait --help'
        case 'auth status'
            echo '--json --offline --all --verbose --debug --no-color --storage --profile --wait --help'
        case 'auth logout'
            echo '--json --all --verbose --debug --no-color --storage --profile --wait --help'
        case 'auth switch'
            echo '--verbose --debug --no-color --storage --profile --wait --help'
        case 'auth export'
            echo '--output --plaintext --keep --verbose --debug --no-color --storage --profile --wait --help'
        case 'auth import'
            echo '--offline --force --plaintext --verbose --debug --no-color --storage --profile --wait --help'
        case 'auth token'
            echo '--verbose --debug --no-color --storage --profile --wait --help'
        case 'auth refresh'
            echo '--json --verbose --debug --no-color --storage --profile --wait --help'
        case 'spaces'
            echo 'list --verbose --debug --no-color --storage --profile --wait --help'
        case 'spaces list'
            echo '--site --type --status --keys --sort --limit --all --cursor --json --verbose --debug --no-color --storage --profile --wait --help'
        case 'adf'
            echo 'to-markdown from-markdown validate --verbose --debug --no-color --storage --profile --wait --help'
        case 'adf to-markdown'
            echo '--verbose --debug --no-color --storage --profile --wait --help'
        case 'adf from-markdown'
            echo '--base --verbose --debug --no-color --storage --profile --wait --help'
        case 'adf validate'
            echo '--json --verbose --debug --no-color --storage --profile --wait --help'
        case 'pages'
            echo 'get search children create update edit --verbose --debug --no-color --storage --profile --wait --help'
        case 'pages get'
            echo '--format --version --output --json --site --verbose --debug --no-color --storage --profile --wait --help'
        case 'pages search'
            echo '--text --title --space --limit --all --cursor --json --site --verbose --debug --no-color --storage --profile --wait --help'
        case 'pages children'
            echo '--depth --json --site --verbose --debug --no-color --storage --profile --wait --help'
        case 'pages create'
            echo '--space --title --parent --file --format --site --dry-run --json --verbose --debug --no-color --storage --profile --wait --help'
        case 'pages update'
            echo '--file --format --base-version --title --message --site --dry-run --force --json --verbose --debug --no-color --storage --profile --wait --help'
        case 'pages edit'
            echo '--section --replace --append --insert-after --delete --find --replace-text --all --format --expected-version --message --site --dry-run --json --verbose --debug --no-color --storage --profile --wait --help'
        case 'serve'
            echo '--mcp --log-file --verbose --debug --no-color --storage --profile --wait --help'
        case 'completion'
            echo 'bash zsh fish --verbose --debug --no-color --storage --profile --wait --help'
    end
end

function __confluence_adf_values
    switch "$argv[1]|$argv[2]"
        case '|--storage'
            echo 'keyring file'
        case 'auth|--storage'
            echo 'keyring file'
        case 'auth login|--storage'
            echo 'keyring file'
        case 'auth status|--storage'
            echo 'keyring file'
        case 'auth logout|--storage'
            echo 'keyring file'
        case 'auth switch|--storage'
            echo 'keyring file'
        case 'auth export|--storage'
            echo 'keyring file'
        case 'auth import|--storage'
            echo 'keyring file'
        case 'auth token|--storage'
            echo 'keyring file'
        case 'auth refresh|--storage'
            echo 'keyring file'
        case 'spaces|--storage'
            echo 'keyring file'
        case 'spaces list|--type'
            echo 'global collaboration knowledge_base personal system onboarding xflow_sample_space'
        case 'spaces list|--status'
            echo 'current archived'
        case 'spaces list|--sort'
            echo 'id -id key -key name -name'
        case 'spaces list|--storage'
            echo 'keyring file'
        case 'adf|--storage'
            echo 'keyring file'
        case 'adf to-markdown|--storage'
            echo 'keyring file'
        case 'adf from-markdown|--storage'
            echo 'keyring file'
        case 'adf validate|--storage'
            echo 'keyring file'
        case 'pages|--storage'
            echo 'keyring file'
        case 'pages get|--format'
            echo 'markdown adf'
        case 'pages get|--storage'
            echo 'keyring file'
        case 'pages search|--storage'
            echo 'keyring file'
        case 'pages children|--storage'
            echo 'keyring file'
        case 'pages create|--format'
            echo 'markdown adf'
        case 'pages create|--storage'
            echo 'keyring file'
        case 'pages update|--format'
            echo 'markdown adf'
        case 'pages update|--storage'
            echo 'keyring file'
        case 'pages edit|--format'
            echo 'markdown adf'
        case 'pages edit|--storage'
            echo 'keyring file'
        case 'serve|--storage'
            echo 'keyring file'
        case 'completion|--storage'
            echo 'keyring file'
        case '|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'auth|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'auth login|--site'
            confluence-adf __complete sites 2>/dev/null
        case 'auth login|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'auth status|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'auth logout|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'auth switch|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'auth export|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'auth import|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'auth token|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'auth refresh|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'spaces|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'spaces list|--site'
            confluence-adf __complete sites 2>/dev/null
        case 'spaces list|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'adf|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'adf to-markdown|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'adf from-markdown|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'adf validate|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'pages|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'pages get|--site'
            confluence-adf __complete sites 2>/dev/null
        case 'pages get|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'pages search|--site'
            confluence-adf __complete sites 2>/dev/null
        case 'pages search|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'pages children|--site'
            confluence-adf __complete sites 2>/dev/null
        case 'pages children|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'pages create|--site'
            confluence-adf __complete sites 2>/dev/null
        case 'pages create|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'pages update|--site'
            confluence-adf __complete sites 2>/dev/null
        case 'pages update|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'pages edit|--site'
            confluence-adf __complete sites 2>/dev/null
        case 'pages edit|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'serve|--profile'
            confluence-adf __complete profiles 2>/dev/null
        case 'completion|--profile'
            confluence-adf __complete profiles 2>/dev/null
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
