// Files the page's bundle embeds as bytes (esbuild's binary loader: --loader:.gz=binary).
declare module '*.gz' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
