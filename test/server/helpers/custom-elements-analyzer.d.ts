// The analyzer ships no types; `cli()` is what its `cem` command runs, and with `noWrite` it returns the
// manifest instead of writing custom-elements.json.
declare module '@custom-elements-manifest/analyzer/cli.js' {
  export function cli(options: { argv: string[]; cwd: string; noWrite: boolean }): Promise<unknown>;
}
