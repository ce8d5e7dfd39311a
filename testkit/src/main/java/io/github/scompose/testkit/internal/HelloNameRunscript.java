package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeRunscript;
import io.github.scompose.testkit.ScriptedResponse;
import java.util.List;
import java.util.Map;

/**
 * {@link FakeRunscript#helloName()}: the recorded POSIX-sh runscript of {@code hello-name.def}
 * (SingularityCE 3.4.2, 09-labels-runscript-args.txt), step by step as {@code sh} runs it.
 */
public final class HelloNameRunscript implements FakeRunscript {

  private static final long serialVersionUID = 1L;

  @Override
  public ScriptedResponse run(List<String> args, Map<String, String> environment) {
    String name = "";
    String age = "";
    String weight = "";
    boolean dino = false;
    int i = 0;
    while (i < args.size()) {
      String a = args.get(i);
      String next = i + 1 < args.size() ? args.get(i + 1) : "";
      switch (a) {
        case "--name" -> {
          name = next;
          i += 2;
        }
        case "--age" -> {
          age = next;
          i += 2;
        }
        case "--weight" -> {
          weight = next;
          i += 2;
        }
        case "--is_dino" -> {
          dino = true;
          i++;
        }
        default -> i++;
      }
    }
    if ((name + age + weight).isEmpty()) {
      return ScriptedResponse.ok(
          "{\"message\": \"Ruhroh! You did not give any input arguments!\"}");
    }
    StringBuilder out = new StringBuilder("{");
    String sep = "";
    if (!name.isEmpty()) {
      out.append("\"name\": \"hello ").append(name).append("!\"");
      sep = ", ";
    }
    if (!age.isEmpty()) {
      out.append(sep).append("\"age\": ").append(age);
      sep = ", ";
    }
    if (!weight.isEmpty()) {
      out.append(sep).append("\"weight\": ").append(weight);
      sep = ", ";
    }
    out.append(sep)
        .append("\"species\": ")
        .append(dino ? "\"You are a dinosaur! :D\"}" : "\"You are not a dinosaur.\"}");
    return ScriptedResponse.ok(out.toString());
  }
}
