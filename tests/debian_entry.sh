# tests/debian_entry.sh - sourced by tests/mbedtls/build.sh and
# tests/lwip/fetch.sh (POSIX sh): where the machine's Debian packages come
# from, to add a deb-src entry with the same URI and keyring.

# The URI and keyring of the Debian binary entry, as "URI KEYRING" ("-" when
# none): deb822 .sources files first, then one-line lists.
debian_entry() {
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        awk '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && uri != "" &&
                    suites ~ /(^| )(bookworm|trixie|stable)( |$)/ &&
                    uri !~ /security/ && !done) {
                    print uri, (key == "" ? "-" : key); done = 1
                }
                types = ""; uri = ""; suites = ""; key = ""
            }
            /^[ \t]*$/ { flush(); next }
            /^#/ { next }
            tolower($1) == "types:"     { types = substr($0, index($0, ":") + 2) }
            tolower($1) == "uris:"      { uri = $2 }
            tolower($1) == "suites:"    { suites = substr($0, index($0, ":") + 2) }
            tolower($1) == "signed-by:" { key = $2 }
            END { flush() }
        ' "$f"
    done | head -n 1 | grep . && return 0
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        sed -n -E 's/^deb[[:space:]]+(\[([^]]*)\][[:space:]]+)?([^[:space:]]+)[[:space:]]+(bookworm|trixie|stable)[[:space:]].*$/\3 \2/p' "$f" |
            grep -v security | while read -r uri opts; do
                key=-
                case " $opts " in *" signed-by="*)
                    key=${opts#*signed-by=}
                    key=${key%% *}
                    ;;
                esac
                echo "$uri $key"
            done
    done | head -n 1 | grep .
}
