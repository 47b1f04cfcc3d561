// A reporter for node's built-in test runner (node --test --test-reporter=/grader/reporter.mjs): one JSON line per
// finished test, read by grade.js as the run goes, so a test that loops forever does not lose the others' results.
// Events per https://nodejs.org/api/test.html#event-testpass ("test:pass" / "test:fail": name, nesting, details).
export default async function* reporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, nesting, details, skip, todo } = event.data;
    const error = details?.error;
    const cause = error?.cause ?? error;
    yield JSON.stringify({
      name,
      nesting,
      status: event.type === 'test:pass' && !skip && !todo ? 'passed' : 'failed',
      suite: details?.type === 'suite',
      output: skip ? 'skipped' : todo ? 'todo' : cause ? String(cause.message ?? cause) : '',
    }) + '\n';
  }
}
