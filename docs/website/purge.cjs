// Each stylesheet of the site cut down to the rules its pages can use (docs/website/styles.py runs this once per
// build): a JSON object {css: [files], content: [files], safelist} on stdin, a JSON list of the cut stylesheets, in
// the same order, on stdout. PurgeCSS keeps a rule when a word of its selector occurs in a page or in a script.
const { PurgeCSS } = require('purgecss');
let input = '';
process.stdin.on('data', d => { input += d; });
process.stdin.on('end', async () => {
  const { css, content, safelist } = JSON.parse(input);
  const asRe = l => l.map(s => new RegExp(s));
  const results = await new PurgeCSS().purge({
    content, css, variables: true, keyframes: true, safelist: { standard: asRe(safelist.standard), greedy: asRe(safelist.greedy) } });
  const byFile = Object.fromEntries(results.map(r => [r.file, r.css]));
  process.stdout.write(JSON.stringify(css.map(f => byFile[f])));
});
