// The one list of test projects. `unit`: pure tests beside the code, no server. `integration`: tests
// that need PostgreSQL, PGlite on disk, a port or a process, in each package's test/ folder.
export default [
  {
    extends: true,
    test: {
      name: "unit",
      include: ["packages/*/src/**/*.test.ts", "examples/*/src/**/*.test.ts"],
      // a few unit tests create an in-memory PGlite in beforeAll, which takes seconds on a busy machine
      hookTimeout: 60_000
    }
  },
  {
    extends: true,
    test: {
      name: "integration",
      include: ["packages/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: 120_000,
      hookTimeout: 120_000
    }
  }
]
