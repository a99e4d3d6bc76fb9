# Sourced by the CI scripts: what needs root goes through `as_root`, which
# runs it directly as root and through `sudo` otherwise (GitHub's runners
# are a user with passwordless sudo; a container is often root without it).

as_root() {
    if [ "$(id -u)" -ne 0 ]; then
        sudo "$@"
    else
        "$@"
    fi
}

# Installs Debian packages. `env` carries the setting through sudo, which
# resets the environment.
apt_install() {
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}
