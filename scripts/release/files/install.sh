#!/bin/sh
# install.sh: installs the Nester harvester agent from the nester that serves this script.
#
#   curl -fsSL https://nester.example.com/install.sh | sudo sh -s -- --token TOKEN [options]
#
# Installs /opt/harvester/<version> (self-contained: its own Node.js) with /opt/harvester/current
# linking it, the system user `harvester`, /etc/harvester/harvester.yml, the systemd unit; enrols
# the machine with nester and starts the agent. Running it again upgrades in place and keeps the
# enrolment; with the same options and release it changes nothing. --uninstall removes all of it.
#
# Options:
#   --token TOKEN              one-time enrolment token (nester token create, or the Enrolment page)
#   --nester-pin-sha256 HEX    SHA-256 fingerprint of nester's certificate, when it is self-signed
#   --label KEY=VALUE          label reported for this machine (repeatable)
#   --terminal                 allow terminal sessions (runs the agent as root, unsandboxed: see the
#                              unit's terminal.conf drop-in); without it a re-run turns them off
#   --listen-address ADDR      where /metrics listens (default :9100)
#   --url URL                  nester's URL (default: the nester this script came from)
#   --no-start                 install and enrol, but do not enable or start the service
#   --uninstall                remove everything this script installed (the enrolment too)
#   --help
set -eu

# Filled in by nester when it serves this file (GET /install.sh).
NESTER_URL=''
HARVESTER_VERSION=''
HARVESTER_SHA256_LINUX_X64=''
NESTER_PIN_SHA256=''
NESTER_CURL_PIN=''
# @NESTER_SETTINGS@

PREFIX=/opt/harvester
CONFIG_DIR=/etc/harvester
CONFIG=$CONFIG_DIR/harvester.yml
STATE_DIR=/var/lib/harvester
UNIT=/etc/systemd/system/harvester.service
DROPIN_DIR=/etc/systemd/system/harvester.service.d
LINK=/usr/local/bin/harvester
USER_NAME=harvester

say() { printf 'install.sh: %s\n' "$*" >&2; }
die() {
	printf 'install.sh: error: %s\n' "$1" >&2
	[ -z "${2:-}" ] || printf 'install.sh: what to do: %s\n' "$2" >&2
	exit 1
}
quote_yaml() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

usage() {
	cat <<'USAGE'
usage: curl -fsSL https://NESTER/install.sh | sudo sh -s -- --token TOKEN [options]
  --token TOKEN              one-time enrolment token (Enrolment page, or nester token create)
  --nester-pin-sha256 HEX    SHA-256 fingerprint of nester's certificate, when it is self-signed
  --label KEY=VALUE          label reported for this machine (repeatable)
  --terminal                 allow terminal sessions (the agent then runs as root, unsandboxed)
  --listen-address ADDR      where /metrics listens (default :9100)
  --url URL                  nester's URL (default: the nester this script came from)
  --no-start                 install and enrol, but do not enable or start the service
  --uninstall                remove everything this script installed (the enrolment too)
USAGE
}

token='' pin='' labels='' terminal=no listen=':9100' url='' start=yes action=install
while [ $# -gt 0 ]; do
	case $1 in
	--token) token=${2:?--token needs a value}; shift ;;
	--token=*) token=${1#*=} ;;
	--nester-pin-sha256) pin=${2:?--nester-pin-sha256 needs a value}; shift ;;
	--nester-pin-sha256=*) pin=${1#*=} ;;
	--label) labels="$labels
${2:?--label needs KEY=VALUE}"; shift ;;
	--label=*) labels="$labels
${1#*=}" ;;
	--terminal) terminal=yes ;;
	--listen-address) listen=${2:?--listen-address needs a value}; shift ;;
	--listen-address=*) listen=${1#*=} ;;
	--url) url=${2:?--url needs a value}; shift ;;
	--url=*) url=${1#*=} ;;
	--no-start) start=no ;;
	--uninstall) action=uninstall ;;
	-h | --help)
		usage
		exit 0
		;;
	*) die "unknown option $1" "see --help for the options" ;;
	esac
	shift
done
[ -n "$url" ] || url=$NESTER_URL
url=${url%/}
[ -n "$pin" ] || pin=$NESTER_PIN_SHA256

[ "$(id -u)" -eq 0 ] || die "this installs a system service and must run as root" \
	"run it through sudo: curl -fsSL $url/install.sh | sudo sh -s -- $*"

if [ -d /run/systemd/system ]; then init=systemd; else init=none; fi

uninstall() {
	if [ "$init" = systemd ] && [ -f "$UNIT" ]; then
		systemctl disable --now harvester.service >/dev/null 2>&1 || true
	fi
	rm -rf "$UNIT" "$DROPIN_DIR" "$PREFIX" "$CONFIG_DIR" "$STATE_DIR"
	if [ "$(readlink "$LINK" 2>/dev/null || true)" = "$PREFIX/current/bin/harvester" ]; then rm -f "$LINK"; fi
	if [ "$init" = systemd ]; then systemctl daemon-reload; fi
	if getent passwd "$USER_NAME" >/dev/null; then userdel "$USER_NAME" || die "userdel $USER_NAME failed" "remove the user by hand"; fi
	if getent group "$USER_NAME" >/dev/null; then groupdel "$USER_NAME" 2>/dev/null || true; fi
	say "harvester is uninstalled. Remove this machine from nester's inventory too (Fleet page) if it is gone for good."
}
if [ "$action" = uninstall ]; then
	uninstall
	exit 0
fi

[ -n "$url" ] || die "which nester? this copy of install.sh was not served by nester" "download it from your nester (https://NESTER/install.sh) or give --url https://NESTER"
case $url in http://* | https://*) ;; *) die "--url must be http(s)://…, not $url" "give nester's public URL" ;; esac
[ -n "$HARVESTER_VERSION" ] || die "nester serves no harvester release" "put the release (harvester-<version>-linux-x64.tar.gz and .sha256) in nester's --releases.dir and fetch install.sh again"
[ "$(uname -s)" = Linux ] || die "harvester runs on Linux only, not $(uname -s)"
case $(uname -m) in
x86_64 | amd64) arch=linux-x64 sha256=$HARVESTER_SHA256_LINUX_X64 ;;
*) die "there is no harvester release for $(uname -m) yet (only x86_64)" "run node_exporter on this machine meanwhile" ;;
esac
[ -n "$sha256" ] || die "nester serves no $arch release of harvester $HARVESTER_VERSION" "add harvester-$HARVESTER_VERSION-$arch.tar.gz to nester's --releases.dir"

if command -v curl >/dev/null 2>&1; then
	fetch() {
		if [ -n "$NESTER_CURL_PIN" ]; then curl -fsSL --insecure --pinnedpubkey "$NESTER_CURL_PIN" -o "$2" "$1"; else curl -fsSL -o "$2" "$1"; fi
	}
elif command -v wget >/dev/null 2>&1; then
	# wget cannot pin a key: the archive is checked against the SHA-256 this script carries anyway.
	fetch() {
		if [ -n "$NESTER_CURL_PIN" ]; then wget -q --no-check-certificate -O "$2" "$1"; else wget -q -O "$2" "$1"; fi
	}
else
	die "neither curl nor wget is installed" "install one (apt-get install curl / dnf install curl) and run this again"
fi
if command -v sha256sum >/dev/null 2>&1; then
	digest() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v openssl >/dev/null 2>&1; then
	digest() { openssl dgst -sha256 -r "$1" | cut -d' ' -f1; }
else
	die "cannot compute a SHA-256 (no sha256sum, no openssl)" "install coreutils or openssl"
fi

changed=no
# Replaces $1 by $2 when their contents differ (mode $3, owner $4); says whether it did.
put() {
	if [ -f "$1" ] && cmp -s "$1" "$2"; then
		rm -f "$2"
		return 1
	fi
	chmod "$3" "$2"
	chown "$4" "$2"
	mv -f "$2" "$1"
	changed=yes
	return 0
}

version=$HARVESTER_VERSION
target=$PREFIX/$version
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# 1. The release, unpacked once per archive checksum (a rebuilt archive of one version is redeployed).
if [ -f "$target/.sha256" ] && [ "$(cat "$target/.sha256")" = "$sha256" ]; then
	say "harvester $version is already in $target"
else
	archive=harvester-$version-$arch.tar.gz
	say "downloading $url/releases/$archive"
	fetch "$url/releases/$archive" "$tmp/$archive" || die "cannot download $url/releases/$archive" \
		"check that this machine reaches nester at $url (proxy, firewall, DNS)"
	actual=$(digest "$tmp/$archive")
	[ "$actual" = "$sha256" ] || die "$archive has SHA-256 $actual, not $sha256 as nester announced" \
		"something between this machine and nester altered the download; fetch install.sh again, and check your proxy"
	mkdir -p "$PREFIX"
	rm -rf "$PREFIX/.$version.new"
	mkdir "$PREFIX/.$version.new"
	tar -xzf "$tmp/$archive" -C "$PREFIX/.$version.new" --strip-components=1 --no-same-owner ||
		die "cannot unpack $archive into $PREFIX" "check the free space in $PREFIX"
	printf '%s\n' "$sha256" >"$PREFIX/.$version.new/.sha256"
	rm -rf "$target"
	mv "$PREFIX/.$version.new" "$target"
	changed=yes
	say "installed harvester $version in $target"
fi
"$target/bin/harvester" --version >/dev/null 2>&1 ||
	die "$target/bin/harvester does not run on this machine" "it needs glibc 2.28 or newer (Debian 10+, Ubuntu 20.04+, RHEL 8+)"
previous=$(readlink "$PREFIX/current" 2>/dev/null || true)
if [ "$previous" != "$version" ]; then
	ln -sfn "$version" "$PREFIX/current"
	changed=yes
	# Keep the version just replaced (to go back to), drop older ones.
	for dir in "$PREFIX"/*/; do
		dir=${dir%/}
		case ${dir##*/} in current | "$version" | "$previous") ;; *) rm -rf "$dir" ;; esac
	done
fi
[ "$(readlink "$LINK" 2>/dev/null || true)" = "$PREFIX/current/bin/harvester" ] || ln -sfn "$PREFIX/current/bin/harvester" "$LINK"

# 2. The system user and the directories.
if ! getent passwd "$USER_NAME" >/dev/null; then
	nologin=/usr/sbin/nologin
	[ -x "$nologin" ] || nologin=/sbin/nologin
	useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home --shell "$nologin" "$USER_NAME" ||
		die "cannot create the system user $USER_NAME" "create it yourself (useradd --system $USER_NAME) and run this again"
	say "created the system user $USER_NAME"
fi
[ -d "$CONFIG_DIR" ] || install -d -m 0750 -o root -g "$USER_NAME" "$CONFIG_DIR"
[ -d "$STATE_DIR" ] || install -d -m 0700 -o "$USER_NAME" -g "$USER_NAME" "$STATE_DIR"

# 3. The configuration, checked before it replaces the running one.
{
	printf '# Written by install.sh: running it again rewrites this file from its options.\n'
	printf '# Keys are flags of "harvester --help"; check with: harvester check-config --config.file=%s\n' "$CONFIG"
	printf 'web.listen-address: [%s]\n' "$(quote_yaml "$listen")"
	printf 'remote.state-dir: %s\n' "$STATE_DIR"
	printf 'push.queue.dir: %s/remote-write\n' "$STATE_DIR"
	printf 'remote.terminal: %s\n' "$([ "$terminal" = yes ] && echo true || echo false)"
	if [ -n "$labels" ]; then
		printf 'remote.label:\n'
		printf '%s\n' "$labels" | while IFS= read -r label; do
			[ -z "$label" ] || printf '  - %s\n' "$(quote_yaml "$label")"
		done
	fi
} >"$tmp/harvester.yml"
check=$("$target/bin/harvester" check-config --config.file="$tmp/harvester.yml" 2>&1) ||
	die "the configuration is refused: $check" "fix the option it names and run this again"
config_changed=no
put "$CONFIG" "$tmp/harvester.yml" 0640 "root:$USER_NAME" && config_changed=yes

# 4. Enrolment: once; a re-run keeps it.
if [ -f "$STATE_DIR/nester.json" ]; then
	say "already enrolled ($STATE_DIR/nester.json); keeping it"
elif [ -n "$token" ]; then
	set -- enroll --nester-url "$url" --token "$token" --state-dir "$STATE_DIR"
	[ -z "$pin" ] || set -- "$@" --nester-pin-sha256 "$pin"
	while IFS= read -r label; do
		[ -z "$label" ] || set -- "$@" --remote.label "$label"
	done <<LABELS
$labels
LABELS
	"$target/bin/harvester" "$@" >"$tmp/enroll.log" 2>&1 || die "enrolment failed: $(cat "$tmp/enroll.log")" \
		"an enrolment token works once and expires: create a new one on the Enrolment page and run this again"
	chown -R "$USER_NAME:$USER_NAME" "$STATE_DIR"
	changed=yes
	say "enrolled with nester at $url"
else
	say "not enrolled (no --token): metrics only. Enrol later: run this again with --token TOKEN"
fi

# 5. The service.
if [ "$init" != systemd ]; then
	if [ "$terminal" = yes ]; then runas=''; else runas="setpriv --reuid=$USER_NAME --regid=$USER_NAME --init-groups "; fi
	say "this machine does not run systemd: start the agent with your init system, e.g."
	say "  ${runas}env HARVESTER_STATE_DIR=$STATE_DIR $LINK --config.file=$CONFIG"
	exit 0
fi
mkdir -p /etc/systemd/system
cp "$target/systemd/harvester.service" "$tmp/unit"
unit_changed=no
put "$UNIT" "$tmp/unit" 0644 root:root && unit_changed=yes
if [ "$terminal" = yes ]; then
	mkdir -p "$DROPIN_DIR"
	cp "$target/systemd/harvester.service.d/terminal.conf" "$tmp/terminal.conf"
	put "$DROPIN_DIR/terminal.conf" "$tmp/terminal.conf" 0644 root:root && unit_changed=yes
elif [ -e "$DROPIN_DIR/terminal.conf" ]; then
	rm -f "$DROPIN_DIR/terminal.conf"
	rmdir "$DROPIN_DIR" 2>/dev/null || true
	unit_changed=yes
	changed=yes
fi
[ "$unit_changed" = no ] || systemctl daemon-reload
if [ "$start" = no ]; then
	say "installed; start it with: systemctl enable --now harvester"
	exit 0
fi
systemctl is-enabled --quiet harvester.service 2>/dev/null || systemctl enable --quiet harvester.service
if ! systemctl is-active --quiet harvester.service; then
	systemctl start harvester.service || die "harvester did not start" "see: journalctl -u harvester -n 50"
	say "harvester $version started"
elif [ "$changed" = yes ] || [ "$config_changed" = yes ]; then
	systemctl restart harvester.service || die "harvester did not restart" "see: journalctl -u harvester -n 50"
	say "harvester $version restarted"
else
	say "nothing changed: harvester $version is installed and running"
fi
