// Load a compose file, bring it up, exec into an instance, take it down — in a few lines.
// Runs on the testkit's in-memory fake runtime, so it works without apptainer/singularity.
// From the repository root, after `mvn -B -q -DskipTests package`:
//
//   jshell --class-path samples/target/scompose.jar samples/jshell/stack.jsh
//
import io.github.scompose.spec.*;
import io.github.scompose.core.client.*;
import io.github.scompose.core.compose.*;
import io.github.scompose.testkit.*;
import java.nio.file.*;

var project = ComposeLoader.defaults().load(Path.of("samples/examples/nginx-app/singularity-compose.yml"));
// (jshell ends a statement at a line end where it can: chained calls keep the dot at the line's end)
// directory-backed: every emulated instance is a real, harmless host process (the engine checks PIDs)
var fake = FakeRuntime.builder().anyImageExists().stateDirectory(Files.createTempDirectory("scompose-jshell")).
    respondToExec("*", List.of("nginx", "-t"), ScriptedResponse.ok("nginx: configuration file /etc/nginx/nginx.conf test is successful")).
    respondToExec("*", List.of("nginx", "-v"), ScriptedResponse.ok("nginx version: nginx/1.27.3")).
    build();
var client = SingularityClient.builder().
    transport(fake.transport()).
    binary(BinaryLocator.builder().explicitPath("apptainer").build().locate(fake.transport())).
    hostIdentity(HostIdentity.of(fake.homeDirectory(), "fakehost", System.getProperty("user.name"))).
    build();
var stack = Compose.builder().client(client).build().up(project);
stack.ps().forEach(i -> System.out.println(i.name() + " " + i.state() + " pid " + i.pid().getAsLong()));
System.out.println(stack.exec("nginx", "nginx", "-v").stdout());
System.out.println("stopped: " + stack.down());
fake.close();
/exit
