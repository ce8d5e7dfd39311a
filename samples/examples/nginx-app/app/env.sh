#!/bin/sh
# Sourced by every process of the `app` instance (bound to /.singularity.d/env/90-app.sh).
APP_PORT=8000
APP_GREETING="hello from the app instance"
export APP_PORT APP_GREETING
