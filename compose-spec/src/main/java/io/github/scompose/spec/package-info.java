/**
 * The compose-file model and loader: singularity-compose (spec 1.0, 2.0) and the {@code services}
 * subset of docker-compose, parsed into an immutable, validated project model.
 */
package io.github.scompose.spec;
