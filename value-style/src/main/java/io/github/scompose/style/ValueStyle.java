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
 *   <li>a generated public {@code ImmutableFoo} with a fluent {@code builder()} and {@code
 *       from(Foo)} copies;
 *   <li>{@code withX(..)} copy methods;
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
    visibility = Value.Style.ImplementationVisibility.PUBLIC,
    builderVisibility = Value.Style.BuilderVisibility.PUBLIC,
    defaults = @Value.Immutable(copy = true),
    depluralize = true,
    privateNoargConstructor = false,
    optionalAcceptNullable = true)
public @interface ValueStyle {}
