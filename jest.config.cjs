/**
 * Jest runs the TypeScript sources through ts-jest as CommonJS. Type checking is
 * done once by `npm run typecheck` (tsc), so ts-jest only transpiles: that keeps
 * a test run on a two-core machine short.
 *
 * A few dependencies ship only ES modules (listed below); ts-jest transpiles
 * them to CommonJS too, everything else in node_modules is left alone.
 */
const ESM_ONLY_PACKAGES = ['content-disposition', 'nifti-reader-js'];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(tsx?|jsx?|mjs)$': [
      'ts-jest',
      {
        tsconfig: { module: 'commonjs', jsx: 'react-jsx', allowJs: true, isolatedModules: true },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 120000,
};
