#!/usr/bin/env bash
# The image's HEALTHCHECK, for either role: healthy when GET /healthcheck answers 200 on the agent's port
# (SNYK_PORT) or on the client's (PORT). Plain HTTP over bash's /dev/tcp: the JRE image has no curl.
set -u
answers_200() {
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET /healthcheck HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  local code
  read -r -t 4 _ code _ <&3 || return 1
  [[ $code == 200 ]]
}
answers_200 "${SNYK_PORT:-17500}" 2>/dev/null || answers_200 "${PORT:-7341}" 2>/dev/null
