/**
 * {@code scompose serve FOLDER}: a folder of Singularity images as a web page and a JSON API, with
 * typed runscript arguments declared by the labels {@code SINGULARITY_RUNSCRIPT_ARG_STR}, {@code
 * _INT}, {@code _FLOAT}, {@code _BOOL} — the "Serving Singularity Containers" seed, built on the
 * SDK's {@link io.github.scompose.core.client.SingularityClient} ({@code inspect --json --labels},
 * {@code inspect --runscript}, {@code run}) so it works on a local binary, over SSH and on the
 * testkit's fake runtime alike.
 *
 * <p>{@link io.github.scompose.samples.serve.ImageFolder} lists the images; {@link
 * io.github.scompose.samples.serve.RunscriptArguments} reads the declared arguments and checks
 * given values (the only way a value reaches argv); {@link
 * io.github.scompose.samples.serve.ImageCatalog} inspects and runs through the client, bounded in
 * parallel runs and time; {@link io.github.scompose.samples.serve.ImageServer} answers HTTP.
 *
 * <p><b>Why the JDK's HTTP server.</b> {@code com.sun.net.httpserver} ships with every JDK 17
 * (module {@code jdk.httpserver}, a supported, exported API), so the sample adds no web framework,
 * no servlet container and nothing to keep up to date to the CLI jar; the sample needs only a
 * handful of routes, a thread pool it sizes itself (so that runs beyond {@code --max-parallel} are
 * still answered 503), and plain responses. Pages are rendered on the server (escaped by hand: five
 * characters) with one static stylesheet and one small script, so there is no build step. JSON is
 * read and written with Jackson databind, a well-kept library, never by hand.
 */
package io.github.scompose.samples.serve;
