#!/bin/sh
# examples/docker-entrypoint.sh - an ENTRYPOINT for a Kodus api or worker
# image: check the container's environment with kodus-envcheck, then run the
# image's CMD in place of this shell. In a Debian-based image:
#
#   # the kodus-envcheck .deb (or examples/Dockerfile's build stage), which
#   # brings libinih1, libcjson1 and, for the live check, libcurl4
#   COPY kodus-envcheck_*.deb /tmp/
#   RUN apt-get update && apt-get install -y /tmp/kodus-envcheck_*.deb \
#       && rm -rf /var/lib/apt/lists/* /tmp/kodus-envcheck_*.deb
#   COPY docker-entrypoint.sh /usr/local/bin/
#   ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
#   CMD ["node", "dist/main.js"]
#
# The exec form of ENTRYPOINT matters: the shell form would run this script
# under another "sh -c", which would then be PID 1 instead of the app.
#
# Inside the container the .env file is gone: docker compose (env_file: .env)
# or Kubernetes (envFrom) turned it into environment variables, so the check
# reads those (--environ), exactly as the app will see them.
#
# Settings, all optional, read from the environment:
#   KODUS_ENVCHECK_OFFLINE=1   lint only; skip the live check of the LLM
#                              provider (key, region, balance, model)
#   KODUS_ENVCHECK_WAIT=60     seconds the live check may keep retrying while
#                              the provider (or the network) is unreachable
#   KODUS_ENVCHECK_ALLOW_UNREACHABLE=1
#                              when no verdict can be had (exit status 3:
#                              network or provider down) start the app anyway,
#                              with a warning, instead of a restart loop; set
#                              it to 0 to refuse to start then
#   KODUS_ENVCHECK_STRICT=1    warnings stop the app too
#   KODUS_ENVCHECK_ARGS="..."  more options, split on blanks (no quoting), e.g.
#                              "--ignore unknown-variable --timeout 5"
#   KODUS_ENVCHECK_SKIP=1      no check at all: run the command directly
#   KODUS_ENVCHECK_MISSING=fail|run
#                              what to do when kodus-envcheck is not installed
#                              in the image. The default, fail, exits with
#                              status 127 without starting the app: an image
#                              built without the checker is a build mistake,
#                              and starting unchecked would hide it. run
#                              prints a warning and starts the app.
#
# Exit status when the app is not started: the checker's (1: fix the
# configuration, 2: bad option, 3: no verdict and unreachable not allowed),
# 127 when kodus-envcheck is missing, 2 when no command was given.
set -eu

me=docker-entrypoint.sh

if [ "$#" -eq 0 ]; then
	echo "$me: no command to run (set CMD in the image, or give one)" >&2
	exit 2
fi

if [ "${KODUS_ENVCHECK_SKIP:-0}" = 1 ]; then
	echo "$me: KODUS_ENVCHECK_SKIP=1: starting without the check" >&2
	exec "$@"
fi

if ! command -v kodus-envcheck >/dev/null 2>&1; then
	case ${KODUS_ENVCHECK_MISSING:-fail} in
	run)
		echo "$me: warning: kodus-envcheck is not installed;" \
		    "starting without the check (KODUS_ENVCHECK_MISSING=run)" >&2
		exec "$@"
		;;
	*)
		echo "$me: kodus-envcheck is not installed in this image;" \
		    "not starting '$1'. Install it, or set" \
		    "KODUS_ENVCHECK_MISSING=run (start unchecked) or" \
		    "KODUS_ENVCHECK_SKIP=1." >&2
		exit 127
		;;
	esac
fi

# The checker's command line is built from the back with `set --`, the only
# array POSIX sh has, so the app's arguments keep their exact words (spaces,
# quotes, globs and all).
#
# --exec must come last: kodus-envcheck takes everything after "--exec --" as
# the command. When the check passes it calls execvp() itself, without a fork,
# and this shell has already been replaced by kodus-envcheck (the exec below).
# So the app ends up with this script's PID: PID 1 in a container. It then
# receives docker stop's SIGTERM directly, and there is no shell in between
# that would not forward it (docker would SIGKILL the app after 10 s). As
# PID 1 the app must handle SIGTERM itself (the kernel applies no default
# action to PID 1); if it does not, run the container with --init (compose:
# init: true): tini is then PID 1 and the app its direct child.
set -- --exec -- "$@"

if [ "${KODUS_ENVCHECK_OFFLINE:-0}" = 1 ]; then
	set -- --offline "$@"
else
	if [ "${KODUS_ENVCHECK_ALLOW_UNREACHABLE:-1}" = 1 ]; then
		set -- --allow-unreachable "$@"
	fi
	set -- --wait "${KODUS_ENVCHECK_WAIT:-60}" "$@"
fi

if [ "${KODUS_ENVCHECK_STRICT:-0}" = 1 ]; then
	set -- --strict "$@"
fi

if [ -n "${KODUS_ENVCHECK_ARGS:-}" ]; then
	# Split on blanks on purpose, with globbing off so that no word is
	# taken as a file pattern.
	set -f
	# shellcheck disable=SC2086
	set -- $KODUS_ENVCHECK_ARGS "$@"
	set +f
fi

exec kodus-envcheck check --environ "$@"
