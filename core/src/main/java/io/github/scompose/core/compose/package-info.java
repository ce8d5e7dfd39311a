/**
 * The compose engine: {@code up}, {@code down}, {@code ps}, {@code logs}, {@code exec} of a loaded
 * {@link io.github.scompose.spec.ComposeProject} over the instance client.
 *
 * <p>Plan first, then execute: {@link io.github.scompose.core.compose.UpPlanner} turns a project,
 * the {@link io.github.scompose.core.compose.RuntimeFacts} and a {@link
 * io.github.scompose.network.NetworkPlan} into an immutable {@link
 * io.github.scompose.core.compose.UpPlan} (printable as a dry run); {@link
 * io.github.scompose.core.compose.Compose} executes it and returns a {@link
 * io.github.scompose.core.compose.ComposeStack}, an {@code AutoCloseable} handle whose {@code
 * close()} is {@code down}.
 *
 * <pre>{@code
 * ComposeProject project = ComposeLoader.defaults().load(Path.of("singularity-compose.yml"));
 * try (ComposeStack stack = Compose.builder().client(SingularityClient.discover(transport)).build()
 *     .up(project)) {
 *   System.out.println(stack.ps());
 * }
 * }</pre>
 *
 * <h2>What the engine does</h2>
 *
 * <p><b>up</b> plans ({@link Compose#plan}, which takes no lease and writes nothing) then executes:
 * takes the plan's address leases (with a lease store), writes the hosts/resolver files into the
 * state directory (atomically), pulls or builds missing images, then starts the instances level by
 * level — the instances of one level in parallel, at most {@link Compose.Builder#parallelism} at a
 * time on the {@link Compose.Builder#executor}; a level starts when the previous level's starts
 * have returned (a {@code STARTED} event each). <em>One</em> {@code instance list} after the last
 * level confirms that every instance is listed and its PID alive (the real SingularityCE 3.4.2 may
 * print "instance started successfully" for an instance that is already dead) — earlier only before
 * a level that waits for a started instance with a condition other than {@code service_started} (a
 * healthcheck gate) or after a level with after-start steps — so an {@code up} of N instances makes
 * N + 2 binary calls: one listing to plan, N starts, one confirming listing (issue 11); with a
 * local SingularityCE 3.0-3.4 the listings read the binary's instance records instead ({@code
 * SingularityClient.list}), so only the N starts run the binary. A dead one is started again, up to
 * {@link Compose.Builder#startupAttempts} attempts (default 3, Testcontainers' {@code
 * withStartupAttempts}), with one more listing per round of retries; instances of later levels may
 * then already have started. {@code service_healthy} dependencies wait for the dependency's
 * healthcheck, run through {@code exec} at its interval, retries and start period on the injected
 * clock. A dependency whose start fails (also after every startup attempt) while every {@code
 * depends_on} naming it says {@code required: false} gives a {@code FAILED} event and a warning,
 * stays recorded as exited, and its dependents start (Compose Specification {@code
 * depends_on.required}); any {@code required: true} naming it, or none at all, fails {@code up}.
 * The state file {@code .scompose/state.json} is rewritten atomically before and after each level's
 * starts and after each confirmation (an instance is recorded as starting until confirmed).
 *
 * <p><b>Crash safety (write-ahead)</b>: before a level's {@code instance start}s are issued, its
 * instances are written into the state file as <em>starting</em> (one atomic write under the state
 * directory's lock before the level's starts, one after them; the instance records {@code
 * instances.json} are written before the first start), so a JVM killed at any moment of {@code up}
 * leaves a state file that names every instance it may have started: {@code down} stops each
 * recorded instance whether its start was confirmed or not. One recorded as starting that is not
 * there is not counted gone at once: the {@code instance start} child of the dead JVM may still be
 * running, so {@code down} polls the listing (one {@code instance list} per poll interval) until it
 * appears (and stops it) or until {@link Compose.Builder#startingGrace} (default 10 s) after the
 * entry was written ahead ({@code startingSince} in the state file). A later {@code up} that meets
 * an instance of its own name which the state does not show running (recorded as starting, or named
 * only by the records, or any after a damaged state file of the project was set aside in this run)
 * adopts it when what was recorded for it — the config digest in the state file, else the start
 * command in the records — matches what it would start now, and otherwise stops it and starts it
 * again; a {@link ComposeEvent.Type#RECOVERED} event and an INFO line say which. An instance of the
 * same name that neither the state nor the records name is another project's (the same project name
 * in another directory, or project {@code a} with service {@code b-web} next to project {@code a-b}
 * with service {@code web}): it is left running and the start fails with the binary's "already
 * exists".
 *
 * <p><b>Damaged state</b>: a {@code state.json} or {@code instances.json} that is not UTF-8, not
 * JSON or not a file of this format raises {@link DamagedStateException}, whose message names the
 * file and says what is wrong in words. {@code down} gets past it (see {@link
 * Compose#down(java.nio.file.Path)}: the project's instances are found by name in one listing, the
 * damaged file is kept as {@code .bak}); so does {@code up}, as docker compose (which keeps no
 * state file) would: it keeps the damaged file as {@code .bak} and reconciles from the listing
 * (adopting or recreating what runs under the project's names). {@code ps}, {@code stop}, {@code
 * start}, {@code create} and {@code logs} throw it.
 *
 * <p><b>Reconcile</b>: a repeat {@code up} (also after the JVM of the first one died) keeps an
 * instance that still runs and is unchanged, starts again one that is gone, and stops and recreates
 * one that changed: its start command, environment or after-start steps (a digest in the state
 * file), or its image — the size and modification time of the local SIF or sandbox it starts from
 * (for an {@code image:} URI, the pulled SIF), read once per distinct image per {@code up} through
 * the transport ({@link io.github.scompose.core.transport.Transport#stat}) on the host where the
 * binary runs, so a SIF rebuilt or pulled again at the same path recreates its service's instances.
 * The reason ("image changed (PATH: ...)") is in the {@code STOPPING}/{@code STOPPED} events and an
 * INFO log line. A stamp that is unknown (a state file written before stamps were recorded, an
 * image that cannot be looked at) counts as unchanged. Over SSH the modification time has whole
 * seconds: a rebuild within the same second to the same size goes unseen.
 *
 * <p><b>Failure is atomic</b>: when any step fails, every instance this {@code up} started is
 * stopped (highest level first; an instance whose start threw, e.g. on a transport timeout, counts
 * as started). A first {@code up} then releases the project's address leases and removes the state
 * and records files; a repeat {@code up} writes the earlier state and records back, so the earlier
 * instances keep running, recorded, with their leases. A {@link ComposeUpException} names the
 * instance, the command (secrets masked), its exit code and the end of the instance's logs. Nothing
 * the user owns is deleted. {@code up} of some services keeps the project's other running services
 * recorded.
 *
 * <p><b>Restart policies</b> ({@code restart:}, {@code deploy.restart_policy}) are kept while the
 * returned {@link ComposeStack} is open, by a supervisor that takes one {@code instance list} per
 * round for the whole project (see {@link Compose.Builder#supervisionInterval}); restarts are
 * counted in {@link InstanceStatus#restarts()}.
 *
 * <p><b>down</b> reads the state file (so it works from another process, or after the JVM that ran
 * {@code up} died), first marks every instance stopped in the records under the state directory's
 * lock (so a restart supervisor, in any process, restarts none of them while down is under way),
 * then stops the instances highest level first, each level in parallel, waits until the listing no
 * longer shows them, releases the leases and removes the state file and the instance records. Named
 * volumes stay.
 *
 * <p><b>Other operations</b> (all work from any process, through the state directory): {@link
 * Compose#stop} and {@link Compose#start} / {@link Compose#restart} of named services or all (stop:
 * dependents first; start: dependencies first, with the start commands {@code up} recorded in
 * {@code .scompose/instances.json}, so addresses do not change); {@link Compose#create} ({@code up
 * --no-start}); {@link Compose#pull}, {@link Compose#build} and {@link Compose#images} of the
 * planned image steps; a one-off {@link Compose#run} of a service's image. {@link ComposeStack} has
 * them too, with merged and followed logs. *
 *
 * <h2>Operations</h2>
 *
 * <h3 id="planning">Planning</h3>
 *
 * The plan of {@code up}: one {@code instance list} (addresses in use, and which leases are live),
 * the network plan (with a {@link Compose.Builder#leases lease store}, only read: the addresses
 * {@code up} will lease, and its port conflicts), then {@link UpPlanner#plan}. No side effects: no
 * lease is taken and no file written ({@link Compose#up} and {@link Compose#create} take the
 * leases), so a dry run needs no {@link Compose#discard}.
 *
 * <p>Addresses: the instances the project's state file records keep their addresses when they are
 * still free (a running instance's listed address, else the recorded one), so that {@code up} again
 * on a bridge changes no argv and reconcile keeps what runs; addresses of other instances in the
 * listing are taken. A partial {@code up} ({@link PlanOptions#services()}): the recorded instances
 * it does not plan keep their addresses (never handed to a planned instance) and their lines in the
 * hosts file it writes. With a lease store, a lease of another project is live (never reclaimed)
 * while its instance is listed or recorded in that project's state file (a stopped instance keeps
 * its address for {@link Compose#start}).
 *
 * <h3 id="down">Down</h3>
 *
 * Stops what the state file under {@code projectDirectory} records (see the class comment).
 *
 * <p><b>A damaged state file</b> (not UTF-8, not JSON, not a state file: {@link
 * DamagedStateException}) does not stop {@code down}: it takes <em>one</em> {@code instance list};
 * when {@code instances.json} is readable it stops exactly the listed instances that file records;
 * else (both files damaged, or no records) it stops every listed instance named {@code
 * <project>-<service>-<n>} ({@link InstanceNaming#PROJECT}, any service: the project name here is
 * the directory's name as the loader derives it, {@link
 * io.github.scompose.spec.ComposeLoader#projectNameOf}) that no other project's lease or state
 * directory (known from the lease store's owner files) names, and the {@code RECOVERED} event lists
 * them. It releases the project's leases, and keeps the damaged file as {@code state.json.bak} (or
 * {@code .bak.N} when a backup exists; nothing is deleted). A damaged {@code instances.json} is
 * kept the same way. {@link ComposeEvent.Type#RECOVERED} events and WARN lines say what was found
 * and done. Give the project name ({@link Compose#down(java.nio.file.Path, String,
 * java.time.Duration, boolean)}) or the project ({@link
 * Compose#down(io.github.scompose.spec.ComposeProject, InstanceNaming, java.time.Duration,
 * boolean)}) when the directory's name is not it.
 *
 * <h3 id="stop">Stop</h3>
 *
 * {@code stop}: stops the running instances of {@code services} of the project recorded under
 * {@code projectDirectory} (all services when none are given), dependents first — the highest
 * dependency level first, the instances of one level in parallel — and waits until the listing no
 * longer shows them (at most the {@link Compose.Builder#goneWait gone-wait}). Unlike {@link
 * Compose#down}, the instances stay in the state file ({@code ps} shows them {@link
 * InstanceStatus.State#EXITED}), the address leases stay taken, and restart policies of an open
 * {@link ComposeStack} (in any process) leave them alone until {@link Compose#start}. Only the
 * named services are stopped, not what depends on them ({@code docker compose stop} does the same).
 *
 * <h3 id="start">Start</h3>
 *
 * {@code start}: starts the recorded instances of {@code services} (all when none are given) that
 * are not running, dependencies first — the lowest level first, each level in parallel — with the
 * start commands {@code up} (or {@link Compose#create}) recorded, so addresses, binds and options
 * do not change, even from another process. Before starting, the recorded hosts/resolver files and
 * named-volume folders are written again; secret files must be owner-only; an address that an
 * instance of another project uses now is refused. After each level, one {@code instance list}
 * confirms the starts like {@code up} does: a dead instance is started again, up to {@link
 * Compose.Builder#startupAttempts} attempts. Then the spec 2.0 {@code exec}/{@code run} steps
 * recorded for the started instances run again, as in {@code up} (background ones are launched and
 * not waited for; they end with their instance). The PIDs go into the state file.
 *
 * <p>{@code depends_on: condition: service_healthy} is honoured as in {@code up}: before an
 * instance starts, the recorded healthcheck of each instance it waits for runs through {@code exec}
 * (interval, retries, start period on the engine's clock) until it passes; a dependency that
 * neither runs nor is started by this {@code start} is refused at once. Records written by an older
 * version hold no waits: run {@code up} once to record them.
 *
 * <h3 id="create">Create</h3>
 *
 * {@code create} ({@code up --no-start}): everything {@code up} does before the first start, and
 * nothing started. Writes the hosts/resolver files into the state directory (atomically), creates
 * the named-volume folders, checks that secret files are owner-only, gets the missing images (in
 * parallel, at most {@link Compose.Builder#parallelism} at a time; {@code PULLING}/{@code
 * BUILDING}/{@code IMAGE_READY} events), then records the instances in the state file (so {@code
 * ps} shows them EXITED) with their start commands. {@link ComposeStack#start} (or {@link
 * Compose#start}, from any process) starts them; restart policies leave them alone until then. The
 * address leases it takes stay until {@link Compose#down}.
 *
 * <h3 id="pull">Pull</h3>
 *
 * {@code pull}: pulls the {@code image:} URIs of {@code services} (all when none are given) into
 * the SIF files {@code up} starts from (see {@link UpPlanner}), in parallel; a file that exists is
 * skipped ({@code IMAGE_READY} event "exists"). Services with a {@code build} or a local image path
 * have nothing to pull. Dependencies of the named services are not pulled.
 *
 * <h3 id="build">Build</h3>
 *
 * {@code build}: builds the {@code build} recipes of {@code services} (all when none are given)
 * into {@code <state>/images/<service>.sif} ({@code <context>/<recipe>}, default recipe {@code
 * Singularity}; {@code fakeroot} in {@code build.options} gives {@code --fakeroot}), exactly the
 * {@link ImageStep}s {@link UpPlanner} plans for {@code up}, in parallel. An image that exists is
 * skipped unless {@code force}, which passes {@code --force} (overwrite).
 *
 * <h3 id="images">Images</h3>
 *
 * {@code images}: per service of the project, in the project's order, where its image comes from,
 * the path instances start from, whether that path exists on the runtime's host, and its size in
 * bytes. Runs nothing but file checks ({@code stat}).
 *
 * <h3 id="one-off-run">One-off run</h3>
 *
 * One-off {@code run}: runs the runscript of {@code service}'s image — not in an instance — with
 * the service's binds, environment and options, as {@code docker compose run} does: {@code run
 * [binds…] [options…] IMAGE ARGS…}. The settings are those recorded for the service's first replica
 * when the project is up or created; else planned from {@code project} now (the image is pulled or
 * built first when missing, named-volume folders are created). No network namespace, address,
 * hostname or published port (the instances keep theirs); hosts/resolver binds are kept only when
 * their files exist. Environment values reach the container through the client's env mechanism,
 * never argv.
 *
 * <h3 id="exec">Exec</h3>
 *
 * {@code exec instance://NAME command…} in an instance of the project under {@code
 * projectDirectory}, with the environment the instance was started with (its service's {@code
 * environment}, {@code env_file} and the values {@code .env} gave them, as recorded in {@code
 * .scompose/instances.json}; also its env file and {@code --cleanenv}) plus {@link
 * InstanceCommand#environment()} over it, as {@code docker compose exec [-e K=V]} does. The binary
 * itself gives a later {@code exec} only the image's environment (recorded from SingularityCE
 * 3.4.2). Values go through the client's env mechanism (an env file {@code 0600} where the dialect
 * has {@code --env-file}, else {@code SINGULARITYENV_}/{@code APPTAINERENV_} in the binary's
 * environment), never argv.
 *
 * <h3 id="local">Local</h3>
 *
 * An engine for this machine with the default wiring ({@link ComposeWiring#system()}{@code
 * .local()}): the runtime chosen by the system property {@value RuntimeChoice#PROPERTY}, else the
 * environment variable {@value RuntimeChoice#VARIABLE}, else {@code auto} — {@code real}: the
 * binary found by {@link io.github.scompose.core.client.BinaryLocator} over a {@link
 * io.github.scompose.core.transport.LocalProcessTransport}; {@code fake}: the embedded fake runtime
 * of {@code scompose-testkit} (found through {@link EmbeddedRuntimeProvider}); {@code auto}: real
 * when a binary is found, else the fake. Root when this process's effective uid is 0, fakeroot when
 * the user has a subuid mapping, the per-user {@link io.github.scompose.network.LeaseStore}. In
 * jshell, with the jars on its class path (e.g. {@code jshell --class-path
 * samples/target/scompose.jar}, which holds all modules and the testkit's fake), the imports, then
 * three lines ({@code Path}: jshell's default start-up imports {@code java.nio.file.*}):
 *
 * <pre>{@code
 * import io.github.scompose.spec.ComposeLoader; import io.github.scompose.core.compose.Compose;
 * var project = ComposeLoader.defaults().load(Path.of("singularity-compose.yml"));
 * var stack = Compose.local().up(project);
 * stack.ps();  stack.close();
 * }</pre>
 */
package io.github.scompose.core.compose;
