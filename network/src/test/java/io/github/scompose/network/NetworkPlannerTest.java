package io.github.scompose.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkPlannerTest {

  @TempDir Path dir;

  /** Host ports without sockets: {@code busy} are in use; free ports are handed out from 40000. */
  record FakeHostPorts(Set<Integer> busy) implements HostPorts {
    @Override
    public boolean isFree(Protocol protocol, Optional<IpAddress> hostIp, int port) {
      return !busy.contains(port);
    }

    @Override
    public int findFree(Protocol protocol, Optional<IpAddress> hostIp, Set<Integer> exclude) {
      int p = 40000;
      while (busy.contains(p) || exclude.contains(p)) {
        p++;
      }
      return p;
    }
  }

  private NetworkPlanner planner(Integer... busy) {
    return NetworkPlanner.create()
        .withHostPorts(new FakeHostPorts(Set.of(busy)))
        .withUnprivilegedPortStart(1024);
  }

  private NetworkRequest.Builder request() throws IOException {
    return request("8080:80");
  }

  /** web1 publishes {@code webPort}; db1 publishes nothing. */
  private NetworkRequest.Builder request(String webPort) throws IOException {
    Path resolv = dir.resolve("resolv.conf");
    Files.writeString(resolv, "nameserver 10.1.0.53\nsearch cluster.example.org\n");
    return NetworkRequest.builder()
        .project("demo")
        .hostResolvConf(resolv)
        .upstreamResolvConf(dir.resolve("none"))
        .addInstance(
            InstanceRequest.builder()
                .service("web")
                .instance("web1")
                .addPort(PortPublication.parse(webPort))
                .build())
        .addInstance(InstanceRequest.of("db", "db1"));
  }

  @Test
  void rootGetsTheBridgeWithFixedAddressesPortmapsHostnameAndBinds() throws IOException {
    NetworkPlan plan = planner().plan(request().root(true).build());
    assertEquals(NetworkMode.BRIDGE, plan.mode());
    assertEquals(
        "no network mode requested, running as root: bridge network 'bridge'", plan.reason());
    // the shape of the recorded SingularityCE 3.4.2 command line
    assertEquals(
        List.of(
            "--net",
            "--network",
            "bridge",
            "--network-args",
            "IP=10.22.0.2",
            "--network-args",
            "portmap=8080:80/tcp",
            "--hostname",
            "web1"),
        plan.instance("web1").singularityFlags());
    assertEquals(
        List.of(
            "--net", "--network", "bridge", "--network-args", "IP=10.22.0.3", "--hostname", "db1"),
        plan.instance("db1").singularityFlags());
    assertEquals(
        List.of(
            FileBind.of("etc.hosts", "/etc/hosts"), FileBind.of("resolv.conf", "/etc/resolv.conf")),
        plan.instance("db1").binds());
    assertEquals(
        List.of("etc.hosts", "resolv.conf"),
        plan.files().stream().map(PlannedFile::fileName).toList());
    assertTrue(plan.files().get(0).content().contains("10.22.0.2\tweb1 web\n10.22.0.3\tdb1 db\n"));
    assertEquals(
        "nameserver 10.1.0.53\nsearch cluster.example.org\n", plan.files().get(1).content());
    assertEquals(List.of(), plan.notes());
  }

  @Test
  void rootlessWithoutFakerootGetsHostNetworkingWithLoopbackNames() throws IOException {
    NetworkPlan plan = planner().plan(request("8080:8080").build());
    assertEquals(NetworkMode.HOST, plan.mode());
    assertEquals("not root and no fakeroot: host networking", plan.reason());
    assertEquals(List.of(), plan.instance("web1").singularityFlags());
    assertEquals(Optional.empty(), plan.instance("web1").hostname());
    assertEquals(List.of(FileBind.of("etc.hosts", "/etc/hosts")), plan.instance("web1").binds());
    assertEquals(HostsFileTest.golden("host-mode.hosts"), plan.files().get(0).content());
    assertEquals(
        List.of(
            PublishedPort.builder()
                .hostPort(8080)
                .containerPort(8080)
                .protocol(Protocol.TCP)
                .build()),
        plan.instance("web1").ports());
    assertEquals(List.of(), plan.notes());
  }

  // ---- settings the mode cannot honour: errors before anything is leased ---------------------

  private static String problem(NetworkPlanner planner, NetworkRequest r) {
    NetworkModeException e = assertThrows(NetworkModeException.class, () -> planner.plan(r));
    assertEquals(1, e.problems().size(), e.problems().toString());
    assertEquals(e.problems().get(0), e.getMessage());
    return e.getMessage();
  }

  @Test
  void rootlessHostNetworkingRefusesARemappedPortNamingServiceMappingAndWhy() throws IOException {
    assertEquals(
        "service web: ports \"18090:8080\" cannot be published: host networking (not root, no"
            + " fakeroot) shares the host's ports, so the instance listens on 8080 itself; publish"
            + " \"8080:8080\", or run as root for a bridge with portmap",
        problem(planner(), request("18090:8080").build()));
    assertEquals(
        "service web: ports \"5353:53/udp\" cannot be published: host networking (bridge"
            + " requested, but not root and no fakeroot) shares the host's ports, so the instance"
            + " listens on 53 itself, and 53 is a privileged port (below 1024,"
            + " net.ipv4.ip_unprivileged_port_start) that an instance not run by root cannot"
            + " listen on; make the service listen on a port of 1024 or above, or run as root for"
            + " a bridge with portmap",
        problem(planner(), request("5353:53/udp").requestedMode(NetworkMode.BRIDGE).build()));
  }

  @Test
  void rootlessPrivilegedPortIsReportedAsPrivilegedNotAsInUse() throws IOException {
    // the case: nothing listens on 80, but the port is below the threshold
    assertEquals(
        "service web: ports \"18090:80\" cannot be published: host networking (not root, no"
            + " fakeroot) shares the host's ports, so the instance listens on 80 itself, and 80 is"
            + " a privileged port (below 1024, net.ipv4.ip_unprivileged_port_start) that an"
            + " instance not run by root cannot listen on; make the service listen on a port of"
            + " 1024 or above, or run as root for a bridge with portmap",
        problem(planner(80), request("18090:80").build()));
    assertEquals(
        "service web: ports \"80:80\" cannot be published: host networking (not root, no"
            + " fakeroot) shares the host's ports, so the instance listens on 80 itself, and 80 is"
            + " a privileged port (below 1024, net.ipv4.ip_unprivileged_port_start) that an"
            + " instance not run by root cannot listen on; make the service listen on a port of"
            + " 1024 or above, or run as root for a bridge with portmap",
        problem(planner(80), request("80:80").build()));
    // the threshold is the host's: with ip_unprivileged_port_start = 80, port 80 is fine
    NetworkPlan plan = planner().withUnprivilegedPortStart(80).plan(request("80").build());
    assertEquals(80, plan.instance("web1").ports().get(0).hostPort());
  }

  @Test
  void rootInHostNetworkingMayUsePrivilegedPortsButNotRemapThem() throws IOException {
    NetworkRequest host =
        request("80:80")
            .root(true)
            .requestedMode(NetworkMode.HOST)
            .requestReason("network type host")
            .build();
    assertEquals("host networking: network type host", planner().plan(host).reason());
    assertEquals(
        "service web: ports \"8080:80\" cannot be published: host networking (network type"
            + " host) shares the host's ports, so the instance listens on 80 itself; publish"
            + " \"80:80\", or use a bridge network (as root, or with fakeroot) for portmap",
        problem(
            planner(),
            request("8080:80")
                .root(true)
                .requestedMode(NetworkMode.HOST)
                .requestReason("network type host")
                .build()));
  }

  @Test
  void bridgeAsRootOrWithFakerootPublishesRemappedAndPrivilegedPorts() throws IOException {
    for (boolean root : new boolean[] {true, false}) {
      NetworkPlan plan =
          planner().plan(request("18090:80").root(root).fakerootAllowed(!root).build());
      assertEquals(NetworkMode.BRIDGE, plan.mode());
      assertTrue(plan.instance("web1").networkArgs().contains("portmap=18090:80/tcp"));
      plan = planner().plan(request("80:80").root(root).fakerootAllowed(!root).build());
      assertTrue(plan.instance("web1").networkArgs().contains("portmap=80:80/tcp"));
    }
  }

  /**
   * The fakeroot network is SingularityCE's {@code 40_fakeroot.conflist}, host-local range {@code
   * 10.23.0.0/16} (checked on a real SingularityCE 3.4.2 built from source: an address of the
   * bridge's 10.22.0.0/16 was refused there with "failed to allocate all requested IPs").
   */
  @Test
  void fakerootInstancesGetAddressesOfTheFakerootNetwork() throws IOException {
    NetworkPlan fakeroot = planner().plan(request().fakerootAllowed(true).build());
    assertEquals(java.util.Optional.of(Cidr.parse("10.23.0.0/16")), fakeroot.cidr());
    assertTrue(
        fakeroot.instance("web1").networkArgs().stream().anyMatch(a -> a.startsWith("IP=10.23.0.")),
        fakeroot.instance("web1").networkArgs().toString());
    NetworkPlan root = planner().plan(request().root(true).build());
    assertTrue(
        root.instance("web1").networkArgs().stream().anyMatch(a -> a.startsWith("IP=10.22.0.")),
        root.instance("web1").networkArgs().toString());
  }

  /**
   * The threshold is read whole from the sysctl file: a one-byte-first reader got "1" of "1024"
   * there (seen on Linux 6.18 as an ordinary user, so port 80 passed as unprivileged).
   */
  @Test
  void thePrivilegedThresholdIsReadWholeFromTheSysctlFile() throws IOException {
    java.nio.file.Path file = NetworkPlanner.UNPRIVILEGED_PORT_START_FILE;
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isReadable(file), file + " is absent: nothing to compare");
    byte[] buffer = new byte[64];
    int n;
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      n = in.read(buffer);
    }
    int expected = Integer.parseInt(new String(buffer, 0, n, StandardCharsets.US_ASCII).trim());
    assertEquals(expected, NetworkPlanner.readUnprivilegedPortStart(file));
  }

  @Test
  void anInstanceOutsideTheBridgeFollowsTheHostRules() throws IOException {
    NetworkRequest r =
        request()
            .root(true)
            .addInstance(
                InstanceRequest.builder()
                    .service("proxy")
                    .instance("proxy1")
                    .hostNetwork(true)
                    .addPort(PortPublication.parse("8443:443"))
                    .build())
            .build();
    assertEquals(
        "service proxy: ports \"8443:443\" cannot be published: the instance stays in the host's"
            + " network (network.enable: false), which shares the host's ports, so the instance"
            + " listens on 443 itself; publish \"443:443\", or enable the service's network for a"
            + " bridge with portmap",
        problem(planner(), r));
  }

  @Test
  void unprivilegedPortStartIsReadFromTheKernelFileElse1024() throws IOException {
    Path f = dir.resolve("ip_unprivileged_port_start");
    Files.writeString(f, "80\n");
    assertEquals(80, NetworkPlanner.readUnprivilegedPortStart(f));
    Files.writeString(f, "garbage");
    assertEquals(1024, NetworkPlanner.readUnprivilegedPortStart(f));
    assertEquals(1024, NetworkPlanner.readUnprivilegedPortStart(dir.resolve("absent")));
    assertThrows(IllegalArgumentException.class, () -> planner().withUnprivilegedPortStart(-1));
  }

  @Test
  void fakerootJoinsTheFakerootNetwork() throws IOException {
    NetworkPlan plan = planner().plan(request().fakerootAllowed(true).build());
    assertEquals(NetworkMode.BRIDGE, plan.mode());
    assertEquals(
        "no network mode requested, not root but fakeroot allowed: bridge network 'fakeroot' with"
            + " --fakeroot",
        plan.reason());
    assertEquals(
        List.of(
            "--fakeroot",
            "--net",
            "--network",
            "fakeroot",
            "--network-args",
            "IP=10.23.0.3",
            "--hostname",
            "db1"),
        plan.instance("db1").singularityFlags());
  }

  @Test
  void bridgeRequestedWithoutPrivilegesFallsBackAndSaysSo() throws IOException {
    NetworkPlan plan =
        planner().plan(request("8080:8080").requestedMode(NetworkMode.BRIDGE).build());
    assertEquals(NetworkMode.HOST, plan.mode());
    assertEquals("bridge requested, but not root and no fakeroot: host networking", plan.reason());
    assertTrue(plan.notes().get(0).startsWith("bridge networking needs root or --fakeroot"));
  }

  @Test
  void noneIsLoopbackOnly() throws IOException {
    NetworkPlan plan =
        planner()
            .plan(
                request("8080:80")
                    .root(true)
                    .requestedMode(NetworkMode.NONE)
                    .build()
                    .withInstances(
                        InstanceRequest.of("web", "web1"), InstanceRequest.of("db", "db1")));
    assertEquals("network none requested: loopback only", plan.reason());
    assertEquals(
        List.of("--net", "--network", "none", "--hostname", "db1"),
        plan.instance("db1").singularityFlags());
    assertEquals(List.of(), plan.files());
    assertEquals(
        "service web: ports \"8080:80\" cannot be published: network none (requested) has"
            + " loopback only and publishes nothing; remove the mapping, or use a bridge network"
            + " (as root, or with fakeroot) for portmap",
        problem(planner(), request().root(true).requestedMode(NetworkMode.NONE).build()));
  }

  @Test
  void ipv6BridgeAndCustomGateway() throws IOException {
    NetworkPlan plan =
        planner()
            .plan(
                request()
                    .root(true)
                    .cidr(Cidr.parse("fd00:22::/64"))
                    .gateway(IpAddress.parse("fd00:22::2"))
                    .build());
    assertEquals(Optional.of(IpAddress.parse("fd00:22::1")), plan.instance("web1").address());
    assertEquals("IP=fd00:22::3", plan.instance("db1").networkArgs().get(0));
  }

  @Test
  void portClashesInsideTheProjectAndOnTheHostAreAllReported() throws IOException {
    NetworkRequest r =
        request()
            .root(true)
            .addInstance(
                InstanceRequest.builder()
                    .service("api")
                    .instance("api1")
                    .addPort(PortPublication.parse("8080:81"))
                    .addPort(PortPublication.parse("9000-9001:9000-9001/udp"))
                    .build())
            .build();
    PortConflictException e =
        assertThrows(PortConflictException.class, () -> planner(9001).plan(r));
    assertEquals(
        List.of(
            "host port 8080/tcp is published by both web1 and api1",
            "host port 9001/udp of api1 is already in use on this host"),
        e.conflicts());
    assertTrue(e.getMessage().startsWith("port conflicts in project demo: "));
  }

  @Test
  void hostNetworkingNeedsDistinctContainerPorts() throws IOException {
    NetworkRequest r =
        request("8080:8080")
            .addInstance(
                InstanceRequest.builder()
                    .service("web")
                    .instance("web2")
                    .replica(2)
                    .addPort(PortPublication.parse("8080"))
                    .build())
            .build();
    PortConflictException e = assertThrows(PortConflictException.class, () -> planner().plan(r));
    assertEquals(
        List.of(
            "port 8080/tcp is published by both web1 and web2 (host networking: instances share"
                + " ports)"),
        e.conflicts());
  }

  @Test
  void ephemeralHostPortsAvoidBusyAndTakenOnes() throws IOException {
    NetworkRequest r =
        request()
            .root(true)
            .addInstance(
                InstanceRequest.builder()
                    .service("api")
                    .instance("api1")
                    .addPort(PortPublication.parse("7000-7001"))
                    .addPort(PortPublication.parse("40002:5000"))
                    .build())
            .build();
    NetworkPlan plan = planner(40000).plan(r);
    assertEquals(
        List.of(
            "IP=10.22.0.4",
            "portmap=40001:7000/tcp",
            "portmap=40003:7001/tcp",
            "portmap=40002:5000/tcp"),
        plan.instance("api1").networkArgs());
  }

  @Test
  void withoutAddressAllocationCniChooses() throws IOException {
    NetworkPlan plan = planner().plan(request().root(true).allocateAddresses(false).build());
    assertEquals(List.of("portmap=8080:80/tcp"), plan.instance("web1").networkArgs());
    assertEquals(Optional.empty(), plan.instance("web1").address());
    assertTrue(plan.notes().get(0).contains("allocate_ip off"));
  }

  @Test
  void twoProjectsPlanningThroughOneLeaseStoreGetDistinctAddresses() throws IOException {
    LeaseStore store = LeaseStore.open(dir.resolve("leases.json"));
    NetworkPlanner shared = planner().withLeases(store, LeaseLiveness.assumeAlive());
    NetworkPlan a = shared.plan(request().root(true).build());
    NetworkPlan b =
        shared.plan(
            request()
                .root(true)
                .project("other")
                .instances(
                    List.of(InstanceRequest.of("web", "web1"), InstanceRequest.of("db", "db1")))
                .build());
    assertEquals("IP=10.22.0.2", a.instance("web1").networkArgs().get(0));
    assertEquals("IP=10.22.0.4", b.instance("web1").networkArgs().get(0));
    assertNotEquals(a.files().get(0), b.files().get(0));
    // a re-plan keeps the project's addresses
    assertEquals(a.instances(), shared.plan(request().root(true).build()).instances());
    assertEquals(4, store.leases().size());
  }

  @Test
  void aHostPortForwardedByAnotherProjectIsAConflict() throws IOException {
    LeaseStore store = LeaseStore.open(dir.resolve("leases.json"));
    NetworkPlanner shared = planner().withLeases(store, LeaseLiveness.assumeAlive());
    shared.plan(request().root(true).build());
    PortConflictException e =
        assertThrows(
            PortConflictException.class,
            () -> shared.plan(request().root(true).project("other").build()));
    assertEquals(
        List.of("host port 8080/tcp of web1 is already published by project demo (instance web1)"),
        e.conflicts());
    assertEquals(2, store.leases().size(), "nothing leased for the refused project");
    assertEquals(
        List.of("8080:80/tcp"),
        store.leases().get(0).ports().stream().map(PublishedPort::text).toList());
    // once demo is down, other may publish 8080
    store.release("demo");
    assertEquals(
        "portmap=8080:80/tcp",
        shared
            .plan(request().root(true).project("other").build())
            .instance("web1")
            .networkArgs()
            .get(1));
  }

  @Test
  void ephemeralHostPortsOfTwoProjectsComeFromTheLeaseStoreAndNeverCollide() throws IOException {
    // the host-port finder alone would give both projects 40000 (portmap ports hold no socket)
    LeaseStore store = LeaseStore.open(dir.resolve("leases.json"));
    NetworkPlanner shared = planner().withLeases(store, LeaseLiveness.assumeAlive());
    NetworkPlan a = shared.plan(request("80").root(true).build());
    NetworkPlan b = shared.plan(request("80").root(true).project("other").build());
    assertEquals("portmap=40000:80/tcp", a.instance("web1").networkArgs().get(1));
    assertEquals("portmap=40001:80/tcp", b.instance("web1").networkArgs().get(1));
    assertEquals(40001, b.instance("web1").ports().get(0).hostPort());
    assertEquals(
        List.of("40000:80/tcp"),
        store.leases().stream()
            .filter(l -> l.project().equals("demo") && l.instance().equals("web1"))
            .flatMap(l -> l.ports().stream().map(PublishedPort::text))
            .toList());
    // a second up of a project keeps its ephemeral port
    assertEquals(
        "portmap=40001:80/tcp",
        shared
            .plan(request("80").root(true).project("other").build())
            .instance("web1")
            .networkArgs()
            .get(1));
    // and a fixed port of another project is never handed out
    store.release("demo");
    NetworkPlan c = shared.plan(request("40000:80").root(true).project("third").build());
    assertEquals("portmap=40000:80/tcp", c.instance("web1").networkArgs().get(1));
    NetworkPlan d = shared.plan(request("80").root(true).project("fourth").build());
    assertEquals("portmap=40002:80/tcp", d.instance("web1").networkArgs().get(1));
  }

  @Test
  void projectsPlanningAtOnceGetDistinctEphemeralPorts() throws Exception {
    LeaseStore store = LeaseStore.open(dir.resolve("leases.json"));
    NetworkPlanner shared = planner().withLeases(store, LeaseLiveness.assumeAlive());
    int n = 8;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(n);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    try {
      List<java.util.concurrent.Future<NetworkPlan>> plans = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        NetworkRequest r = request("80").root(true).project("p" + i).build();
        plans.add(
            pool.submit(
                () -> {
                  go.await();
                  return shared.plan(r);
                }));
      }
      go.countDown();
      Set<Integer> hostPorts = new java.util.HashSet<>();
      for (var f : plans) {
        hostPorts.add(
            f.get(30, java.util.concurrent.TimeUnit.SECONDS)
                .instance("web1")
                .ports()
                .get(0)
                .hostPort());
      }
      assertEquals(n, hostPorts.size(), hostPorts.toString());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void repeatedInstanceNameIsRefused() throws IOException {
    NetworkRequest r = request().addInstance(InstanceRequest.of("db", "db1")).build();
    assertThrows(IllegalArgumentException.class, () -> planner().plan(r));
  }

  @Test
  void keptInstancesKeepTheirAddressesAndStayInTheHostsFile() throws IOException {
    Path resolv = dir.resolve("resolv.conf");
    Files.writeString(resolv, "nameserver 10.1.0.53\n");
    InstanceAddress db = InstanceAddress.of("db", "db1", IpAddress.parse("10.22.0.2"));
    NetworkRequest.Builder onlyWeb =
        NetworkRequest.builder()
            .project("demo")
            .hostResolvConf(resolv)
            .upstreamResolvConf(dir.resolve("none"))
            .addInstance(InstanceRequest.of("web", "web1"))
            .addKeptInstance(db);
    NetworkPlan bridge = planner().plan(onlyWeb.root(true).build());
    assertEquals(Optional.of(IpAddress.parse("10.22.0.3")), bridge.instance("web1").address());
    assertTrue(
        bridge
            .hostsFile()
            .orElseThrow()
            .entries()
            .contains(HostsEntry.of(db.address(), "db1", "db")),
        () -> bridge.hostsFile().orElseThrow().render());
    assertEquals(1, bridge.instances().size(), "a kept instance is not planned");

    NetworkPlan host = planner().plan(onlyWeb.root(false).build());
    assertEquals(NetworkMode.HOST, host.mode());
    assertTrue(
        host.hostsFile()
            .orElseThrow()
            .entries()
            .contains(HostsEntry.of(IpAddress.parse("127.0.0.1"), "db1", "db")),
        () -> host.hostsFile().orElseThrow().render());
  }
}
