// ESLint: typescript-eslint's type-checked rules over the Worker (src/), its recommended rules over
// everything else, and eslint-plugin-regexp everywhere: every regular expression must match in
// linear time, so that no input can hold the isolate (docs/hardening.md).
import js from "@eslint/js";
import regexp from "eslint-plugin-regexp";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "dist-test/", ".wrangler/", "bench/results/", "bench/.build/", "public/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  regexp.configs["flat/recommended"],
  {
    rules: {
      "regexp/no-super-linear-backtracking": ["error", { report: "potential" }],
      "regexp/no-super-linear-move": ["error", { report: "potential" }],
      // An ignored error must say why (a comment in the block).
      "no-empty": ["error", { allowEmptyCatch: false }],
      // Checks of untrusted text refuse control characters on purpose.
      "no-control-regex": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests and the bench read JSON answers of any shape.
    files: ["test/**", "bench/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["test/support/*.mjs"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["src/**/*.ts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Durable Object RPC methods are async by contract (the caller always awaits a promise).
      "@typescript-eslint/require-await": "off",
    },
  },
);
