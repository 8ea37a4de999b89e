// `npm run analyze`: custom-elements.json, read by editors and framework tooling, generated from the
// JSDoc on the element classes (@summary, @event, @csspart, @cssproperty) and their static properties.
export default {
  globs: ['widget/**/*.ts'],
  exclude: ['widget/**/*.styles.ts', 'widget/**/*.test.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [
    {
      // The analyzer also guesses events from `dispatchEvent(new X(arg))` calls, naming them after the
      // argument; the JSDoc @event tags are the list, so keep only the widget's own prefixed events.
      name: 'documented-events-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.events) declaration.events = declaration.events.filter((event) => event.name?.startsWith('izly-'));
          }
        }
      },
    },
  ],
};
