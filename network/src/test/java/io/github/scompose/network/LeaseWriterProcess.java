package io.github.scompose.network;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A separate JVM that uses a {@link LeaseStore}, started by {@link LeaseStoreProcessTest}.
 *
 * <ul>
 *   <li>{@code allocate FILE PROJECT_PREFIX PROJECTS INSTANCES}: waits for a line on stdin (the
 *       start signal shared by all children), then leases {@code INSTANCES} addresses for each of
 *       {@code PROJECTS} projects and prints {@code PROJECT INSTANCE ADDRESS} per lease.
 *   <li>{@code churn FILE}: leases and releases big projects forever, printing {@code wrote N}
 *       after each write, until killed.
 * </ul>
 */
public final class LeaseWriterProcess {

  private LeaseWriterProcess() {}

  public static void main(String[] args) throws Exception {
    LeaseStore store = LeaseStore.open(Path.of(args[1]));
    AddressAllocator allocator = AddressAllocator.of(Cidr.parse("10.22.0.0/16"));
    if (args[0].equals("allocate")) {
      String prefix = args[2];
      int projects = Integer.parseInt(args[3]);
      int instances = Integer.parseInt(args[4]);
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      StringBuilder out = new StringBuilder();
      for (int p = 0; p < projects; p++) {
        String project = prefix + "-" + p;
        List<String> names = IntStream.rangeClosed(1, instances).mapToObj(i -> "web" + i).toList();
        Map<String, IpAddress> got =
            store.lease(project, allocator, names, Set.of(), LeaseLiveness.assumeAlive());
        got.forEach(
            (k, v) -> out.append(project).append(' ').append(k).append(' ').append(v).append('\n'));
      }
      System.out.print(out);
      System.out.flush();
    } else {
      List<String> names = IntStream.rangeClosed(1, 3000).mapToObj(i -> "inst" + i).toList();
      for (long n = 1; ; n++) {
        String project = "churn-" + (n % 4);
        if (n % 2 == 0) {
          store.release(project);
        } else {
          store.lease(project, allocator, names, Set.of(), LeaseLiveness.assumeAlive());
        }
        System.out.println("wrote " + n);
        System.out.flush();
      }
    }
  }
}
