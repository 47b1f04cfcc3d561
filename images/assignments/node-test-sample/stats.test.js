// Teacher's tests for the sample node:test assignment: the submission is loaded with require('solution').
const test = require('node:test');
const assert = require('node:assert');
const { addAll, mean } = require('solution');

test.describe('addAll', () => {
  test.it('sums an empty list to 0', () => assert.strictEqual(addAll([]), 0));
  test.it('sums positive numbers', () => assert.strictEqual(addAll([1, 2, 3]), 6));
  test.it('sums negative numbers', () => assert.strictEqual(addAll([-1, -2, 3]), 0));
});

test.describe('mean', () => {
  test.it('is the mean of two numbers', () => assert.strictEqual(mean([2, 4]), 3));
  test.it('throws for an empty list', () => assert.throws(() => mean([]), RangeError));
});
