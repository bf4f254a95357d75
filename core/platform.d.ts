// The only platform APIs core may touch. Both browsers and Node ≥ 19 provide these as globals;
// declaring them narrowly (instead of pulling in DOM or Node typings) keeps everything else out of core.
declare global {
  var crypto: { getRandomValues<T extends Uint8Array | Uint32Array>(array: T): T };
}
export {};
