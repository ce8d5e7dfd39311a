package io.github.scompose.spec.internal.yaml;

import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * A parser that stops a document whose lists and mappings nest deeper than {@link
 * YamlReader#MAX_DEPTH}: snakeyaml-engine's parser is iterative, but {@link YamlReader} builds its
 * tree recursively, one call per level, so ten thousand {@code [} would overflow the stack.
 * Counting start and end events here keeps that recursion bounded without a second pass.
 */
final class DepthLimit implements Parser {

  /** Thrown at the first collection beyond the limit; {@link #mark()} is where it starts. */
  static final class TooDeep extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Mark mark;

    TooDeep(Mark mark) {
      super(null, null, false, false);
      this.mark = mark;
    }

    Mark mark() {
      return mark;
    }
  }

  private final Parser parser;
  private int depth;

  DepthLimit(Parser parser) {
    this.parser = parser;
  }

  @Override
  public boolean checkEvent(Event.ID choice) {
    return parser.checkEvent(choice);
  }

  @Override
  public Event peekEvent() {
    return parser.peekEvent();
  }

  @Override
  public boolean hasNext() {
    return parser.hasNext();
  }

  @Override
  public Event next() {
    Event event = parser.next();
    switch (event.getEventId()) {
      case SequenceStart, MappingStart -> {
        if (++depth > YamlReader.MAX_DEPTH) {
          throw new TooDeep(event.getStartMark().orElse(null));
        }
      }
      case SequenceEnd, MappingEnd -> depth--;
      default -> {
        // scalars, aliases, documents and comments do not nest
      }
    }
    return event;
  }
}
