# bash completion for sysrun                               -*- shell-script -*-
# SPDX-License-Identifier: Apache-2.0

_sysrun_ids() {
        local root=/run/sysrun i
        for ((i = 1; i < COMP_CWORD; i++)); do
                [[ ${COMP_WORDS[i]} == --root ]] && root=${COMP_WORDS[i + 1]}
                [[ ${COMP_WORDS[i]} == --root=* ]] && root=${COMP_WORDS[i]#--root=}
        done
        sysrun --root "$root" list -q 2>/dev/null
}

_sysrun() {
        local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} cmd= i
        local commands="create start run state kill delete list ps exec pause resume update events spec features"
        local global="--root --log --log-format --debug --systemd-cgroup --cgroup-manager --help --version"

        for ((i = 1; i < COMP_CWORD; i++)); do
                case ${COMP_WORDS[i]} in
                --root | --log | --log-format | --cgroup-manager) ((i++)) ;;
                -*) ;;
                *) cmd=${COMP_WORDS[i]}; break ;;
                esac
        done

        case $prev in
        --root | -b | --bundle | --log | --pid-file | --console-socket | --pidfd-socket | -p | --process)
                COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --log-format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
        --cgroup-manager) COMPREPLY=($(compgen -W "systemd disabled" -- "$cur")); return ;;
        --format | -f) COMPREPLY=($(compgen -W "table json" -- "$cur")); return ;;
        esac

        if [[ -z $cmd ]]; then
                COMPREPLY=($(compgen -W "$commands $global" -- "$cur"))
                return
        fi
        case $cmd in
        create | run)
                [[ $cur == -* ]] && COMPREPLY=($(compgen -W "--bundle --console-socket --pidfd-socket --pid-file --no-pivot --no-new-keyring --no-machine --preserve-fds --detach --keep --no-subreaper" -- "$cur")) ;;
        kill)
                if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "--all" -- "$cur"))
                else COMPREPLY=($(compgen -W "$(_sysrun_ids) KILL TERM INT HUP USR1 USR2 STOP CONT" -- "$cur")); fi ;;
        delete)
                [[ $cur == -* ]] && COMPREPLY=($(compgen -W "--force" -- "$cur")) || COMPREPLY=($(compgen -W "$(_sysrun_ids)" -- "$cur")) ;;
        list) COMPREPLY=($(compgen -W "--format --quiet --no-legend" -- "$cur")) ;;
        spec) COMPREPLY=($(compgen -W "--bundle --rootless" -- "$cur")) ;;
        features) ;;
        *) COMPREPLY=($(compgen -W "$(_sysrun_ids)" -- "$cur")) ;;
        esac
}
complete -F _sysrun sysrun
