import v8 from 'node:v8';

/**
 * V8 settings of Relais' processes (web and worker), imported first by their entry points,
 * before anything compiles WebAssembly.
 *
 * `--liftoff-only`: WebAssembly stays on V8's baseline compiler (Liftoff) and is never
 * recompiled by TurboFan. The one large module is Prisma 7's query compiler; Prisma caches the
 * plan of each query shape, so the compiler runs once per shape and its speed does not show,
 * while TurboFan's optimized copy of its code costs RSS in every process that runs a Prisma
 * query (figures: docs/BENCHMARKS.md). The flag only chooses a compiler: results are identical.
 *
 * Settings that V8 reads when the heap is created (the young generation's size) cannot be
 * changed from here: they are on the command line (package.json `worker:prod`, the Compose
 * file), and the allocator's (`MALLOC_ARENA_MAX`) in the environment (Dockerfile).
 */
v8.setFlagsFromString('--liftoff-only');
