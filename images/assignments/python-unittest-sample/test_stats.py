"""Teacher's tests for the sample unittest assignment: the submission is imported as `solution`."""
import unittest

import solution


class TestAddAll(unittest.TestCase):
    def test_empty_list_sums_to_zero(self):
        self.assertEqual(solution.add_all([]), 0)

    def test_positive_numbers(self):
        self.assertEqual(solution.add_all([1, 2, 3]), 6)

    def test_negative_numbers(self):
        for numbers, total in (([0, 4], 4), ([-1, -2, 3], 0)):
            with self.subTest(numbers=numbers):
                self.assertEqual(solution.add_all(numbers), total)


class TestMean(unittest.TestCase):
    def test_mean_of_two(self):
        self.assertEqual(solution.mean([2, 4]), 3)

    def test_mean_of_empty_list_raises(self):
        with self.assertRaises(ValueError):
            solution.mean([])
