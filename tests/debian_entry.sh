# shellcheck shell=sh
# tests/debian_entry.sh - sourced by tests/mbedtls/build.sh and
# tests/lwip/fetch.sh (POSIX sh): where the machine's Debian packages come
# from, to add a deb-src entry with the same URI and keyring, and the
# download of a Debian source package through it.
#   debian_entry                        "URI KEYRING" of the Debian entry
#   debian_source_download PKG VER DIR  DIR/PKG_VER.dsc and its files
# The caller defines log MESSAGE and as_root COMMAND...

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

# Does apt know source package $1 in version $2?
debian_source_known() {
    case "$(apt-cache showsrc "$1" 2>/dev/null || true)" in
    *"Version: $2"*) return 0 ;;
    esac
    return 1
}

# debian_source_download PKG VERSION DIR: apt-get source --download-only
# PKG=VERSION into DIR, after adding a deb-src entry (same URI and keyring
# as the binary one, bookworm and trixie) when apt does not know that
# version. The entry's file is named for the first package that needed it
# (ges-PKG-src.sources); any ges-*-src.sources file already there is the
# same entry, so none is added twice (apt would warn about duplicates).
# apt-get update is retried: another apt-get may hold the lock or rewrite
# the lists.
debian_source_download() {
    ds_pkg=$1 ds_ver=$2 ds_dir=$3
    ds_file=/etc/apt/sources.list.d/ges-$ds_pkg-src.sources
    if ! debian_source_known "$ds_pkg" "$ds_ver" &&
        ! ls /etc/apt/sources.list.d/ges-*-src.sources >/dev/null 2>&1; then
        ds_entry=$(debian_entry) || { log "no Debian binary entry found in /etc/apt"; exit 1; }
        log "adding deb-src entry $ds_file (${ds_entry% *})"
        {
            echo "Types: deb-src"
            echo "URIs: ${ds_entry% *}"
            echo "Suites: bookworm trixie"
            echo "Components: main"
            if [ "${ds_entry#* }" != "-" ]; then echo "Signed-By: ${ds_entry#* }"; fi
        } | as_root tee "$ds_file" >/dev/null
    fi
    ds_try=1
    until debian_source_known "$ds_pkg" "$ds_ver"; do
        if [ "$ds_try" -gt 3 ]; then
            log "no source package $ds_pkg $ds_ver known to apt"
            exit 1
        fi
        log "apt-get update (try $ds_try)"
        as_root apt-get update -q -o DPkg::Lock::Timeout=60 >&2 || log "apt-get update failed"
        debian_source_known "$ds_pkg" "$ds_ver" && break
        sleep 5
        ds_try=$((ds_try + 1))
    done
    log "apt-get source --download-only $ds_pkg=$ds_ver"
    (cd "$ds_dir" && apt-get source -q --download-only "$ds_pkg=$ds_ver" >&2) ||
        (cd "$ds_dir" && as_root apt-get source -q --download-only "$ds_pkg=$ds_ver" >&2)
}
