/**
 * `items` mapped one by one as they are consumed, each time the result is iterated: nothing is
 * read or built before the writer asks for it.
 */
export function mapLazily<T, U>(items: Iterable<T>, map: (item: T) => U): Iterable<U> {
  return {
    *[Symbol.iterator]() {
      for (const item of items) yield map(item);
    },
  };
}

/**
 * A statement's rows, read as they are consumed, each time the result is iterated. The connection
 * is busy while a statement iterates, so a consumer must not query the store until it has finished.
 */
export function rowsOf<R>(iterate: () => IterableIterator<R>): Iterable<R> {
  return { [Symbol.iterator]: iterate };
}

/** Several iterables one after another, each consumed only when its turn comes. */
export function* concat<T>(...parts: Array<Iterable<T>>): Generator<T, void, undefined> {
  for (const part of parts) yield* part;
}
