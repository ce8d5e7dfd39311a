package io.github.scompose.samples.bench;

import io.github.scompose.network.AddressAllocator;
import io.github.scompose.network.Cidr;
import io.github.scompose.network.HostsFile;
import io.github.scompose.network.InstanceAddress;
import io.github.scompose.network.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Speed goals of the network module (issue 3): allocate 65,000 addresses in a /16 in at most 50 ms,
 * render a 10,000-entry hosts file in at most 20 ms. Run with {@code java -jar
 * samples/target/benchmarks.jar Network -f 1 -wi 3 -i 5}; scores are milliseconds per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class NetworkBenchmark {

  private AddressAllocator allocator;
  private List<String> names65k;
  private List<InstanceAddress> instances10k;
  private HostsFile hosts10k;

  /** Builds the inputs once: 65,000 instance names and 10,000 instance addresses. */
  @Setup
  public void setUp() {
    allocator = AddressAllocator.of(Cidr.parse("10.22.0.0/16"));
    names65k = new ArrayList<>(65_000);
    for (int i = 1; i <= 65_000; i++) {
      names65k.add("svc" + i);
    }
    Map<String, IpAddress> ips = allocator.allocate(names65k.subList(0, 10_000), Set.of());
    instances10k = new ArrayList<>(10_000);
    for (int i = 1; i <= 10_000; i++) {
      String name = "svc" + i;
      instances10k.add(
          InstanceAddress.builder()
              .service("svc" + (i + 1) / 2)
              .instance(name)
              .replica(2 - i % 2)
              .address(ips.get(name))
              .build());
    }
    hosts10k = HostsFile.forProject(instances10k, List.of());
  }

  /** Goal ≤ 50 ms: 65,000 addresses of 10.22.0.0/16, gateway reserved. */
  @Benchmark
  public Map<String, IpAddress> allocate65000InSlash16() {
    return allocator.allocate(names65k, Set.of());
  }

  /** Goal ≤ 20 ms: build (aliases, duplicate checks) and render a 10,000-instance hosts file. */
  @Benchmark
  public String buildAndRenderHostsFile10000() {
    return HostsFile.forProject(instances10k, List.of()).render();
  }

  /** Rendering alone, of a prebuilt 10,000-instance hosts file. */
  @Benchmark
  public String renderHostsFile10000() {
    return hosts10k.render();
  }

  /** Parsing the rendered 10,000-instance hosts file back. */
  @Benchmark
  public HostsFile parseHostsFile10000() {
    return HostsFile.parse(hosts10k.render());
  }
}
