package io.github.scompose.core.nodes;

import io.github.scompose.style.ValueStyle;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * One {@code deploy.placement.constraints} entry (Compose / Docker swarm syntax): {@code
 * node.hostname == VALUE}, {@code node.hostname != VALUE}, {@code node.labels.KEY == VALUE} or
 * {@code node.labels.KEY != VALUE}. A node without label {@code KEY} does not satisfy {@code ==}
 * and does satisfy {@code !=}, as in swarm.
 */
@Value.Immutable
@ValueStyle
public abstract class PlacementConstraint implements WithPlacementConstraint {

  private static final Pattern SYNTAX =
      Pattern.compile(
          "\\s*node\\.(?:(?<host>hostname)|labels\\.(?<label>[A-Za-z0-9._-]+))\\s*"
              + "(?<op>==|!=)\\s*(?<value>\\S(?:.*\\S)?)\\s*");

  /** The label key; empty for {@code node.hostname}. */
  public abstract Optional<String> label();

  /** {@code true} for {@code ==}, {@code false} for {@code !=}. */
  public abstract boolean equal();

  /** The value compared with, as written (quotes taken off). */
  public abstract String value();

  /** The constraint as written. */
  @Value.Auxiliary
  public abstract String text();

  /**
   * Reads one constraint.
   *
   * @throws IllegalArgumentException naming the text when it is not one of the four forms (e.g.
   *     {@code node.role == manager} or {@code engine.labels.x == y}: swarm fields a node list has
   *     no value for)
   */
  public static PlacementConstraint parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "placement constraint \""
              + text
              + "\" is not node.hostname ==|!= NAME or node.labels.KEY ==|!= VALUE");
    }
    String v = m.group("value");
    if (v.length() >= 2
        && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      v = v.substring(1, v.length() - 1);
    }
    return PlacementConstraint.builder()
        .label(Optional.ofNullable(m.group("label")))
        .equal(m.group("op").equals("=="))
        .value(v)
        .text(text.strip())
        .build();
  }

  /** Whether {@code node} satisfies this constraint. */
  public boolean test(Node node) {
    Optional<String> actual =
        label().isPresent()
            ? Optional.ofNullable(node.labels().get(label().get()))
            : Optional.of(node.name());
    boolean same = actual.map(value()::equals).orElse(false);
    return equal() == same;
  }

  /**
   * A new, empty builder of {@link PlacementConstraint}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link PlacementConstraint}; get one from {@link PlacementConstraint#builder()} or
   * {@link PlacementConstraint#toBuilder()}.
   */
  public static final class Builder extends ImmutablePlacementConstraint.Builder {
    Builder() {}
  }
}
