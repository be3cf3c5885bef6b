/**
 * One instance per process, shared by the Remix server bundle, the express
 * server that loads it, and dev rebuilds (which re-evaluate the bundle).
 */
export function singleton<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as { __nexiusSingletons?: Map<string, unknown> };
  store.__nexiusSingletons ??= new Map();
  if (!store.__nexiusSingletons.has(name)) store.__nexiusSingletons.set(name, create());
  return store.__nexiusSingletons.get(name) as T;
}
