// Types of stale.mjs, for the tests that import it.
export declare const REPO: string;
export declare const CLI_OUT: string;
export declare const CLI_STAMP: string;
export declare const CLI_ENTRIES: Readonly<Record<string, string>>;
export declare function cliBuildReason(stampFile?: string, root?: string): string | undefined;
export declare function libraryBuildReason(root?: string): string | undefined;
