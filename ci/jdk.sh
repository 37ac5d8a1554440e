# Sourced by ./tessera and ci/test: selects a JDK 25 (or newer) and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME when it is 25+, then the JDKs under /usr/lib/jvm (Temurin first).

tessera_java_major() { # $1 = JDK home; prints its feature version or nothing
    local release="$1/release" v
    [ -x "$1/bin/java" ] && [ -f "$release" ] || return 0
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    printf '%s' "$v"
}

tessera_select_jdk() {
    local candidate major
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -d "$candidate" ] || continue
        major=$(tessera_java_major "$candidate")
        if [ -n "$major" ] && [ "$major" -ge 25 ]; then
            export JAVA_HOME="$candidate"
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
    done
    echo "tessera: no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm/*); install Temurin 25 or set JAVA_HOME to a JDK 25" >&2
    return 1
}

tessera_select_jdk
