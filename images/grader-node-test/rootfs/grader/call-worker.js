'use strict';
// The confined worker of hidden checks (grade.js, CASES=grade): loads the submission, answers calls, knows no answers.
// Reads {"id", "call", "args"} lines on stdin; writes {"id", "value"} or {"id", "raised", "classes", "message"} lines
// on stdout. It runs as uid 1001 with the submission, so it is not trusted: grade.js compares the answers with what
// it expects, which never enters this process. What the submission prints on its own is ignored there.
const readline = require('node:readline');

let solution;
try {
  solution = require('solution');
} catch (error) {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
}

const classesOf = (error) => {
  const names = [];
  for (let p = Object.getPrototypeOf(error ?? {}); p && p.constructor; p = Object.getPrototypeOf(p)) names.push(p.constructor.name);
  return names;
};

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let request;
  try { request = JSON.parse(line); } catch { return; }
  const answer = { id: request.id };
  try {
    const value = solution[request.call](...(request.args ?? []));
    const text = JSON.stringify(value);
    if (text === undefined) answer.unserialisable = String(value);
    else answer.value = JSON.parse(text);
  } catch (error) {
    Object.assign(answer, { raised: error?.name ?? String(error), classes: classesOf(error), message: String(error?.message ?? error).slice(0, 500) });
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
});
