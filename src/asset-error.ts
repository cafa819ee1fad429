// A font or picture a theme names that turns out unreadable when it is used: it passed the checks
// at load (src/load/assets.ts) but is damaged inside, or changed since. A user error with the
// file's name, never an internal error.
export class AssetError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
