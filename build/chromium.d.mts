export declare const CHROMIUM_ARGS: string[];
export declare const NO_BROWSER: string;
export declare function candidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[];
export declare function findChromium(opts?: {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  exists?: (p: string) => boolean;
  playwrightPath?: string;
}): string;
export declare function chromiumPath(): Promise<string>;
