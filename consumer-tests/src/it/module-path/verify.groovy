// Runs the consumer's module on the module path only: target/classes and its runtime dependencies (target/modules),
// no class path and no --add-modules. Before the library had module-info.class, this failed with
// NoClassDefFoundError: org/snakeyaml/engine/... (an automatic module's requirements are not resolved).
import java.util.concurrent.TimeUnit

def java = new File(System.getProperty('java.home'), 'bin/java').path
def modulePath = [new File(basedir, 'target/classes'), new File(basedir, 'target/modules')].join(File.pathSeparator)
def command = [java, '-XX:TieredStopAtLevel=1', '-Dscompose.runtime=fake', '--module-path', modulePath,
               '--module', 'org.example.modular/org.example.modular.ModularStack']
def pb = new ProcessBuilder(command).redirectErrorStream(true)
pb.environment().remove('CLASSPATH')
pb.environment().put('XDG_STATE_HOME', new File(basedir, 'target/state').path)
def process = pb.start()
def output = new StringBuilder()
def reader = Thread.start { output << process.inputStream.text }
assert process.waitFor(120, TimeUnit.SECONDS) : "the modular consumer did not end within 120 s:\n${output}"
reader.join()
new File(basedir, 'target/modular-run.txt').text = output.toString()
assert process.exitValue() == 0 : "the modular consumer failed (exit ${process.exitValue()}):\n${output}"
assert output.contains('modular consumer: OK') : output
