#!/usr/bin/zsh -f
# zsh-complete.zsh FPATH_DIR WORDS...: prints the matches that zsh's completion system offers for
# the command line WORDS (the last word is the one completed, "" for a new word), one a line.
zmodload zsh/zpty || exit 1
fdir=${1:A}; shift
line="${(j: :)${(q)@[1,-2]}} ${(q)@[-1]}"
[[ -z ${@[-1]} ]] && line="${(j: :)${(q)@[1,-2]}} "
export ZDOTDIR=$(mktemp -d) || exit 1
trap 'rm -rf $ZDOTDIR' EXIT
print -r -- 'setopt no_global_rcs' >$ZDOTDIR/.zshenv
cat >$ZDOTDIR/.zshrc <<RC
PS1='' PROMPT='' RPROMPT=''
unset zle_bracketed_paste
fpath=(${(q)fdir} \$fpath)
autoload -U compinit && compinit -u -D
zstyle ':completion:*' list-grouped false
# Every match goes through compadd: print it as well as adding it.
compadd() {
        local -a __m
        builtin compadd -O __m "\$@"
        (( \$#__m )) && print -rl -- "<<M>>"\${^__m}
        builtin compadd "\$@"
}
_end() { zle -I; print -r -- "<<END>>"; exit }
zle -N _end
bindkey '^X' _end
bindkey '^I' complete-word
print -r -- "<<READY>>"
RC
zpty z zsh -i
zpty -r z out '*<<READY>>*' || exit 1
zpty -w -n z "$line"$'\t'$'\C-x'
while zpty -r z out; do
        out=${out//$'\r'/}
        [[ $out == *'<<END>>'* ]] && break
        [[ $out == *'<<M>>'* ]] && print -r -- ${out#*<<M>>}
done | grep -v "^$" | sort -u
zpty -d z
