// The site's formulas rendered at build time (docs/website/light.py runs this once per build): a JSON list of
// [tex, display] on stdin, a JSON list of KaTeX's HTML (with MathML for screen readers) on stdout. A formula KaTeX
// cannot read stops the build with its message.
const katex = require('katex');
let input = '';
process.stdin.on('data', d => { input += d; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map(([tex, display]) => katex.renderToString(tex, {displayMode: display, throwOnError: true}));
  process.stdout.write(JSON.stringify(out));
});
