"""How the mnist37 website is made (`python -m website build`), one module per concern:

- `parts`: the three parts of the site, declared once; the pages they hold, and the book's sections each retells;
- `pages`: an nbdev-processed notebook made into a page (cell options, asides, each piece shown once, figures);
- `cards`: nbdev's `show_doc` cards, made to read well here; `code`: the pieces' code, one element per line;
- `links`: links between pages, to Colab and to the book; `api`: the API reference;
- `bench`: what the pages show of `make bench`'s results; `assets`: the explorers, the "Draw a digit" page;
- `build`: the steps of the build; `light`: light pages (KaTeX, icons, scripts, images); `access`: the theme's HTML
  made usable by everyone; `readme`: README.md."""
