# bash completion for sysrun                               -*- shell-script -*-
# SPDX-License-Identifier: Apache-2.0
#
# The flag lists follow the CliOption tables in src/sysrun/ (main.c and cmd-*.c);
# tests/integration/docs.bats fails when a flag of a parser is missing here.

_sysrun_commands="create start run state kill delete list ps exec pause resume update events checkpoint restore spec features"

# Flags of each command ("global" before the command); _sysrun_args_* are those that take a value.
_sysrun_opts_global="--debug --log --log-format --root --systemd-cgroup --cgroup-manager --rootless --criu --help -h --version -v"
_sysrun_args_global="--log --log-format --root --cgroup-manager --rootless --criu"
_sysrun_opts_create="--bundle -b --console-socket --pidfd-socket --pid-file --no-pivot --no-new-keyring --preserve-fds --no-machine --help -h"
_sysrun_args_create="--bundle -b --console-socket --pidfd-socket --pid-file --preserve-fds"
_sysrun_opts_run="$_sysrun_opts_create --detach -d --keep --no-subreaper"
_sysrun_args_run=$_sysrun_args_create
_sysrun_opts_exec="--console-socket --pidfd-socket --cwd --env -e --tty -t --user -u --additional-gids -g --process -p --detach -d --pid-file --process-label --apparmor --no-new-privs --cap -c --preserve-fds --cgroup --ignore-paused --help -h"
_sysrun_args_exec="--console-socket --pidfd-socket --cwd --env -e --user -u --additional-gids -g --process -p --pid-file --process-label --apparmor --cap -c --preserve-fds --cgroup"
_sysrun_opts_kill="--all -a --help -h"
_sysrun_opts_delete="--force -f --help -h"
_sysrun_opts_list="--format -f --quiet -q --no-legend --help -h"
_sysrun_args_list="--format -f"
_sysrun_opts_ps="--format -f --help -h"
_sysrun_args_ps="--format -f"
_sysrun_opts_events="--stats -s --interval -i --help -h"
_sysrun_args_events="--interval -i"
_sysrun_opts_spec="--bundle -b --rootless --help -h"
_sysrun_args_spec="--bundle -b"
_sysrun_opts_update="--resources -r --blkio-weight --cpu-period --cpu-quota --cpu-share --cpu-rt-period --cpu-rt-runtime --cpuset-cpus --cpuset-mems --memory --memory-reservation --memory-swap --pids-limit --cpu-idle --cpu-burst --l3-cache-schema --mem-bw-schema --kernel-memory --kernel-memory-tcp --help -h"
_sysrun_args_update="--resources -r --blkio-weight --cpu-period --cpu-quota --cpu-share --cpu-rt-period --cpu-rt-runtime --cpuset-cpus --cpuset-mems --memory --memory-reservation --memory-swap --pids-limit --cpu-idle --cpu-burst --l3-cache-schema --mem-bw-schema --kernel-memory --kernel-memory-tcp"
_sysrun_opts_start="--help -h"
_sysrun_opts_state="--help -h"
_sysrun_opts_pause="--help -h"
_sysrun_opts_resume="--help -h"
_sysrun_opts_checkpoint="--image-path --work-path --tcp-established --ext-unix-sk --shell-job --lazy-pages --file-locks --manage-cgroups-mode --empty-ns --auto-dedup --parent-path --leave-running --status-fd --page-server --pre-dump --help -h"
_sysrun_args_checkpoint="--image-path --work-path --manage-cgroups-mode --empty-ns --parent-path --status-fd --page-server"
_sysrun_opts_restore="--image-path --work-path --tcp-established --ext-unix-sk --shell-job --lazy-pages --file-locks --manage-cgroups-mode --empty-ns --auto-dedup --bundle -b --detach -d --pid-file --console-socket --no-subreaper --no-pivot --lsm-profile --lsm-mount-context --help -h"
_sysrun_args_restore="--image-path --work-path --manage-cgroups-mode --empty-ns --bundle -b --pid-file --console-socket --lsm-profile --lsm-mount-context"
_sysrun_opts_features="--help -h"

# What src/libsysrun/signals.c accepts (the SIG prefix is optional there).
_sysrun_signals="HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS IOT CLD POLL RTMIN RTMAX"

# Is $2 a flag of command $1 that takes a value? getopt_long_only also takes one dash.
_sysrun_takes_arg() {
        local var=_sysrun_args_$1 f=$2
        [[ $f == -[a-z][a-z]* ]] && f=-$f
        [[ " ${!var} " == *" $f "* ]]
}

# The ids under the --root given on the command line (else sysrun's default root).
_sysrun_ids() {
        local i w root=
        for ((i = 1; i < COMP_CWORD; i++)); do
                w=${COMP_WORDS[i]}
                case $w in
                --root | -root)
                        if [[ ${COMP_WORDS[i + 1]} == = ]]; then root=${COMP_WORDS[i + 2]}; else root=${COMP_WORDS[i + 1]}; fi ;;
                --root=* | -root=*) root=${w#*=} ;;
                esac
        done
        # A quoted or ~ root as the shell would pass it.
        [[ $root == \~* ]] && root=$HOME${root#\~}
        "${COMP_WORDS[0]}" ${root:+--root "$root"} list -q 2>/dev/null
}

_sysrun_values() {
        local cmd=$1 flag=$2 cur=$3
        [[ $flag == -[a-z][a-z]* ]] && flag=-$flag
        case $cmd:$flag in
        global:--log-format) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
        global:--cgroup-manager) COMPREPLY=($(compgen -W "systemd disabled" -- "$cur")) ;;
        global:--rootless) COMPREPLY=($(compgen -W "true false auto" -- "$cur")) ;;
        global:--root | *:--bundle | *:-b) COMPREPLY=($(compgen -d -- "$cur")) ;;
        list:--format | list:-f | ps:--format | ps:-f) COMPREPLY=($(compgen -W "table json" -- "$cur")) ;;
        *:--log | *:--criu | *:--pid-file | *:--console-socket | *:--pidfd-socket | exec:--process | exec:-p | update:--resources | update:-r)
                COMPREPLY=($(compgen -f -- "$cur")) ;;
        exec:--cap | exec:-c)
                COMPREPLY=($(compgen -W "$(capsh --print 2>/dev/null | sed -n 's/^Bounding set =//p' | tr ',' ' ' | tr a-z A-Z)" -- "$cur")) ;;
        *) COMPREPLY=() ;;
        esac
}

_sysrun() {
        local cur=${COMP_WORDS[COMP_CWORD]} cmd=global i w npos=0 var flag=
        COMPREPLY=()

        # Find the command and count its positional arguments before the cursor.
        for ((i = 1; i < COMP_CWORD; i++)); do
                w=${COMP_WORDS[i]}
                if [[ $w == = ]]; then
                        ((i++)) # --flag = value
                        continue
                fi
                if [[ $w == -* ]]; then
                        [[ $w != *=* && ${COMP_WORDS[i + 1]} != = ]] && _sysrun_takes_arg "$cmd" "$w" && ((i++))
                        continue
                fi
                if [[ $cmd == global ]]; then
                        cmd=$w
                        var=_sysrun_opts_$cmd
                        [[ -n ${!var+x} ]] || return 0
                else
                        ((npos++))
                fi
        done

        # The value of a flag: "--flag VALUE", "--flag=VALUE" (one word or three).
        if [[ $cur == = ]]; then
                flag=${COMP_WORDS[COMP_CWORD - 1]}
                cur=
        elif [[ ${COMP_WORDS[COMP_CWORD - 1]} == = ]]; then
                flag=${COMP_WORDS[COMP_CWORD - 2]}
        elif [[ $cur == -*=* ]]; then
                flag=${cur%%=*}
                cur=${cur#*=}
        elif ((COMP_CWORD > 1)) && [[ ${COMP_WORDS[COMP_CWORD - 1]} == -* ]] &&
                _sysrun_takes_arg "$cmd" "${COMP_WORDS[COMP_CWORD - 1]}"; then
                flag=${COMP_WORDS[COMP_CWORD - 1]}
        fi
        if [[ -n $flag ]]; then
                _sysrun_values "$cmd" "$flag" "$cur"
                return 0
        fi

        # exec's and ps's arguments after the id belong to the process and to ps(1).
        if [[ $cur == -* ]] && ! [[ ($cmd == exec || $cmd == ps) && $npos -ge 1 ]]; then
                var=_sysrun_opts_$cmd
                COMPREPLY=($(compgen -W "${!var}" -- "$cur"))
                return 0
        fi

        case $cmd:$npos in
        global:*) COMPREPLY=($(compgen -W "$_sysrun_commands" -- "$cur")) ;;
        create:* | run:* | list:* | spec:* | features:*) ;;
        kill:1)
                if [[ -z $cur ]]; then
                        COMPREPLY=($(compgen -W "$_sysrun_signals" -- "$cur"))
                else
                        COMPREPLY=($(compgen -W "$_sysrun_signals $(printf 'SIG%s ' $_sysrun_signals)" -- "${cur^^}"))
                fi ;;
        exec:1) COMPREPLY=($(compgen -c -- "$cur")) ;;
        *:0) COMPREPLY=($(compgen -W "$(_sysrun_ids)" -- "$cur")) ;;
        esac
        return 0
}
complete -F _sysrun sysrun
