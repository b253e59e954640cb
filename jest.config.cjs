/**
 * Jest runs the TypeScript sources through ts-jest as CommonJS. Type checking is
 * done once by `npm run typecheck` (tsc), so ts-jest only transpiles: that keeps
 * a test run on a two-core machine short.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      { isolatedModules: true, tsconfig: { module: 'commonjs', jsx: 'react-jsx' } },
    ],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 120000,
};
