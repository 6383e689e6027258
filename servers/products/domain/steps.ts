/**
 * The catalog's rules are written once (rules.ts) and run on two engines: better-sqlite3 answers at
 * once, inside a synchronous BEGIN IMMEDIATE transaction that nothing else on the connection can
 * interleave with; pg answers later, over a pooled connection. A rule is written as steps: a
 * generator that hands each engine call's answer on with `yield*`. A synchronous engine's calls
 * return their answer without yielding, and runSync runs the rule straight through inside its
 * transaction; an asynchronous engine's calls yield a promise, and runAsync awaits each one.
 */

/** A rule, or one engine call, that comes to a T. */
export type Step<T> = Generator<Promise<unknown>, T, unknown>;

/** One asynchronous engine call as a step: `const rows = yield* wait(client.query(…))`. */
export function* wait<T>(promise: Promise<T>): Step<T> {
  return (yield promise) as T;
}

/** A value that needs no waiting, as a step (a synchronous engine's answers). */
// eslint-disable-next-line require-yield
export function* done<T>(value: T): Step<T> {
  return value;
}

/** Runs steps that never wait (a synchronous engine's): throws if one tries to. */
export function runSync<T>(steps: Step<T>): T {
  const r = steps.next();
  if (!r.done) {
    steps.return(undefined as never);
    throw new Error('A synchronous catalog engine was asked to wait: its calls must answer at once');
  }
  return r.value;
}

/** Runs steps, awaiting each promise they yield and handing its answer (or its error) back. */
export async function runAsync<T>(steps: Step<T>): Promise<T> {
  let r = steps.next();
  while (!r.done) {
    let answer: unknown;
    try {
      answer = await r.value;
    } catch (err) {
      r = steps.throw(err);
      continue;
    }
    r = steps.next(answer);
  }
  return r.value;
}
