package io.github.scompose.testkit.junit;

import io.github.scompose.core.compose.ComposeStack;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The annotated fields of a test class: found, set, and read for parameters. Not API. */
final class AnnotatedFields {
  private AnnotatedFields() {}

  /** The fields of {@code type} and its superclasses carrying {@code annotation}. */
  static List<Field> of(Class<?> type, Class<? extends Annotation> annotation) {
    List<Field> out = new ArrayList<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.isAnnotationPresent(annotation)) {
          out.add(f);
        }
      }
    }
    return out;
  }

  /** Sets {@code field} of {@code target} ({@code null}: static) to {@code value}. */
  static void set(Field field, Object target, Object value) {
    try {
      field.setAccessible(true);
      field.set(target, value);
    } catch (IllegalAccessException e) {
      throw new ExtensionConfigurationException("cannot set " + field, e);
    }
  }

  /**
   * The value of the one {@link ComposeStackUnderTest}/{@link InstanceUnderTest} field of {@code
   * type} (for a {@code ComposeStack} parameter, also the stack of a {@link TestComposeStack}
   * field).
   */
  static Object valueFor(Class<?> type, ExtensionContext context) {
    Class<?> test = context.getRequiredTestClass();
    List<Field> candidates = new ArrayList<>();
    List<Field> ours = of(test, ComposeStackUnderTest.class);
    ours.addAll(of(test, InstanceUnderTest.class));
    for (Field f : ours) {
      if (f.getType().equals(type)
          || type.equals(ComposeStack.class) && f.getType().equals(TestComposeStack.class)) {
        candidates.add(f);
      }
    }
    if (candidates.size() != 1) {
      throw new ExtensionConfigurationException(
          "a "
              + type.getSimpleName()
              + " parameter needs exactly one matching annotated field in "
              + test.getName()
              + ", found "
              + candidates.size()
              + ": use the field");
    }
    Field f = candidates.get(0);
    Object value;
    try {
      f.setAccessible(true);
      value =
          f.get(
              Modifier.isStatic(f.getModifiers()) ? null : context.getTestInstance().orElse(null));
    } catch (IllegalAccessException | IllegalArgumentException e) {
      throw new ExtensionConfigurationException("cannot read " + f, e);
    }
    if (value == null) {
      throw new ExtensionConfigurationException(
          f + " is not started yet here (an instance field is started before each test)");
    }
    if (type.equals(ComposeStack.class) && value instanceof TestComposeStack handle) {
      return handle.stack();
    }
    return value;
  }
}
