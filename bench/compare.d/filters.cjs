// The npm multi-pattern filters that hegui is compared with, as one list for both Node
// benchmarks (bench/compare.d/node.cjs and wasm/bench/throughput.mjs): each builds its
// matcher over the terms and counts what its default "find all matches" call returns.
"use strict";

/**
 * The filters, each { name, call, build(terms) -> scan(line) -> matches }, their
 * packages loaded with `need` (a `require` that resolves where they are installed).
 */
function npmFilters(need) {
  return [
    {
      name: "fastscan",
      call: "new FastScanner(terms).search(text)",
      build: (terms) => {
        const FastScanner = need("fastscan");
        const s = new FastScanner(terms);
        return (l) => s.search(l).length;
      },
    },
    {
      name: "mint-filter",
      call: "new Mint(terms).filter(text, { replace: false }).words (distinct words)",
      build: (terms) => {
        const m = need("mint-filter");
        const Mint = m.Mint || m.default || m;
        const s = new Mint(terms);
        return (l) => s.filter(l, { replace: false }).words.length;
      },
    },
    {
      name: "ahocorasick",
      call: "new AhoCorasick(terms).search(text)",
      build: (terms) => {
        const AhoCorasick = need("ahocorasick");
        const s = new AhoCorasick(terms);
        // Each hit is [end, [terms ending there]].
        return (l) => s.search(l).reduce((n, hit) => n + hit[1].length, 0);
      },
    },
    {
      name: "modern-ahocorasick",
      call: "new AhoCorasick(terms).search(text)",
      build: (terms) => {
        const m = need("modern-ahocorasick");
        const AhoCorasick = m.AhoCorasick || m.default || m;
        const s = new AhoCorasick(terms);
        return (l) => s.search(l).length;
      },
    },
    {
      name: "@monyone/aho-corasick",
      call: "new AhoCorasick(terms).matchInText(text)",
      build: (terms) => {
        const { AhoCorasick } = need("@monyone/aho-corasick");
        const s = new AhoCorasick(terms);
        return (l) => s.matchInText(l).length;
      },
    },
  ];
}

module.exports = { npmFilters };
