package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.Healthcheck;
import io.github.scompose.spec.RestartPolicy;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.internal.syntax.DurationSyntax;
import io.github.scompose.spec.internal.yaml.YNode;
import io.github.scompose.spec.internal.yaml.YNode.YMap;
import io.github.scompose.spec.internal.yaml.YNode.YScalar;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle keys of one Compose Specification service: {@code healthcheck}, {@code restart},
 * {@code deploy} ({@code replicas}, {@code restart_policy}; other keys are warned about) and the
 * durations they and {@code stop_grace_period} use. Part of {@link ComposeBinder}.
 */
final class ComposeLifecycleBinder {

  private final Nodes nodes;

  ComposeLifecycleBinder(Nodes nodes) {
    this.nodes = nodes;
  }

  Optional<Healthcheck> healthcheck(YNode v, String p) {
    Optional<YMap> maybe = nodes.map(v, p);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    YMap h = maybe.get();
    nodes.unknownKeys(
        h,
        p,
        ScBinder.ordered(
            "disable", "interval", "retries", "test", "timeout", "start_period", "start_interval"),
        true,
        "healthcheck");
    Healthcheck.Builder hb = Healthcheck.builder();
    YNode x;
    if ((x = h.get("test")) != null) {
      String tp = Nodes.child(p, "test");
      if (x instanceof YScalar s && !s.isNull()) {
        hb.addTest("CMD-SHELL", s.value());
      } else {
        List<String> test = nodes.strings(x, tp);
        if (!test.isEmpty() && !Set.of("CMD", "CMD-SHELL", "NONE").contains(test.get(0))) {
          nodes
              .problems()
              .error(
                  x.loc(),
                  tp,
                  "healthcheck test must start with \"CMD\", \"CMD-SHELL\" or \"NONE\", found \""
                      + test.get(0)
                      + "\"");
        } else {
          hb.addAllTest(test);
        }
      }
    }
    if ((x = h.get("disable")) != null && nodes.bool(x, Nodes.child(p, "disable")).orElse(false)) {
      hb.test(List.of("NONE"));
    }
    duration(h, "interval", p).ifPresent(hb::interval);
    duration(h, "timeout", p).ifPresent(hb::timeout);
    duration(h, "start_period", p).ifPresent(hb::startPeriod);
    duration(h, "start_interval", p).ifPresent(hb::startInterval);
    if ((x = h.get("retries")) != null) {
      nodes.integer(x, Nodes.child(p, "retries")).ifPresent(hb::retries);
    }
    return Optional.of(hb.build());
  }

  Optional<Duration> duration(YMap m, String key, String p) {
    YNode x = m.get(key);
    if (x == null) {
      return Optional.empty();
    }
    String kp = Nodes.child(p, key);
    Optional<String> text = nodes.string(x, kp);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(DurationSyntax.parse(text.get()));
    } catch (IllegalArgumentException e) {
      nodes.problems().error(x.loc(), kp, e.getMessage());
      return Optional.empty();
    }
  }

  Optional<RestartPolicy> restart(YNode v, String p) {
    if (v instanceof YScalar s && s.isNull()) {
      return Optional.of(RestartPolicy.of(RestartPolicy.Condition.NO)); // as "" (compose-go)
    }
    Optional<String> text = nodes.string(v, p);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String t = text.get();
    switch (t) {
      case "", "no": // compose-go/docker compose read an empty restart as "no"
        return Optional.of(RestartPolicy.of(RestartPolicy.Condition.NO));
      case "always":
        return Optional.of(RestartPolicy.of(RestartPolicy.Condition.ALWAYS));
      case "unless-stopped":
        return Optional.of(RestartPolicy.of(RestartPolicy.Condition.UNLESS_STOPPED));
      case "on-failure":
        return Optional.of(RestartPolicy.of(RestartPolicy.Condition.ON_FAILURE));
      default:
        if (t.startsWith("on-failure:")) {
          try {
            int n = Integer.parseInt(t.substring("on-failure:".length()));
            if (n >= 0) {
              return Optional.of(
                  RestartPolicy.builder()
                      .condition(RestartPolicy.Condition.ON_FAILURE)
                      .maxAttempts(n)
                      .build());
            }
          } catch (NumberFormatException e) {
            // reported below
          }
        }
        nodes
            .problems()
            .error(
                v.loc(),
                p,
                "restart \"" + t + "\" is not one of no, always, on-failure[:N], unless-stopped");
        return Optional.empty();
    }
  }

  /**
   * {@code deploy.placement}: its {@code constraints} (strings) are kept; {@code preferences} and
   * {@code max_replicas_per_node} are warned about and ignored.
   */
  private void placement(YNode v, String p, ServiceSpec.Builder b) {
    Optional<YMap> maybe = nodes.map(v, p);
    if (maybe.isEmpty()) {
      return;
    }
    YMap m = maybe.get();
    for (String key : m.entries().keySet()) {
      if (!key.equals("constraints") && !key.startsWith("x-")) {
        nodes
            .problems()
            .warning(
                m.keyLoc(key),
                Nodes.child(p, key),
                "\"deploy.placement." + key + "\" is not supported; ignored");
      }
    }
    YNode c = m.get("constraints");
    if (c != null) {
      b.addAllPlacementConstraints(nodes.strings(c, Nodes.child(p, "constraints")));
    }
  }

  void deploy(YNode v, String p, ServiceSpec.Builder b) {
    Optional<YMap> maybe = nodes.map(v, p);
    if (maybe.isEmpty()) {
      return;
    }
    YMap d = maybe.get();
    for (String key : d.entries().keySet()) {
      if (!key.equals("replicas")
          && !key.equals("placement")
          && !key.equals("restart_policy")
          && !key.equals("resources")
          && !key.startsWith("x-")) {
        nodes
            .problems()
            .warning(
                d.keyLoc(key),
                Nodes.child(p, key),
                "\"deploy." + key + "\" cannot be honoured on Singularity; ignored");
      }
    }
    YNode x;
    if ((x = d.get("replicas")) != null) {
      String rp = Nodes.child(p, "replicas");
      YNode rn = x;
      nodes
          .integer(x, rp)
          .ifPresent(
              n -> {
                if (n < 0) {
                  nodes.problems().error(rn.loc(), rp, "replicas must not be negative, found " + n);
                } else {
                  b.replicas(n);
                }
              });
    }
    if ((x = d.get("placement")) != null) {
      placement(x, Nodes.child(p, "placement"), b);
    }
    if ((x = d.get("restart_policy")) != null) {
      String rp = Nodes.child(p, "restart_policy");
      Optional<YMap> rm = nodes.map(x, rp);
      if (rm.isEmpty()) {
        return;
      }
      nodes.unknownKeys(
          rm.get(),
          rp,
          ScBinder.ordered("condition", "delay", "max_attempts", "window"),
          true,
          "restart_policy");
      RestartPolicy.Builder pb = RestartPolicy.builder().condition(RestartPolicy.Condition.ALWAYS);
      YNode c = rm.get().get("condition");
      if (c != null) {
        Optional<String> ct = nodes.string(c, Nodes.child(rp, "condition"));
        if (ct.isPresent()) {
          switch (ct.get()) {
            case "none" -> pb.condition(RestartPolicy.Condition.NO);
            case "on-failure" -> pb.condition(RestartPolicy.Condition.ON_FAILURE);
            case "any" -> pb.condition(RestartPolicy.Condition.ALWAYS);
            default ->
                nodes
                    .problems()
                    .error(
                        c.loc(),
                        Nodes.child(rp, "condition"),
                        "condition \"" + ct.get() + "\" is not one of none, on-failure, any");
          }
        }
      }
      duration(rm.get(), "delay", rp).ifPresent(pb::delay);
      duration(rm.get(), "window", rp).ifPresent(pb::window);
      YNode ma = rm.get().get("max_attempts");
      if (ma != null) {
        nodes.integer(ma, Nodes.child(rp, "max_attempts")).ifPresent(pb::maxAttempts);
      }
      b.restart(pb.build());
    }
  }
}
