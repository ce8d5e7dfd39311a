/**
 * Network planning for instances: address allocation over a bridge CIDR, leases shared between
 * projects, {@code /etc/hosts} and {@code resolv.conf} rendering, port publications and network
 * modes. Pure Java: nothing here starts a process.
 *
 * <p>Entry point: {@link io.github.scompose.network.NetworkPlanner}, which turns a {@link
 * io.github.scompose.network.NetworkRequest} into an immutable {@link
 * io.github.scompose.network.NetworkPlan} (mode and the reason for it, files to write, per-instance
 * flags as data):
 *
 * <pre>{@code
 * NetworkPlan plan =
 *     NetworkPlanner.create()
 *         .withLeases(LeaseStore.openDefault(), lease -> runningInstances.contains(lease.instance()))
 *         .plan(NetworkRequest.builder()
 *             .project("demo")
 *             .root(false)
 *             .fakerootAllowed(false)
 *             .addInstance(InstanceRequest.of("web", "web1"))
 *             .build());
 * plan.reason();                               // "not root and no fakeroot: host networking"
 * plan.instance("web1").singularityFlags();    // []
 * plan.files();                                // etc.hosts: 127.0.0.1 web1 web, ...
 * }</pre>
 *
 * <p>The building blocks are usable alone: {@link io.github.scompose.network.Cidr} and {@link
 * io.github.scompose.network.AddressAllocator}, {@link io.github.scompose.network.LeaseStore},
 * {@link io.github.scompose.network.HostsFile}, {@link io.github.scompose.network.ResolvConf},
 * {@link io.github.scompose.network.PortPublication} and {@link
 * io.github.scompose.network.HostPorts}.
 *
 * <p>Checked against a real binary: only through recordings of SingularityCE 3.4.2 run as root on
 * the {@code bridge} network (flags {@code --net --network bridge --network-args IP=…
 * --network-args portmap=H:C/tcp --hostname … --bind …:/etc/hosts}, gateway {@code 10.22.0.1},
 * first instance {@code 10.22.0.2}). The fakeroot network and IPv6 bridges follow the SingularityCE
 * documentation and were not run.
 */
package io.github.scompose.network;
