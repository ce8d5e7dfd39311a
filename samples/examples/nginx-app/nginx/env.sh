#!/bin/sh
# Sourced by every process of the `nginx` instance (bound to /.singularity.d/env/90-nginx.sh).
NGINX_ENTRYPOINT_QUIET_LOGS=1
UPSTREAM=app:8000
export NGINX_ENTRYPOINT_QUIET_LOGS UPSTREAM
