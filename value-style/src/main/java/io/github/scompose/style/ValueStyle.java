package io.github.scompose.style;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of the project. Put it on a value type (or a {@code package-info.java})
 * next to {@code @Value.Immutable}.
 *
 * <p>What it gives every value type {@code Foo}:
 *
 * <ul>
 *   <li>a generated package-private {@code ImmutableFoo}: not API, never named outside its package
 *       (issue 13). {@code Foo} itself carries the API: {@code public static Builder builder()},
 *       {@code public Builder toBuilder()} and {@code public static final class Builder extends
 *       ImmutableFoo.Builder {Builder() {}}} (Immutables' "extending builder": the setters return
 *       {@code Foo.Builder}, {@code build()} returns {@code Foo});
 *   <li>{@code withX(..)} copy methods on {@code Foo} itself, when it declares {@code implements
 *       WithFoo} ({@code extends} for an interface): Immutables generates that package-private
 *       interface;
 *   <li>accessors named as declared, without {@code get}/{@code is} prefixes ({@code name()}, not
 *       {@code getName()});
 *   <li>JDK collections only (no Guava at run time); collection builders such as {@code
 *       addPort(..)} next to {@code addAllPorts(..)}.
 * </ul>
 *
 * <p>Needed at compile time only: modules depend on this artifact with {@code provided} scope.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
    jdkOnly = true,
    // the generated ImmutableFoo is package-private; its builder(), copyOf(..), of(..) and
    // build() return Foo, never ImmutableFoo (issue 13: no generated class in the API)
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    builderVisibility = Value.Style.BuilderVisibility.PUBLIC,
    defaults = @Value.Immutable(copy = true),
    depluralize = true,
    privateNoargConstructor = false,
    optionalAcceptNullable = true)
public @interface ValueStyle {}
