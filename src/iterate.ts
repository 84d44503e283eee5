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
