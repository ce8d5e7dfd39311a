package io.github.scompose.spec.internal.yaml;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An insertion-ordered map that no one can change: the maps of a {@link YNode.YMap}. A YMap made
 * from another one's maps takes them as they are, without the copy it makes of any other map (issue
 * 11, loader speed: every interpolated mapping and every mapping read was copied twice).
 */
final class FrozenMap<K, V> extends AbstractMap<K, V> {

  private final Map<K, V> view;

  private FrozenMap(LinkedHashMap<K, V> owned) {
    this.view = Collections.unmodifiableMap(owned);
  }

  /** {@code map} itself when frozen already, else a frozen copy in {@code map}'s order. */
  static <K, V> Map<K, V> of(Map<K, V> map) {
    return map instanceof FrozenMap<K, V> frozen
        ? frozen
        : new FrozenMap<>(new LinkedHashMap<>(map));
  }

  /** {@code map} frozen without a copy: the caller hands it over and never changes it again. */
  static <K, V> Map<K, V> owning(LinkedHashMap<K, V> map) {
    return new FrozenMap<>(map);
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return view.entrySet();
  }

  @Override
  public V get(Object key) {
    return view.get(key);
  }

  @Override
  public V getOrDefault(Object key, V defaultValue) {
    return view.getOrDefault(key, defaultValue);
  }

  @Override
  public boolean containsKey(Object key) {
    return view.containsKey(key);
  }

  @Override
  public int size() {
    return view.size();
  }

  @Override
  public boolean isEmpty() {
    return view.isEmpty();
  }

  @Override
  public Set<K> keySet() {
    return view.keySet();
  }

  @Override
  public Collection<V> values() {
    return view.values();
  }

  @Override
  public void forEach(BiConsumer<? super K, ? super V> action) {
    view.forEach(action);
  }
}
