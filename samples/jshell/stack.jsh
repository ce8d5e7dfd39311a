// Load a compose file, bring it up, exec into an instance, take it down — in a few lines.
// Runs on the testkit's fake runtime, so it works without apptainer/singularity: its state lives in
// a temporary folder and every emulated instance is a real, harmless host process (`sleep`).
// The example is copied to that temporary folder first, so the images the fake "pulls" and the
// .scompose/ state folder never land in the checkout; the folder is deleted at the end.
// From the repository root, after `mvn -B -q -DskipTests package`:
//
//   jshell --class-path samples/target/scompose.jar samples/jshell/stack.jsh
//
import io.github.scompose.spec.*;
import io.github.scompose.core.client.*;
import io.github.scompose.core.compose.*;
import io.github.scompose.network.*;
import io.github.scompose.testkit.*;
import java.nio.file.*;

var work = Files.createTempDirectory("scompose-jshell");
var source = Path.of("samples/examples/nginx-app");
for (Path p : Files.walk(source).toList()) {
  var target = work.resolve("nginx-app").resolve(source.relativize(p).toString());
  if (Files.isDirectory(p)) Files.createDirectories(target); else Files.copy(p, target);
}
var project = ComposeLoader.defaults().load(work.resolve("nginx-app/singularity-compose.yml"));
// (jshell ends a statement at a line end where it can: chained calls keep the dot at the line's end)
var fake = FakeRuntime.builder().anyImageExists().stateDirectory(work.resolve("fake-runtime")).
    respondToExec("*", List.of("nginx", "-t"), ScriptedResponse.ok("nginx: configuration file /etc/nginx/nginx.conf test is successful")).
    respondToExec("*", List.of("nginx", "-v"), ScriptedResponse.ok("nginx version: nginx/1.27.3")).
    build();
var client = SingularityClient.builder().
    transport(fake.transport()).
    binary(BinaryLocator.builder().explicitPath("apptainer").build().locate(fake.transport())).
    hostIdentity(HostIdentity.of(fake.homeDirectory(), "fakehost", System.getProperty("user.name"))).
    build();
// the fake's instances bind no host port: plan published ports against the fake, not this host
var compose = Compose.builder().client(client).
    networkPlanner(NetworkPlanner.create().withHostPorts(fake.hostPorts())).
    build();
var stack = compose.up(project);
stack.ps().forEach(i -> System.out.println(i.name() + " " + i.state() + " pid " + i.pid().getAsLong()));
System.out.println(stack.exec("nginx", "nginx", "-v").stdout());
System.out.println("stopped: " + stack.down());
fake.close(); // ends any emulated instance still running, also after an error above
for (Path p : Files.walk(work).sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
/exit
