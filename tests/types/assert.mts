// Compile-time assertions the type tests share: `assertType<Equals<A, B>>()`
// fails to compile unless A and B are the same type; `exact(value)` keeps a
// value's own type for such a check. Nothing here runs (noEmit).
export type Equals<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
export declare function assertType<T extends true>(): void;
export declare function exact<T>(value: T): T;
