# SPDX-License-Identifier: Apache-2.0
# bash completion for usbio: installed as share/bash-completion/completions/usbio.
# Commands and subcommands are listed here (tests/docs checks them against
# 'usbio --help'); each command's options come from its own --help, and
# adapter names from 'usbio list' with the global options already typed
# (so --sim adapters count). Needs nothing from the bash-completion package.

_usbio_top_commands="list watch config gpio i2c eeprom"
_usbio_gpio_commands="detect info get set mon find"
_usbio_i2c_commands="detect get set dump transfer recover"
_usbio_eeprom_commands="read write verify"
_usbio_global_options="--sim --sim-state --sim-unplug-after --client --no-usb --json --verbose -v --help -h --version -V"

# The long and short options in 'usbio WORDS... --help'.
_usbio_options_of() {
    "$_usbio_bin" "$@" --help 2>/dev/null |
        grep -oE '^  +(-[A-Za-z0-9] \[ )?--[a-z0-9-]+' | grep -oE -- '--?[A-Za-z0-9-]+'
}

# Index and serial number of every adapter the typed global options give.
_usbio_adapters() {
    "$_usbio_bin" "${_usbio_globals[@]}" list 2>/dev/null |
        awk 'NR > 1 && /^[0-9]/ { print $1; if ($4 != "-") print $4 }'
}

_usbio() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local _usbio_bin=${COMP_WORDS[0]}
    local -a _usbio_globals=()
    local i=1 group="" command=""
    COMPREPLY=()

    # Global options, up to the first word that is not one.
    while [ "$i" -lt "$COMP_CWORD" ]; do
        case ${COMP_WORDS[i]} in
        --sim | --sim-state | --sim-unplug-after | --client)
            _usbio_globals+=("${COMP_WORDS[i]}" "${COMP_WORDS[i + 1]}")
            i=$((i + 2))
            ;;
        -*)
            _usbio_globals+=("${COMP_WORDS[i]}")
            i=$((i + 1))
            ;;
        *) break ;;
        esac
    done

    case $prev in
    --sim)
        COMPREPLY=($(compgen -W "cp2112 ft232h ft2232h ft4232h" -- "$cur"))
        return
        ;;
    --sim-state | -o | --output | -i | --input)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --ack-check)
        COMPREPLY=($(compgen -W "at_end after_address each_byte" -- "$cur"))
        return
        ;;
    --sim-unplug-after | --client | -t | --type | --offset | --length)
        return
        ;;
    esac

    if [ "$i" -ge "$COMP_CWORD" ]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$_usbio_global_options" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$_usbio_top_commands" -- "$cur"))
        fi
        return
    fi

    group=${COMP_WORDS[i]}
    i=$((i + 1))
    case $group in
    gpio | i2c | eeprom)
        if [ "$i" -ge "$COMP_CWORD" ]; then
            local subs=$_usbio_gpio_commands
            [ "$group" = i2c ] && subs=$_usbio_i2c_commands
            [ "$group" = eeprom ] && subs=$_usbio_eeprom_commands
            COMPREPLY=($(compgen -W "$subs --help" -- "$cur"))
            return
        fi
        command="$group ${COMP_WORDS[i]}"
        i=$((i + 1))
        ;;
    *) command=$group ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_usbio_options_of $command)" -- "$cur"))
        return
    fi
    # The first word that is not an option names the adapter.
    local j
    for ((j = i; j < COMP_CWORD; j++)); do
        [[ ${COMP_WORDS[j]} == -* ]] || return 0
    done
    case $command in
    list | watch) return ;;
    esac
    COMPREPLY=($(compgen -W "$(_usbio_adapters)" -- "$cur"))
}

complete -F _usbio usbio
