#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Documentation and completion cannot drift from the parsers: every flag of the CliOption tables
# in src/sysrun/ (the tables getopt runs on) is in `sysrun CMD --help`, in the command's man page,
# and in the bash and zsh completions; the man pages render without warnings.

load helpers

SRC=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BASH_COMPLETION=$SRC/shell-completion/sysrun.bash
ZSH_COMPLETION=$SRC/shell-completion/_sysrun

# The commands, in main.c's table order.
commands() {
        sed -n '/^static const Command \*const commands\[\] = {/,/^};/p' "$SRC/src/sysrun/main.c" |
                grep -o '&command_[a-z]*' | sed 's/&command_//'
}

# parser_flags TABLE: the flags of the CliOption table TABLE_options[] ("global" for main.c's),
# one a line: "--name" and, for a short option, "-x".
parser_flags() {
        awk -v table="$1_options" '
                FNR == 1 { split("", letter); macro_name = "" }
                # #define NAME followed by rows (cli-criu.h): rows that tables take in by NAME.
                /^#define [A-Z_]+_OPTIONS/ { macro_name = $2; next }
                macro_name != "" && match($0, /\{ "[a-z0-9-]+", [^,]+,/) {
                        macro[macro_name] = macro[macro_name] "\n--" substr($0, RSTART + 3, index(substr($0, RSTART + 3), "\"") - 1)
                }
                macro_name != "" && !/\\$/ { macro_name = "" }
                # enum { OPT_BUNDLE = '\''b'\'', ... }: the short letters of the table rows.
                $1 ~ /^[A-Z_]+$/ && $2 == "=" && $3 ~ /^'\''.'\''/ { letter[$1] = substr($3, 2, 1) }
                $0 ~ "CliOption " table "\\[\\] = \\{" { inside = 1; next }
                inside && /^};/ { inside = 0 }
                inside && $1 ~ /^[A-Z_]+_OPTIONS,$/ { m = substr($1, 1, length($1) - 1); printf "%s", substr(macro[m], 2) "\n" }
                inside && match($0, /\{ "[a-z0-9-]+", [^,]+,/) {
                        row = substr($0, RSTART + 3, RLENGTH - 4)
                        name = substr(row, 1, index(row, "\"") - 1)
                        val = substr(row, index(row, ",") + 2)
                        print "--" name
                        if (val ~ /^'\''.'\''$/)
                                print "-" substr(val, 2, 1)
                        else if (val in letter)
                                print "-" letter[val]
                }' "$SRC"/src/sysrun/*.h "$SRC"/src/sysrun/*.c
}

# The tables a command parses with: its own (none for start, state, pause, ...).
command_flags() {
        parser_flags "$1"
}

# complete_zsh WORDS...: the same through zsh's completion system (compinit, our _sysrun).
complete_zsh() {
        timeout 30 zsh -f "$BATS_TEST_DIRNAME/zsh-complete.zsh" "$SRC/shell-completion" "$@"
}

# complete_bash WORDS...: runs the bash completion on the command line WORDS (the last one is the
# word being completed) and prints COMPREPLY, one a line.
complete_bash() {
        bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _sysrun
                 printf "%s\n" "${COMPREPLY[@]}"' complete "$BASH_COMPLETION" "$@"
}

@test "docs: the parsers use CliOption tables, one per command, named after it" {
        # A raw struct option array would bypass --help, the man page checks and the completion.
        run grep -n 'struct option [a-z_]*\[\] *=' "$SRC"/src/sysrun/*.c
        [ "$status" -eq 1 ] || fail "raw getopt tables (use a CliOption table): $output"
        known=" global $(commands | tr '\n' ' ')"
        for t in $(grep -ho 'CliOption [a-z_]*_options\[\]' "$SRC"/src/sysrun/*.c | sed 's/CliOption //; s/_options\[\]//'); do
                [[ $known == *" $t "* ]] || fail "table ${t}_options names no command"
        done
        # The parser of a sample command as seen by the test: run has create's flags and three more.
        [ "$(parser_flags run | grep -c .)" -eq $(($(parser_flags create | grep -c .) + 4)) ]
        parser_flags run | grep -qx -- --no-subreaper
        parser_flags run | grep -qx -- -d
        parser_flags global | grep -qx -- --root
}

@test "docs: every command's flags are in its --help, each with a meaning" {
        for cmd in $(commands); do
                run "$SYSRUN" "$cmd" --help
                assert_status 0
                [[ ${lines[0]} == NAME: ]] || fail "$cmd --help: ${lines[0]}"
                assert_output_contains "   sysrun $cmd - "
                for section in USAGE: DESCRIPTION: OPTIONS:; do
                        assert_output_contains "$section"
                done
                help=$output
                for flag in $(command_flags "$cmd"); do
                        # "   --name ARG, -x ARG   meaning": the flag, then text after a gap.
                        grep -Eq -- "^   (--[a-z0-9-]+( [^ ,]+)?, )?$flag( [^ ]+)?(,| {3,}[^ ])" <<<"$help" ||
                                fail "sysrun $cmd --help lacks $flag (or its meaning)"
                done
        done
        run "$SYSRUN" --help
        assert_status 0
        for flag in $(parser_flags global); do
                grep -Eq -- "^   (--[a-z0-9-]+( [^ ,]+)?, )?$flag( [^ ]+)?(,| {3,}[^ ])" <<<"$output" ||
                        fail "sysrun --help lacks $flag"
        done
        for cmd in $(commands); do
                assert_output_contains "   $cmd "
        done
}

@test "docs: every flag is in its man page, every command has a page" {
        for cmd in $(commands); do
                page=$SRC/man/sysrun-$cmd.8.scd
                [ -f "$page" ] || fail "no man page $page"
                grep -q "^sysrun-$cmd(8)$" "$page" || fail "$page: bad title line"
                grep -q '^\*--help\*, \*-h\*$' "$page" || fail "$page lacks --help"
                for flag in $(command_flags "$cmd"); do
                        grep -Fq -- "*$flag*" "$page" || fail "$page lacks $flag"
                done
                grep -Fq "sysrun-$cmd" "$SRC/man/meson.build" || fail "man/meson.build does not build sysrun-$cmd"
                grep -Fq "*sysrun-$cmd*(8)" "$SRC/man/sysrun.8.scd" || fail "sysrun(8) does not point to sysrun-$cmd(8)"
        done
        for flag in $(parser_flags global); do
                grep -Fq -- "*$flag*" "$SRC/man/sysrun.8.scd" || fail "sysrun.8.scd lacks $flag"
        done
        # Flags that are runc compatibility no-ops say so.
        for pair in sysrun-exec:--cgroup sysrun-update:--kernel-memory; do
                grep -A2 -F -- "*${pair#*:}*" "$SRC/man/${pair%%:*}.8.scd" | grep -q "runc compatibility" ||
                        fail "${pair%%:*}: ${pair#*:} not documented as a compatibility no-op"
        done
}

@test "docs: man --warnings is clean on every page" {
        built=${SYSRUN%/src/sysrun/sysrun}/man
        if [ -f "$built/sysrun-run.8" ]; then
                dir=$built
        else
                command -v scdoc >/dev/null || skip "no built pages and no scdoc"
                dir=$TEST_DIR/man
                mkdir "$dir"
                for f in "$SRC"/man/*.8.scd; do
                        scdoc <"$f" >"$dir/$(basename "$f" .scd)"
                done
        fi
        n=0
        for f in "$SRC"/man/*.8.scd; do
                page=$dir/$(basename "$f" .scd)
                [ -s "$page" ] || fail "$page not built"
                run man --warnings -l "$page"
                assert_status 0
                run bash -c 'man --warnings -l "$1" 2>&1 >/dev/null' warn "$page"
                assert_output_equals ""
                n=$((n + 1))
        done
        [ "$n" -eq $(($(commands | wc -l) + 1)) ]
        # What the page says, not only that it renders: sysrun(8) keeps the systemd facts.
        MANWIDTH=10000 man -l "$dir/sysrun.8" >"$TEST_DIR/sysrun.txt" 2>/dev/null
        for s in machine.slice systemd-machined NOTIFY_SOCKET sysrun@.service run.sysrun.machine --no-machine; do
                grep -qF -- "$s" "$TEST_DIR/sysrun.txt" || fail "sysrun(8) lacks $s"
        done
}

@test "docs: meson install puts the pages and the completions where man, bash and zsh look" {
        build=${SYSRUN%/src/sysrun/sysrun}
        [ -f "$build/build.ninja" ] || skip "$SYSRUN is not in a meson build directory"
        command -v scdoc >/dev/null || skip "scdoc is not installed"
        run meson install -C "$build" --destdir "$TEST_DIR/dest" --no-rebuild --quiet
        assert_status 0
        dest=$TEST_DIR/dest
        # Where meson put each file (the prefix is the build's, /usr/local by default).
        installed() {
                meson introspect "$build" --installed | jq -r --arg src "$1" 'to_entries[] | select(.key | endswith($src)) | .value'
        }
        [ -n "$(installed /man/sysrun.8)" ] ||
                fail "$build builds no man pages although scdoc is installed: meson setup --reconfigure $build"
        mandir=
        for cmd in "" $(commands); do
                f=$(installed "/man/sysrun${cmd:+-$cmd}.8")
                [[ $f == */share/man/man8/sysrun${cmd:+-$cmd}.8 ]] || fail "page installed as '$f'"
                [ -s "$dest$f" ] || fail "not installed: $dest$f"
                mandir=${f%/man8/*}
        done
        # man finds them there.
        run man -M "$dest$mandir" -w sysrun-run
        assert_output_equals "$dest$mandir/man8/sysrun-run.8"
        f=$(installed /shell-completion/sysrun.bash)
        [[ $f == */share/bash-completion/completions/sysrun ]] || fail "bash completion installed as '$f'"
        cmp "$dest$f" "$BASH_COMPLETION"
        # bash-completion's loader finds it when that share directory is in XDG_DATA_DIRS.
        if [ -f /usr/share/bash-completion/bash_completion ]; then
                run bash -c 'source /usr/share/bash-completion/bash_completion
                             XDG_DATA_DIRS=$1 BASH_COMPLETION_USER_DIR=/nonexistent _completion_loader sysrun
                             complete -p sysrun' load "$dest${f%/bash-completion/*}"
                assert_output_equals "complete -F _sysrun sysrun"
        fi
        f=$(installed /shell-completion/_sysrun)
        [[ $f == */share/zsh/site-functions/_sysrun ]] || fail "zsh completion installed as '$f'"
        cmp "$dest$f" "$ZSH_COMPLETION"
        if command -v zsh >/dev/null; then
                run zsh -f -c 'fpath=($1 $fpath); autoload -U compinit; compinit -u -d $2; print -r -- $_comps[sysrun]' \
                        load "$(dirname "$dest$f")" "$TEST_DIR/zcompdump"
                assert_output_equals "_sysrun"
        fi
}

@test "bash completion: the commands" {
        run complete_bash sysrun ""
        assert_status 0
        [ "$(echo "$output" | sort)" = "$(commands | sort)" ]
        run complete_bash sysrun --root /x r
        [ "$(echo "$output" | sort | tr '\n' ' ')" = "restore resume run " ]
        # Global options before the command.
        run complete_bash sysrun --log-f
        assert_output_equals "--log-format"
        for flag in $(parser_flags global); do
                complete_bash sysrun - | grep -qx -- "$flag" || fail "global $flag not completed"
        done
}

@test "bash completion: every flag of every command's parser, and no other" {
        for cmd in $(commands); do
                offered=$(complete_bash sysrun "$cmd" - | sort)
                expected=$( (command_flags "$cmd"; printf '%s\n' --help -h) | sort)
                [ "$offered" = "$expected" ] || fail "sysrun $cmd -<TAB>: offered [$(echo $offered)], parser has [$(echo $expected)]"
        done
        # The case the issue names: run --<TAB> offers every long flag of run's parser.
        run complete_bash sysrun run --
        for flag in $(parser_flags run | grep -- '^--'); do
                grep -qx -- "$flag" <<<"$output" || fail "run --<TAB> lacks $flag"
        done
        # A flag's value is not taken for the command or the id.
        run complete_bash sysrun run --bundle /tmp --no-
        assert_output_contains "--no-machine"
        run complete_bash sysrun list --format ""
        [ "$(echo "$output" | tr '\n' ' ')" = "table json " ]
}

@test "bash completion: kill offers the signals sysrun accepts" {
        accepted=()
        for s in $(sed -n '/^static const SignalName signal_names\[\] = {/,/^};/p' "$SRC/src/libsysrun/signals.c" |
                grep -o '"SIG[A-Z0-9]*"' | tr -d '"') SIGRTMIN SIGRTMAX; do
                run "$SYSRUN" --root "$ROOT" kill nosuch "$s"
                [[ $output == *"unknown signal"* ]] || accepted+=("${s#SIG}")
        done
        [ ${#accepted[@]} -gt 30 ]
        run complete_bash sysrun kill c1 ""
        [ "$(echo "$output" | sort)" = "$(printf '%s\n' "${accepted[@]}" | sort)" ] ||
                fail "offered [$(echo $output)], accepted [${accepted[*]}]"
        # With the SIG prefix, in any case.
        run complete_bash sysrun kill c1 SIGTE
        assert_output_equals "SIGTERM"
        run complete_bash sysrun kill c1 ki
        assert_output_equals "KILL"
        run complete_bash sysrun kill --all c1 US
        [ "$(echo "$output" | tr '\n' ' ')" = "USR1 USR2 " ]
}

@test "bash completion: container ids from sysrun list -q under the --root given" {
        set_args sleep 1000
        sysrun_create c1
        sysrun_create c2
        for words in "--root $ROOT kill" "--root=$ROOT delete --force" "-root $ROOT state"; do
                run complete_bash "$SYSRUN" $words ""
                [ "$(echo "$output" | sort | tr '\n' ' ')" = "c1 c2 " ] || fail "sysrun $words <TAB>: $output"
        done
        run complete_bash "$SYSRUN" --root "$ROOT" kill c1 ""
        assert_output_contains "TERM"
        [[ $output != *c2* ]]
        # The other root has none of them; "create" takes a new id.
        run complete_bash "$SYSRUN" --root "$TEST_DIR/other" state ""
        assert_output_equals ""
        run complete_bash "$SYSRUN" --root "$ROOT" create ""
        assert_output_equals ""
        if command -v zsh >/dev/null; then
                run complete_zsh "$SYSRUN" --root "$ROOT" kill ""
                [ "$(echo "$output" | tr '\n' ' ')" = "c1 c2 " ] || fail "zsh: sysrun --root ROOT kill <TAB>: $output"
                run complete_zsh "$SYSRUN" --root="$ROOT" delete -f ""
                [ "$(echo "$output" | tr '\n' ' ')" = "c1 c2 " ] || fail "zsh: sysrun --root=ROOT delete -f <TAB>: $output"
                run complete_zsh "$SYSRUN" --root "$TEST_DIR/other" state ""
                assert_output_equals ""
        fi
        sysrun delete --force c1
        sysrun delete --force c2
}

@test "zsh completion: parses, and knows every command and flag" {
        command -v zsh >/dev/null || skip "zsh is not installed"
        run zsh -n "$ZSH_COMPLETION"
        assert_status 0
        head -1 "$ZSH_COMPLETION" | grep -qx '#compdef sysrun'
        for cmd in $(commands); do
                grep -q "^                '$cmd:" "$ZSH_COMPLETION" || fail "_sysrun lacks command $cmd"
                # The flags of the command's own _arguments block.
                block=$(sed -n "/^                ($cmd)\$/,/^                        ;;/p" "$ZSH_COMPLETION")
                [ -n "$block" ] || fail "_sysrun has no case for $cmd"
                for flag in $(command_flags "$cmd"); do
                        grep -Eq -- "[{'(,]$flag[]=+,}[]" <<<"$block" || fail "_sysrun: $cmd lacks $flag"
                done
        done
        for flag in $(parser_flags global); do
                grep -Eq -- "[{'(,]$flag[]=+,}[]" "$ZSH_COMPLETION" || fail "_sysrun lacks global $flag"
        done
}

@test "zsh completion: commands, run's flags, kill's signals through compinit" {
        command -v zsh >/dev/null || skip "zsh is not installed"
        run complete_zsh sysrun ""
        assert_status 0
        [ "$output" = "$(commands | sort)" ] || fail "sysrun <TAB>: $output"
        run complete_zsh sysrun run --
        [ "$output" = "$( (parser_flags run | grep -- '^--'; echo --help) | sort)" ] || fail "sysrun run --<TAB>: $output"
        run complete_zsh sysrun kill c1 ""
        assert_output_contains "TERM"
        assert_output_contains "RTMIN"
        run complete_zsh sysrun kill c1 SIGK
        assert_output_equals "SIGKILL"
        run complete_zsh sysrun --log-format ""
        [ "$(echo "$output" | tr '\n' ' ')" = "json text " ]
}
