/**
 * YAML documents as a small located tree ({@link io.github.scompose.spec.internal.yaml.YNode}),
 * composed by snakeyaml-engine's node API with safety limits (size, aliases, expanded nodes), merge
 * keys and duplicate-key detection. Not API.
 */
package io.github.scompose.spec.internal.yaml;
