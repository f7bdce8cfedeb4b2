/** Types for bin/cli-build.mjs (plain JavaScript so bin/preflight.mjs can load it without tsx). */
export declare const CLI_DIST: string;
export declare const CLI_MANIFEST: string;
export declare function cliBuildFresh(projectRoot: string): boolean;
