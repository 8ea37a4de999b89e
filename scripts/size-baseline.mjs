// The baseline for `npm run size`: the smallest useful Lit element, as an in-memory rollup module.
const source = `
import { LitElement, html, css } from 'lit';
class XBaseline extends LitElement {
  static styles = css\`:host { display: inline-block; }\`;
  static properties = { name: {} };
  render() { return html\`<button>Hello \${this.name}</button>\`; }
}
if (!customElements.get('x-baseline')) customElements.define('x-baseline', XBaseline);
`;

export default function baselineModule() {
  return {
    name: 'size-baseline',
    resolveId: (id) => (id === 'baseline' ? id : null),
    load: (id) => (id === 'baseline' ? source : null),
  };
}
